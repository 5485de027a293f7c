// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.testing.ForkedJvm;
import io.copytrace.testing.Jdk;
import io.copytrace.testing.ReportView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code copytrace report FILE.jfr} on JFR files made without the agent (docs/jfr.md): a workload runs under
 * {@code -XX:StartFlightRecording} with the JDK's own I/O events, the real jar reports on the file.
 */
@SuppressWarnings("unchecked")
class JfrReportIT {
    /** The four I/O events with every call (threshold 0) and stacks, plus the settings and the JVM. */
    static final String ALL_CALLS = """
            <?xml version="1.0" encoding="UTF-8"?>
            <configuration version="2.0" label="copytrace-io" description="every file and socket call">
              <event name="jdk.FileRead"><setting name="enabled">true</setting><setting name="stackTrace">true</setting><setting name="threshold">0 ms</setting></event>
              <event name="jdk.FileWrite"><setting name="enabled">true</setting><setting name="stackTrace">true</setting><setting name="threshold">0 ms</setting></event>
              <event name="jdk.SocketRead"><setting name="enabled">true</setting><setting name="stackTrace">true</setting><setting name="threshold">0 ms</setting></event>
              <event name="jdk.SocketWrite"><setting name="enabled">true</setting><setting name="stackTrace">true</setting><setting name="threshold">0 ms</setting></event>
              <event name="jdk.ActiveSetting"><setting name="enabled">true</setting></event>
              <event name="jdk.JVMInformation"><setting name="enabled">true</setting><setting name="period">beginChunk</setting></event>
            </configuration>
            """;
    /** The workload's methods, each one record's site; the values are the TRUTH keys. */
    static final List<String> METHODS = List.of("smallWrite", "heapWrite", "fileRead", "socketWrite", "drainRead",
            "streamRead", "streamWrite");
    static final String PACKAGE = "io.copytrace.agent.workloads.";

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void everyCallWithThresholdZeroIsReportedExactly(Jdk jdk) throws Exception {
        // given: the workload ran with the four I/O events at threshold 0 and no agent
        AgentRun run = AgentRun.on(jdk);
        Path jfc = Files.writeString(run.work().resolve("io.jfc"), ALL_CALLS);
        Path jfr = run.work().resolve("io.jfr");
        AgentRun.Result result = run.jvm("-XX:StartFlightRecording:filename=" + jfr + ",settings=" + jfc).run("jfr-io");
        assertEquals(0, result.exit(), result.stderr());
        Map<String, Long> truth = result.truth();

        // when: the real jar reports on the JFR file
        ReportView report = ReportView.read(report(jdk, run.work(), jfr, "json"), PACKAGE);

        // then: each method's calls and bytes are the program's own counts, and the sum is exact
        long calls = 0, bytes = 0;
        for (String method : METHODS) {
            Map<String, Object> site = site(report, "JfrWorkloads." + method);
            assertEquals(truth.get(method + ".calls"), ReportView.num(site, "calls"), method + " calls");
            assertEquals(truth.get(method + ".bytes"), ReportView.num(site, "bytesMoved"), method + " bytes");
            calls += truth.get(method + ".calls");
            bytes += truth.get(method + ".bytes");
        }
        long siteCalls = 0, siteBytes = 0;
        for (Map<String, Object> s : report.list("sites")) {
            String site = ReportView.str(s, "site");
            // the JDK's reads of its own net.properties, triggered there
            if (!site.startsWith(PACKAGE + "JfrWorkloads.") || site.contains(".warmUpNetworking(")) continue;
            siteCalls += ReportView.num(s, "calls");
            siteBytes += ReportView.num(s, "bytesMoved");
        }
        assertEquals(calls, siteCalls, "calls at the workload's sites");
        assertEquals(bytes, siteBytes, "bytes at the workload's sites");
        // transferTo (sendfile) has no JFR event: its megabyte is nowhere
        assertTrue(truth.get("transfer.bytes") > 0);
        assertTrue(report.list("sites").stream().noneMatch(s -> ReportView.str(s, "site").contains(".transfer(")));

        // and: the findings the events support, and none that need what they lack (heap-buffer, stream-io)
        report.assertExactly("opportunity small-io JfrWorkloads.smallWrite",
                "opportunity read-write-loop JfrWorkloads.socketWrite");
        Map<String, Object> rec = report.section("recording");
        assertEquals("jfr", ReportView.str(rec, "source"));
        String limits = String.join("\n", (List<String>) rec.get("limits"));
        assertTrue(limits.contains("every call of these events is here"), limits);
        assertFalse(limits.contains("calls faster than that are not recorded"), limits);
        assertTrue(limits.contains("Rules that could not run on these events: heap-buffer"), limits);
        // JDK 17's events carry the JDK's I/O method on top; from JDK 22 the stack starts at its caller
        assertEquals(jdk.feature() >= 22, limits.contains("do not say whether a call went through a FileChannel"), limits);

        // and: the other formats state the limits too
        for (String format : List.of("text", "md", "html")) {
            String text = Files.readString(report(jdk, run.work(), jfr, format));
            assertTrue(text.contains("JDK Flight Recorder events, no copytrace agent"), format);
            assertTrue(text.contains("Rules that could not run on these events"), format);
            assertTrue(text.contains("Run the copytrace agent"), format);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void theDefaultThresholdIsStatedAndTotalsAreALowerBound(Jdk jdk) throws Exception {
        // given: the same workload with the JDK's default settings (I/O events above 20 ms only)
        AgentRun run = AgentRun.on(jdk);
        Path jfr = run.work().resolve("default.jfr");
        AgentRun.Result result = run.jvm("-XX:StartFlightRecording:filename=" + jfr + ",settings=default").run("jfr-io");
        assertEquals(0, result.exit(), result.stderr());

        // when
        ReportView report = ReportView.read(report(jdk, run.work(), jfr, "json"), PACKAGE);

        // then: the threshold read from the file, the lower-bound sentence, and no more than the truth
        String limits = String.join("\n", (List<String>) report.section("recording").get("limits"));
        StringBuilder thresholds = new StringBuilder("Threshold: ");
        for (String event : List.of("jdk.FileRead", "jdk.FileWrite", "jdk.SocketRead", "jdk.SocketWrite")) {
            String throttle = defaultSetting(jdk, event, "throttle");
            thresholds.append(event).append(' ').append(defaultSetting(jdk, event, "threshold"))
                    .append(throttle == null ? "" : " (throttle " + throttle + ")").append(", ");
        }
        thresholds.setLength(thresholds.length() - 2);
        assertTrue(limits.contains(thresholds + ": calls faster than that are not recorded"), limits);
        assertTrue(limits.contains("a lower bound"), limits);
        long truthBytes = 0;
        for (String method : METHODS) truthBytes += result.truth().get(method + ".bytes");
        long siteBytes = 0;
        for (Map<String, Object> s : report.list("sites")) {
            if (ReportView.str(s, "site").startsWith(PACKAGE + "JfrWorkloads.")) siteBytes += ReportView.num(s, "bytesMoved");
        }
        assertTrue(siteBytes <= truthBytes, siteBytes + " > " + truthBytes);
        String text = Files.readString(report(jdk, run.work(), jfr, "text"));
        assertTrue(text.contains("a lower bound"), text);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void aFileWithCopytraceSiteEventsButNoRecordingIsNotGuessedAt(Jdk jdk) throws Exception {
        // given: a JFR file holding an event named as copytrace's own site event, without its recording event
        AgentRun run = AgentRun.on(jdk);
        Path jfr = run.work().resolve("copytrace.jfr");
        assertEquals(0, run.jvm("-XX:StartFlightRecording:filename=" + jfr).run("jfr-copytrace-event").exit());

        // when
        ForkedJvm.Exit exit = ForkedJvm.of(jdk).in(run.work()).named("report")
                .jar(AgentRun.agentJar(), "report", jfr.toString()).run(120);

        // then: one line saying what is missing, exit 2, no report
        assertEquals(2, exit.exit(), exit.stderr());
        assertTrue(exit.stderr().contains("holds copytrace site events but no copytrace.Recording event"), exit.stderr());
        assertEquals("", exit.stdout());
    }

    /** Runs {@code java -jar copytrace.jar report JFR --format F --out report.F} and returns the file. */
    private static Path report(Jdk jdk, Path work, Path jfr, String format) throws Exception {
        Path out = work.resolve(jfr.getFileName() + ".report." + format);
        ForkedJvm.Exit exit = ForkedJvm.of(jdk).in(work).named("report-" + format)
                .jar(AgentRun.agentJar(), "report", jfr.toString(), "--format", format, "--out", out.toString()).run(120);
        assertEquals(0, exit.exit(), exit.stderr());
        return out;
    }

    /** A setting of {@code event} in the JDK's own default.jfc, null when absent (JDK 17: 20 ms; 25: 1 ms, 100/s). */
    private static String defaultSetting(Jdk jdk, String event, String name) throws Exception {
        String jfc = Files.readString(jdk.home().resolve("lib/jfr/default.jfc"));
        String block = jfc.substring(jfc.indexOf("<event name=\"" + event + "\">"));
        block = block.substring(0, block.indexOf("</event>"));
        Matcher m = Pattern.compile("<setting name=\"" + name + "\"[^>]*>([^<]+)</setting>").matcher(block);
        return m.find() ? m.group(1) : null;
    }

    /** The one report site in {@code Class.method}. */
    private static Map<String, Object> site(ReportView report, String method) {
        List<Map<String, Object>> found = report.list("sites").stream()
                .filter(s -> ReportView.str(s, "site").startsWith(PACKAGE + method + "(")).toList();
        assertEquals(1, found.size(), () -> method + ": " + found + " in " + report.list("sites"));
        return found.get(0);
    }
}
