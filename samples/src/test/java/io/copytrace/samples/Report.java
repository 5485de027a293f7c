// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.copytrace.json.JsonReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Test-side queries over a JSON report: findings by kind, rule and call-site method, and the one
 * assertion every sample test makes: the report holds exactly the planted findings.
 */
@SuppressWarnings("unchecked")
final class Report {
    static final String SAMPLES = "io.copytrace.samples.";
    final Map<String, Object> root;

    private Report(Map<String, Object> root) {
        this.root = root;
    }

    static Report read(Path file) throws IOException {
        return new Report((Map<String, Object>) JsonReader.parse(Files.readString(file)));
    }

    List<Map<String, Object>> findings() {
        return (List<Map<String, Object>>) root.get("findings");
    }

    /**
     * Every finding as {@code kind rule Class.method}, sorted, counted: e.g.
     * {@code {"opportunity read-write-loop Sample02HeapBufferSend.sendWithHeapBuffer": 1}}.
     */
    Map<String, Long> shape() {
        return findings().stream().collect(Collectors.groupingBy(Report::key, TreeMap::new, Collectors.counting()));
    }

    /** Asserts the report holds exactly these findings ({@code "kind rule Class.method"}, once each). */
    void assertExactly(String... expected) {
        Map<String, Long> want = new TreeMap<>();
        for (String e : expected) want.merge(e, 1L, Long::sum);
        assertEquals(want, shape(), () -> "findings differ; titles: " + findings().stream()
                .map(f -> "\n  " + key(f) + ": " + f.get("title")).collect(Collectors.joining()));
    }

    /** The one finding of {@code rule} whose site is in {@code Class.method} (without the samples package). */
    Map<String, Object> one(String rule, String method) {
        List<Map<String, Object>> found = findings().stream()
                .filter(f -> rule.equals(f.get("rule")) && method.equals(method(f))).toList();
        if (found.size() != 1) throw new AssertionError("expected one " + rule + " finding at " + method + ", found "
                + found.size() + " in " + shape());
        return found.get(0);
    }

    /** All findings of {@code rule} at {@code Class.method}. */
    List<Map<String, Object>> all(String rule, String method) {
        return findings().stream().filter(f -> rule.equals(f.get("rule")) && method.equals(method(f))).toList();
    }

    static String key(Map<String, Object> f) {
        return f.get("kind") + " " + f.get("rule") + " " + method(f);
    }

    /** {@code Class.method} of a finding's site, relative to {@code io.copytrace.samples.}. */
    static String method(Map<String, Object> f) {
        String site = (String) f.get("site");
        if (site == null) return "-";
        String m = site.substring(0, site.indexOf('('));
        return m.startsWith(SAMPLES) ? m.substring(SAMPLES.length()) : m;
    }

    static long bytes(Map<String, Object> f) {
        return ((Number) f.get("bytes")).longValue();
    }

    static long saving(Map<String, Object> f, String key) {
        return ((Number) ((Map<String, Object>) f.get("saving")).get(key)).longValue();
    }

    /** A finding's evidence lines: each its {@code name} and figures (docs/report-format.md#evidence). */
    static List<Map<String, Object>> evidence(Map<String, Object> f) {
        return (List<Map<String, Object>>) f.get("evidence");
    }

    static List<String> stack(Map<String, Object> f) {
        return (List<String>) f.get("stack");
    }
}
