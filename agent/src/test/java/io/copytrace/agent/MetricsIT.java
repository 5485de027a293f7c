// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.Recording;
import io.copytrace.testing.ForkedJvm;
import io.copytrace.testing.Jdk;
import io.copytrace.testing.ReportView;
import io.copytrace.testing.StdoutProtocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code metrics=HOST:PORT} serves the open window's exact counters at {@code /metrics}: per call site (the
 * heaviest {@code metrics-sites}, the rest summed into {@code site="other"}), operation, path and buffer, the
 * same totals the recording has; nothing listens without the option, and a port that cannot be bound costs the
 * metrics, not the recording.
 */
class MetricsIT {
    /** A started metrics workload, once its counts are all in (its {@code ready} file). */
    record App(AgentRun run, ForkedJvm.Running jvm) {
        static App start(Jdk jdk, String options) throws Exception {
            AgentRun run = AgentRun.on(jdk).agent("checkpoint=off" + options);
            ForkedJvm.Running jvm = run.start("metrics");
            Path ready = run.work().resolve("files").resolve("ready");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(ready) && jvm.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
            assertTrue(Files.exists(ready), "the workload did not get ready: "
                    + Files.readString(run.work().resolve("stderr")));
            return new App(run, jvm);
        }

        /** Lets it end and returns what it printed; the recording is then written. */
        ForkedJvm.Exit stop() throws Exception {
            Files.createFile(run.work().resolve("files").resolve("stop"));
            ForkedJvm.Exit exit = jvm.finish(120);
            assertEquals(0, exit.exit(), exit.stderr());
            return exit;
        }

        Recording recording(ForkedJvm.Exit exit) throws Exception {
            return Recording.read(ReportView.onlyRecording(run.work().resolve("rec"), exit.stderr()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void theHeaviestSiteHasItsOwnSeriesAndOtherHasTheRestExactly(Jdk jdk) throws Exception {
        // given: the workload under the agent with metrics on a free loopback port and one site of its own
        int port = MetricsView.freePort();
        App app = App.start(jdk, ",metrics=127.0.0.1:" + port + ",metrics-sites=1");
        MetricsView open;
        MetricsView plain;
        try {
            assertEquals(Set.of(port), MetricsView.listeningPorts(app.jvm().pid()), "the metrics port and no other");
            // when: scraped as Prometheus does (OpenMetrics), and by a client that asks for nothing in particular
            open = MetricsView.get(port, "/metrics", MetricsView.PROMETHEUS_ACCEPT);
            plain = MetricsView.get(port, "/metrics", null);
            assertEquals(404, MetricsView.get(port, "/", null).status());
        } finally {
            app.jvm().close();
        }
        // then: both formats, with the same samples
        assertEquals(200, open.status(), open.body());
        assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8", open.contentType());
        assertTrue(open.body().endsWith("# EOF\n"), open.body());
        assertTrue(open.body().contains("# UNIT copytrace_moved_bytes bytes\n"), open.body());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", plain.contentType());
        assertTrue(!plain.body().contains("# EOF") && !plain.body().contains("# UNIT"), plain.body());
        assertEquals(copySamples(open), copySamples(plain));
    }

    private static List<MetricsView.Sample> copySamples(MetricsView v) {
        return v.samples().stream().filter(s -> s.labels().containsKey("site")).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void theSeriesSumToTheRecordingsTotals(Jdk jdk) throws Exception {
        int port = MetricsView.freePort();
        App app = App.start(jdk, ",metrics=127.0.0.1:" + port + ",metrics-sites=1");
        MetricsView m = MetricsView.get(port, "/metrics", MetricsView.PROMETHEUS_ACCEPT);
        ForkedJvm.Exit exit = app.stop();
        Map<String, Long> truth = StdoutProtocol.truth(exit.stdout());
        Recording rec = app.recording(exit);
        assertEquals(200, m.status(), m.body());

        // the heaviest site (the 40 MiB of heap writes) has its own series, exact
        CopyRecord write = rec.records().stream()
                .filter(r -> r.site().frame().contains("MetricsWorkload.metricsHeapWrite(")).findFirst().orElseThrow();
        String site = write.site().frame();
        assertEquals(Set.of(site, "other", "jdk-internal"), m.sites());
        assertEquals(truth.get("writeCalls"), m.sum("copytrace_calls_total", s -> s.label("site").equals(site)));
        assertEquals(truth.get("written"), m.sum("copytrace_moved_bytes_total", s -> s.label("site").equals(site)));
        assertEquals(truth.get("written"), m.sum("copytrace_jvm_copied_bytes_total", s -> s.label("site").equals(site)));
        // a heap buffer's write: the JVM's copy into a direct buffer, then the kernel's into the page cache
        assertEquals(2 * truth.get("written"), m.sum("copytrace_cpu_copied_bytes_total", s -> s.label("site").equals(site)));
        assertEquals(write.cpuCopiedBytes(), 2 * truth.get("written"));

        // every other application site is in "other": the 8 MiB of direct reads (and the workload's output, on JDK 17)
        assertEquals(truth.get("read"), m.sum("copytrace_moved_bytes_total",
                s -> s.label("site").equals("other") && s.label("operation").equals("file.read")));
        assertEquals(truth.get("readCalls"), m.sum("copytrace_calls_total",
                s -> s.label("site").equals("other") && s.label("operation").equals("file.read")));
        long applicationSites = rec.records().stream().filter(CopyRecord::isApplication).map(r -> r.site().frame())
                .distinct().count();
        assertEquals(applicationSites - 1, m.value("copytrace_metrics_other_sites"), m.body());

        // and the application's series add up to the recording's totals, exactly
        Recording.Totals totals = rec.totals();
        assertEquals(totals.calls(), m.sum("copytrace_calls_total", MetricsIT::application));
        assertEquals(totals.bytesMoved(), m.sum("copytrace_moved_bytes_total", MetricsIT::application));
        assertEquals(totals.jvmCopiedBytes(), m.sum("copytrace_jvm_copied_bytes_total", MetricsIT::application));
        assertEquals(totals.cpuCopiedBytes(), m.sum("copytrace_cpu_copied_bytes_total", MetricsIT::application));
        assertEquals(rec.sites().stream().filter(s -> s.id() > 0).count(), m.value("copytrace_sites"));
    }

    private static boolean application(MetricsView.Sample s) {
        return !s.label("site").equals("jdk-internal");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void withoutTheOptionNothingListens(Jdk jdk) throws Exception {
        App app = App.start(jdk, "");
        try {
            assertEquals(Set.of(), MetricsView.listeningPorts(app.jvm().pid()));
        } finally {
            app.stop();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void aBadValueOrABusyPortCostsTheMetricsNotTheRecording(Jdk jdk) throws Exception {
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            for (String value : List.of("127.0.0.1", "127.0.0.1:" + busy.getLocalPort())) {
                AgentRun.Result r = AgentRun.on(jdk).agent("metrics=" + value).run("heap-loop");
                assertEquals(0, r.exit(), r.stderr());
                List<String> lines = r.stderr().lines().filter(l -> l.startsWith("copytrace:")).toList();
                assertEquals(1, lines.size(), r.stderr());
                assertTrue(lines.get(0).startsWith("copytrace: bad option metrics=" + value + " ("), lines.get(0));
                assertTrue(lines.get(0).endsWith("allowed: HOST:PORT with a port from 1 to 65535, like 127.0.0.1:9404,"
                        + " [::1]:9404 or 0.0.0.0:9404, or off; metrics not served, recording as usual"), lines.get(0));
                assertEquals(64L << 20, RecordingView.num(r.recording().one("file.read", "FileChannelWorkloads.loopRead"), "bytesMoved"));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void theListenerEndsWithItsWindowAndALaterWindowBindsTheSamePort(Jdk jdk) throws Exception {
        int port = MetricsView.freePort();
        try (AttachedApp app = AttachedApp.start(jdk, AgentRun.tempDir("copytrace-metrics"), "attach-loop")) {
            long pid = Long.parseLong(app.pid);
            for (int window = 1; window <= 2; window++) {
                // when: a window opens with metrics on the same port each time
                String status = app.attach("out=" + app.rec + ",kernel=off,metrics=127.0.0.1:" + port);
                assertTrue(status.startsWith("recording to "), status);
                // then: it serves the window, from a thread of the agent's own
                assertEquals(Set.of(port), MetricsView.listeningPorts(pid), "window " + window);
                MetricsView m = MetricsView.get(port, "/metrics", MetricsView.PROMETHEUS_ACCEPT);
                assertEquals(200, m.status(), m.body());
                assertEquals(List.of("copytrace-metri"), metricsThreads(pid)); // /proc keeps 15 characters of a name
                // and when the window stops, its listener and thread are gone
                app.attach("stop");
                assertEquals(Set.of(), MetricsView.listeningPorts(pid), "window " + window + " stopped");
                assertEquals(List.of(), metricsThreads(pid));
            }
        }
    }

    /** The names of process {@code pid}'s threads that start like the metrics thread's (from /proc). */
    private static List<String> metricsThreads(long pid) throws Exception {
        List<String> names = new java.util.ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    if (name.startsWith("copytrace-metr")) names.add(name);
                } catch (java.io.IOException ended) {
                    // the thread ended while listed
                }
            }
        }
        return names;
    }
}
