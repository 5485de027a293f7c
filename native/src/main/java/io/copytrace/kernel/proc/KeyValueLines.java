// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.proc;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code key: value} layout shared by /proc/pid/io and /proc/pid/status. */
final class KeyValueLines {
    private KeyValueLines() {
    }

    /** Keys with a leading integer value (units such as "kB" ignored); other lines are skipped. */
    static Map<String, Long> parse(String text) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String rest = line.substring(colon + 1).trim();
            int end = 0;
            while (end < rest.length() && Character.isDigit(rest.charAt(end))) {
                end++;
            }
            if (end > 0 && end <= 18) {
                values.put(line.substring(0, colon).trim(), Long.parseLong(rest.substring(0, end)));
            }
        }
        return values;
    }

    /** Raw string values, for the hexadecimal capability masks. */
    static Map<String, String> parseStrings(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                values.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        return values;
    }

    static long delta(long end, long start) {
        return end < 0 || start < 0 ? -1 : end - start;
    }
}
