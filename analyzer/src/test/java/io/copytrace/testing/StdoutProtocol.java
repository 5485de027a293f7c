// SPDX-License-Identifier: Apache-2.0
package io.copytrace.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a forked program tells its test on stdout: lines {@code TAG key=value}, everything else ignored. A
 * program prints what it counted itself as {@code TRUTH key=value} (the agent's workloads, the samples'
 * {@code Totals}, the native tests' child), exact numbers a test compares the recording or report with;
 * the native child also prints its kernel window as {@code K path=value} (it has no JSON writer).
 */
public final class StdoutProtocol {
    /** The tag of the program's own counts. */
    public static final String TRUTH = "TRUTH";

    private StdoutProtocol() {}

    /** The {@code tag key=value} lines of {@code stdout}, in order; a later line of a key wins. */
    public static Map<String, String> values(String stdout, String tag) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) read(line, tag, values);
        return values;
    }

    /** Adds {@code line} to {@code into} when it is a {@code tag key=value} line; says whether it was. */
    public static boolean read(String line, String tag, Map<String, String> into) {
        if (!line.startsWith(tag + " ")) return false;
        int eq = line.indexOf('=');
        if (eq < 0) return false;
        into.put(line.substring(tag.length() + 1, eq), line.substring(eq + 1));
        return true;
    }

    /** The {@code TRUTH key=value} lines as numbers. */
    public static Map<String, Long> truth(String stdout) {
        Map<String, Long> truth = new LinkedHashMap<>();
        values(stdout, TRUTH).forEach((key, value) -> truth.put(key, Long.parseLong(value.trim())));
        return truth;
    }
}
