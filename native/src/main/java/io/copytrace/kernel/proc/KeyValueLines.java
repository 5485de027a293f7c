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

    /**
     * The leading integer of the line {@code key: value}, -1 when absent: a scan without splitting the
     * text, for the thousands of task files one thread snapshot reads.
     */
    static long value(String text, String key) {
        int from = 0;
        while (true) {
            int at = text.indexOf(key, from);
            if (at < 0) {
                return -1;
            }
            int colon = at + key.length();
            if ((at == 0 || text.charAt(at - 1) == '\n') && colon < text.length() && text.charAt(colon) == ':') {
                return leadingLong(text, colon + 1);
            }
            from = at + 1;
        }
    }

    /** The integer after optional blanks at {@code from}; -1 when there is none or it has over 18 digits. */
    static long leadingLong(String text, int from) {
        int i = from;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        long value = 0;
        int digits = 0;
        for (; i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9'; i++, digits++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return digits == 0 || digits > 18 ? -1 : value;
    }

    static long delta(long end, long start) {
        return end < 0 || start < 0 ? -1 : end - start;
    }
}
