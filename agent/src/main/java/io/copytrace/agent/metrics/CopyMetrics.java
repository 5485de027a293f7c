// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.metrics;

import io.copytrace.json.JsonWriter;
import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.Recording;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code /metrics} says about one window: the recording so far, read by the analyzer as a report reads a
 * recording (so CPU-copied bytes come from the one copy model, {@code CopyModel}), as counters per series
 * ({@link TopSites}), and the agent's health. The recording itself stays facts only: the metrics are an
 * interpretation made at scrape time, on the scraping agent thread.
 */
final class CopyMetrics {
    private final MetricsSource source;
    private final TopSites top;

    CopyMetrics(MetricsSource source, int sites) {
        this.source = source;
        this.top = new TopSites(sites);
    }

    /** The exposition of the window now. */
    String scrape(Exposition x) throws Exception {
        Map<String, Object> tree = source.recordingSoFar();
        Recording recording = Recording.parse(JsonWriter.write(tree), "metrics");
        Map<Series, long[]> series = top.expose(counts(recording.records()));
        samples(x.counter("copytrace_calls", null, "Calls of hooked JDK I/O methods."), series, Series.CALLS);
        samples(x.counter("copytrace_moved_bytes", "bytes", "Bytes the calls moved."), series, Series.MOVED);
        samples(x.counter("copytrace_cpu_copied_bytes", "bytes",
                "Bytes copied by a CPU (kernel and JVM), as copytrace's copy model derives them from the path taken."),
                series, Series.CPU_COPIED);
        samples(x.counter("copytrace_jvm_copied_bytes", "bytes",
                "Bytes the JVM copied between the Java heap and native memory (measured)."), series, Series.JVM_COPIED);

        Map<?, ?> totals = (Map<?, ?>) tree.get("totals");
        x.gauge("copytrace_sites", null, "Distinct call sites recorded in the window.")
                .sample(Map.of(), number(totals.get("distinctSites")));
        x.gauge("copytrace_sites_folded", null, "Call sites past max-sites, folded into the recording's other row.")
                .sample(Map.of(), number(totals.get("sitesFoldedIntoOther")));
        x.gauge("copytrace_metrics_other_sites", null, "Call sites summed into the series with site=\"other\".")
                .sample(Map.of(), top.otherSites());
        long dropped = 0;
        for (Object r : (List<?>) tree.get("records")) dropped += number(((Map<?, ?>) r).get("endpointNamesDropped"));
        x.counter("copytrace_endpoint_names_dropped", null,
                "Distinct endpoint names (files, peers) seen but not kept: each row keeps a few.").sample(Map.of(), dropped);
        x.counter("copytrace_checkpoints", null, "Checkpoints of the recording, by outcome.")
                .sample(Map.of("outcome", "written"), source.checkpointsWritten())
                .sample(Map.of("outcome", "failed"), source.checkpointsFailed());
        return x.text();
    }

    /** The window's counts per series: records of a site, operation, path and buffer summed; nested ones left out. */
    private static Map<Series, long[]> counts(List<CopyRecord> records) {
        Map<Series, long[]> counts = new LinkedHashMap<>();
        for (CopyRecord r : records) {
            if (r.nested()) continue; // inside another record, which counts its bytes
            String site = "jdk-internal".equals(r.site().kind()) ? Series.JDK_INTERNAL : r.site().frame();
            long[] c = counts.computeIfAbsent(new Series(site, r.operation().wireName(), r.path().wireName(),
                    r.buffer().wireName()), k -> new long[Series.COUNTS]);
            c[Series.CALLS] += r.calls();
            c[Series.MOVED] += r.bytesMoved();
            c[Series.CPU_COPIED] += r.cpuCopiedBytes();
            c[Series.JVM_COPIED] += r.jvmCopiedBytes();
        }
        return counts;
    }

    private static void samples(Exposition x, Map<Series, long[]> series, int count) {
        for (Map.Entry<Series, long[]> e : series.entrySet()) {
            Series s = e.getKey();
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("site", s.site());
            labels.put("operation", s.operation());
            labels.put("path", s.path());
            labels.put("buffer", s.buffer());
            x.sample(labels, e.getValue()[count]);
        }
    }

    private static long number(Object n) {
        return n instanceof Number v ? v.longValue() : 0;
    }
}
