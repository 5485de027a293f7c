// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import io.copytrace.testing.ReportView;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Test-side queries over a recording ({@link ReportView} reads it): records by operation and call-site method
 * in the workloads, and the analyzer's reading of each record.
 */
@SuppressWarnings("unchecked")
public final class RecordingView {
    static final String WORKLOADS = "io.copytrace.agent.workloads.";
    public final Map<String, Object> root;
    private final ReportView json;
    /** The recording file. */
    public final Path file;
    private final Map<Long, Map<String, Object>> sites = new HashMap<>();

    /** Where each record map keeps the analyzer's reading of it (the agent writes facts only). */
    private static final String ANALYZED = "(analyzed)";

    private final io.copytrace.recording.Recording analyzed;

    private RecordingView(ReportView json, io.copytrace.recording.Recording analyzed) {
        this.json = json;
        this.file = json.file;
        this.root = json.root;
        this.analyzed = analyzed;
        for (Map<String, Object> site : json.list("sites")) sites.put((Long) site.get("id"), site);
        List<Map<String, Object>> records = records();
        if (records.size() != analyzed.records().size()) {
            throw new AssertionError("the analyzer read " + analyzed.records().size() + " of " + records.size()
                    + " records: " + analyzed.warnings());
        }
        for (int i = 0; i < records.size(); i++) records.get(i).put(ANALYZED, analyzed.records().get(i));
    }

    static RecordingView read(Path file) throws Exception {
        return new RecordingView(ReportView.read(file), io.copytrace.recording.Recording.read(file));
    }

    /**
     * The analyzer's reading of a record: the copy model's CPU copies and the direct path's mechanism are
     * derived there from the recorded facts, never written by the agent.
     */
    public static io.copytrace.recording.CopyRecord analyzed(Map<String, Object> record) {
        Object a = record.get(ANALYZED);
        if (a == null) throw new AssertionError("not a record of a RecordingView: " + record);
        return (io.copytrace.recording.CopyRecord) a;
    }

    /**
     * The profile as the analyzer attributes the recorded samples (the section the JSON report writes), or
     * null without a profile section.
     */
    public Map<String, Object> analyzedProfile() {
        return analyzed.profile().map(io.copytrace.profile.CpuProfile::toJson).orElse(null);
    }

    /** The analyzer's findings for this recording (fixed host costs: the tests do not judge time). */
    public List<io.copytrace.analysis.Finding> findings() throws Exception {
        return io.copytrace.analysis.Analysis.analyze(analyzed,
                io.copytrace.analysis.HostCost.fixed(10, 500)).findings();
    }

    /** The findings of one rule. */
    public List<io.copytrace.analysis.Finding> findings(String rule) throws Exception {
        return findings().stream().filter(f -> f.rule().equals(rule)).toList();
    }

    /** The flows into a record (the writes' sources), from the recording's flows section. */
    public List<Map<String, Object>> flowsInto(Map<String, Object> record) {
        return json.list("flows").stream()
                .filter(f -> record.get("id").equals(f.get("to"))).toList();
    }

    public List<Map<String, Object>> records() {
        return json.list("records");
    }

    public Map<String, Object> site(Map<String, Object> record) {
        return sites.get((Long) record.get("site"));
    }

    public String frame(Map<String, Object> record) {
        return (String) site(record).get("frame");
    }

    /**
     * Records whose site frame is {@code <method>(} of a class of the workloads package, or {@code <Class.method>(}
     * when qualified (a nested class as {@code Class$Nested.method}).
     */
    public List<Map<String, Object>> at(String method) {
        return where(r -> {
            String frame = frame(r);
            if (!frame.startsWith(WORKLOADS) || frame.indexOf('(') < 0) return false;
            String qualified = frame.substring(WORKLOADS.length(), frame.indexOf('('));
            return method.contains(".") ? qualified.equals(method)
                    : qualified.substring(qualified.lastIndexOf('.') + 1).equals(method);
        });
    }

    public List<Map<String, Object>> where(Predicate<Map<String, Object>> p) {
        return records().stream().filter(p).toList();
    }

    /** The one record of {@code operation} at {@code method}; fails when there is not exactly one. */
    public Map<String, Object> one(String operation, String method) {
        List<Map<String, Object>> found = at(method).stream().filter(r -> operation.equals(r.get("operation"))).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + operation + " record at " + method + ", found " + found.size()
                    + ": " + found + "\nall records at workloads: " + where(r -> frame(r).startsWith(WORKLOADS)));
        }
        return found.get(0);
    }

    public static long num(Map<String, Object> record, String key) {
        return ReportView.num(record, key);
    }

    public static double dbl(Map<String, Object> record, String key) {
        return ReportView.dbl(record, key);
    }

    public static String str(Map<String, Object> record, String key) {
        return ReportView.str(record, key);
    }

    public static String kind(Map<String, Object> record, String end) {
        return ReportView.str(ReportView.obj(record, end), "kind");
    }

    public static List<String> names(Map<String, Object> record, String end) {
        return (List<String>) ReportView.obj(record, end).get("names");
    }

    public Map<String, Object> section(String key) {
        return json.section(key);
    }
}
