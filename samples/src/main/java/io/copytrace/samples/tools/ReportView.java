// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.tools;

import io.copytrace.json.JsonReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Read access to a JSON report ({@code docs/report-format.md}) and to the recording it was made from, parsed
 * with the analyzer's own {@link JsonReader}: the keys the demo summary and the benchmark need.
 */
@SuppressWarnings("unchecked")
public final class ReportView {
    private final Map<String, Object> root;

    private ReportView(Map<String, Object> root) {
        this.root = root;
    }

    /** Parses a report or a recording file. */
    public static ReportView read(Path file) throws IOException {
        return new ReportView((Map<String, Object>) JsonReader.parse(Files.readString(file)));
    }

    /** The whole document. */
    public Map<String, Object> root() {
        return root;
    }

    /** The findings, rank order. */
    public List<Map<String, Object>> findings() {
        return (List<Map<String, Object>>) root.get("findings");
    }

    /** A top-level object, e.g. {@code potentialSaving}, {@code totals}, {@code hostCost}, {@code kernel}. */
    public Map<String, Object> section(String key) {
        return (Map<String, Object>) root.get(key);
    }

    /** A number from {@code map}, 0 when absent. */
    public static long num(Map<String, Object> map, String key) {
        Object v = map == null ? null : map.get(key);
        return v instanceof Number n ? n.longValue() : 0;
    }

    /** A nested object of {@code map}. */
    public static Map<String, Object> obj(Map<String, Object> map, String key) {
        return (Map<String, Object>) map.get(key);
    }

    /** Bytes as the reports show them: B, KiB, MiB, GiB with one decimal. */
    public static String bytes(long n) {
        if (n < 1024) return n + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format("%.1f %s", v, units[u]);
    }
}
