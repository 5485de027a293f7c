// SPDX-License-Identifier: Apache-2.0
package io.copytrace.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.copytrace.json.JsonReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Test-side read access to a JSON file copytrace writes, a report or a recording, parsed with the analyzer's
 * own {@link JsonReader}: sections and typed values, and a report's findings by kind, rule and call-site
 * method, with the one assertion every sample test makes: the report holds exactly the planted findings.
 */
@SuppressWarnings("unchecked")
public final class ReportView {
    /** The whole document. */
    public final Map<String, Object> root;
    /** The file it was read from. */
    public final Path file;
    /** The package a finding's method is named relative to ("" for none). */
    private final String codePackage;

    private ReportView(Path file, Map<String, Object> root, String codePackage) {
        this.file = file;
        this.root = root;
        this.codePackage = codePackage;
    }

    /** Parses a report or a recording. */
    public static ReportView read(Path file) throws IOException {
        return read(file, "");
    }

    /** Parses a report whose findings' methods are named relative to {@code codePackage} (e.g. "io.copytrace.samples."). */
    public static ReportView read(Path file, String codePackage) throws IOException {
        return new ReportView(file, (Map<String, Object>) JsonReader.parse(Files.readString(file)), codePackage);
    }

    /** The {@code recording-PID.json} files in {@code dir} (none when it does not exist). */
    public static List<Path> recordings(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().matches("recording-\\d+\\.json")).toList();
        }
    }

    /** The one recording in {@code dir}; fails, with {@code stderr} of the run, when there is not exactly one. */
    public static Path onlyRecording(Path dir, String stderr) throws IOException {
        List<Path> files = recordings(dir);
        if (files.size() != 1) throw new AssertionError("expected one recording in " + dir + ", found " + files
                + "\nstderr: " + stderr);
        return files.get(0);
    }

    /** A top-level object, e.g. {@code totals}, {@code kernel}, {@code potentialSaving}; null when absent. */
    public Map<String, Object> section(String key) {
        return (Map<String, Object>) root.get(key);
    }

    /** A top-level list, e.g. {@code records}, {@code sites}, {@code flows}. */
    public List<Map<String, Object>> list(String key) {
        return (List<Map<String, Object>>) root.get(key);
    }

    /** A report's findings, rank order. */
    public List<Map<String, Object>> findings() {
        return list("findings");
    }

    /**
     * Every finding as {@code kind rule Class.method}, sorted, counted: e.g.
     * {@code {"opportunity read-write-loop Sample02HeapBufferSend.sendWithHeapBuffer": 1}}.
     */
    public Map<String, Long> shape() {
        return findings().stream().collect(Collectors.groupingBy(this::key, TreeMap::new, Collectors.counting()));
    }

    /** Asserts the report holds exactly these findings ({@code "kind rule Class.method"}, once each). */
    public void assertExactly(String... expected) {
        Map<String, Long> want = new TreeMap<>();
        for (String e : expected) want.merge(e, 1L, Long::sum);
        assertEquals(want, shape(), () -> "findings differ; titles: " + findings().stream()
                .map(f -> "\n  " + key(f) + ": " + f.get("title")).collect(Collectors.joining()));
    }

    /** The one finding of {@code rule} whose site is in {@code Class.method}; fails unless there is one. */
    public Map<String, Object> one(String rule, String method) {
        List<Map<String, Object>> found = all(rule, method);
        if (found.size() != 1) throw new AssertionError("expected one " + rule + " finding at " + method + ", found "
                + found.size() + " in " + shape());
        return found.get(0);
    }

    /** All findings of {@code rule} at {@code Class.method}. */
    public List<Map<String, Object>> all(String rule, String method) {
        return findings().stream().filter(f -> rule.equals(f.get("rule")) && method.equals(method(f))).toList();
    }

    /** {@code kind rule Class.method} of a finding. */
    public String key(Map<String, Object> f) {
        return f.get("kind") + " " + f.get("rule") + " " + method(f);
    }

    /** {@code Class.method} of a finding's site, relative to the code package; "-" for a finding without a site. */
    public String method(Map<String, Object> f) {
        String site = (String) f.get("site");
        if (site == null) return "-";
        String m = site.substring(0, site.indexOf('('));
        return m.startsWith(codePackage) ? m.substring(codePackage.length()) : m;
    }

    /** A number of {@code map}; fails when it has none. */
    public static long num(Map<String, Object> map, String key) {
        Object v = map.get(key);
        if (v == null) throw new AssertionError("no " + key + " in " + map);
        return ((Number) v).longValue();
    }

    /** A number of {@code map} as a double. */
    public static double dbl(Map<String, Object> map, String key) {
        return ((Number) map.get(key)).doubleValue();
    }

    /** A string of {@code map}. */
    public static String str(Map<String, Object> map, String key) {
        return (String) map.get(key);
    }

    /** An object of {@code map}. */
    public static Map<String, Object> obj(Map<String, Object> map, String key) {
        return (Map<String, Object>) map.get(key);
    }

    /** A finding's bytes. */
    public static long bytes(Map<String, Object> finding) {
        return ((Number) finding.get("bytes")).longValue();
    }

    /** One figure of a finding's saving, e.g. {@code cpuCopiedBytes}. */
    public static long saving(Map<String, Object> finding, String key) {
        return ((Number) obj(finding, "saving").get(key)).longValue();
    }

    /** A finding's evidence lines: each its {@code name} and figures (docs/report-format.md#evidence). */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> evidence(Map<String, Object> finding) {
        return (List<Map<String, Object>>) finding.get("evidence");
    }

    /** A finding's stack. */
    public static List<String> stack(Map<String, Object> finding) {
        return (List<String>) finding.get("stack");
    }
}
