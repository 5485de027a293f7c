// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {
    private static AgentOptions parse(String args) throws AgentOptions.Invalid {
        return AgentOptions.parse(args, new Properties(), Map.of());
    }

    @Test
    void defaultsWhenNothingIsGiven() throws Exception {
        AgentOptions o = parse(null);
        assertEquals("copytrace-recording", o.out.toString());
        assertNull(o.duration);
        assertEquals(16, o.stackDepth);
        assertEquals(1024, o.sampleInterval);
        assertEquals(10_000, o.maxSites);
        assertTrue(o.jdkInternal);
        assertEquals("proc", o.kernel);
    }

    @Test
    void listsContinueAcrossCommas() throws Exception {
        AgentOptions o = parse("include=com.acme,org.example,stack-depth=4,exclude=a.b");
        assertEquals(List.of("com.acme", "org.example"), o.include);
        assertEquals(List.of("a.b"), o.exclude);
        assertEquals(4, o.stackDepth);
    }

    @Test
    void agentArgsBeatSystemPropertiesWhichBeatTheEnvironment() throws Exception {
        Properties props = new Properties();
        props.setProperty("copytrace.stack-depth", "8");
        props.setProperty("copytrace.max-sites", "7");
        Map<String, String> env = Map.of("COPYTRACE_MAX_SITES", "9", "COPYTRACE_SAMPLE_INTERVAL", "3");
        AgentOptions o = AgentOptions.parse("stack-depth=2", props, env);
        assertEquals(2, o.stackDepth);
        assertEquals(7, o.maxSites);
        assertEquals(3, o.sampleInterval);
    }

    @Test
    void durations() throws Exception {
        assertEquals(Duration.ofMillis(500), parse("duration=500ms").duration);
        assertEquals(Duration.ofSeconds(30), parse("duration=30s").duration);
        assertEquals(Duration.ofMinutes(5), parse("duration=5m").duration);
        assertEquals(Duration.ofHours(1), parse("duration=1h").duration);
    }

    @Test
    void everyProblemIsReportedOnItsOwnLine() {
        AgentOptions.Invalid bad = assertThrows(AgentOptions.Invalid.class,
                () -> parse("stack-depth=x,kernel=ebpf,nope=1,duration=3"));
        assertEquals(4, bad.lines().size(), bad.lines().toString());
        for (String line : bad.lines()) {
            assertTrue(line.startsWith("copytrace: ") && line.contains("allowed") && line.endsWith("agent disabled"), line);
        }
        assertTrue(bad.lines().stream().anyMatch(l -> l.contains("kernel=ebpf") && l.contains("perf, sampled, proc or off")));
    }

    @Test
    void aWordWithoutEqualsAfterAScalarOptionIsAnError() {
        AgentOptions.Invalid bad = assertThrows(AgentOptions.Invalid.class, () -> parse("out=x,oops"));
        assertTrue(bad.lines().get(0).contains("oops"), bad.lines().toString());
    }

    @Test
    void timesReadEveryUnitOfTheOneTableAndSayWhatIsWrong() throws Exception {
        assertEquals(Duration.ofMillis(5), parse("duration=5ms").duration, "ms, not m");
        assertEquals(Duration.ofSeconds(90), parse("duration=90 s").duration);
        assertEquals(100_000, parse("profile-interval=100us").profileIntervalNanos);
        assertEquals(List.of("copytrace: bad option duration=3 (no unit (ms, s, m or h)): allowed: a duration like"
                + " 500ms, 30s, 5m, 1h (empty = until the JVM exits); agent disabled"), problems("duration=3"));
        assertEquals(List.of("copytrace: bad option duration=500us (not a number): allowed: a duration like"
                + " 500ms, 30s, 5m, 1h (empty = until the JVM exits); agent disabled"), problems("duration=500us"));
        assertEquals(List.of("copytrace: bad option duration=0s (must be positive): allowed: a duration like"
                + " 500ms, 30s, 5m, 1h (empty = until the JVM exits); agent disabled"), problems("duration=0s"));
        assertEquals(List.of("copytrace: bad option profile-interval=5m (no unit (us, ms or s)): allowed: an interval"
                + " from 100us to 1s, like 500us, 1ms, 10ms; agent disabled"), problems("profile-interval=5m"));
        assertEquals(List.of("copytrace: bad option profile-interval=99us (not from 100us to 1s): allowed: an interval"
                + " from 100us to 1s, like 500us, 1ms, 10ms; agent disabled"), problems("profile-interval=99us"));
        assertTrue(problems("profile-interval=1001ms").get(0).contains("(not from 100us to 1s)"));
        assertTrue(problems("duration=99999999999999h").get(0).contains("(too long)"), "not a negative window");
    }

    @Test
    void checkpointsAreATimeOrOffAndFlowsAreOnOrOff() throws Exception {
        assertEquals(Duration.ofSeconds(60), parse(null).checkpoint);
        assertEquals(Duration.ofMillis(200), parse("checkpoint=200ms").checkpoint);
        assertNull(parse("checkpoint=off").checkpoint);
        assertNull(parse("checkpoint=OFF").checkpoint);
        assertEquals(List.of("copytrace: bad option checkpoint=3 (no unit (ms, s, m or h)): allowed: a duration like"
                + " 500ms, 30s, 5m, or off; agent disabled"), problems("checkpoint=3"));
        assertTrue(problems("checkpoint=").get(0).contains("(no unit"), "empty is no interval");
        assertTrue(parse(null).flows);
        assertEquals(false, parse("flows=off").flows);
        assertEquals(List.of("copytrace: bad option flows=maybe (not one of the allowed values): allowed: on or off;"
                + " agent disabled"), problems("flows=maybe"));
    }

    @Test
    void aBadReportFormatIsNamed() {
        assertEquals(List.of("copytrace: bad option report=html,pdf ('pdf' is not a format): allowed: comma-separated"
                + " formats among text, md, html, json (empty = none); agent disabled"), problems("report=html,pdf"));
    }

    @Test
    void theHelpListsEveryOptionWithItsDefaultAndAllowedValues() {
        String help = AgentOptions.help();
        for (OptionSpec<?> s : AgentOptions.SPECS) {
            assertTrue(help.contains("  " + s.name() + " (default " + (s.defaultValue().isEmpty() ? "empty" : s.defaultValue())
                    + ")\n"), s.name());
            assertTrue(help.replaceAll("\\s+", " ").contains("allowed: " + s.allowed() + " " + s.help()), s.name());
        }
        for (String line : help.lines().toList()) assertTrue(line.length() <= 80, line);
    }

    @Test
    void attachHelpPrintsTheOptions() {
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
            exit = AgentCli.run(new String[] {"attach", "--help"}, java.nio.file.Path.of("copytrace.jar"));
        } finally {
            System.setOut(stdout);
        }
        assertEquals(0, exit);
        assertTrue(printed.toString(java.nio.charset.StandardCharsets.UTF_8).contains(AgentOptions.help()), printed.toString());
    }

    private static List<String> problems(String args) {
        return assertThrows(AgentOptions.Invalid.class, () -> parse(args)).lines();
    }

    @Test
    void metricsIsHostAndPortOrOffAndABadValueCostsTheMetricsOnly() throws Exception {
        assertNull(parse(null).metrics);
        assertEquals(20, parse(null).metricsSites);
        AgentOptions o = parse("metrics=127.0.0.1:9404,metrics-sites=5");
        assertEquals("127.0.0.1", o.metrics.getHostString());
        assertEquals(9404, o.metrics.getPort());
        assertEquals(5, o.metricsSites);
        assertEquals("::1", parse("metrics=[::1]:1").metrics.getHostString());
        assertEquals("localhost", parse("metrics=localhost:65535").metrics.getHostString());
        for (String[] bad : new String[][] {{"127.0.0.1", "no port"}, {"127.0.0.1:0", "port not from 1 to 65535"},
                {"127.0.0.1:65536", "port not from 1 to 65535"}, {":9404", "no host"}, {"::1:9404", "an IPv6 address needs brackets"},
                {"127.0.0.1:http", "no port"}}) {
            AgentOptions b = parse("metrics=" + bad[0]); // no Invalid: the agent records as usual
            assertNull(b.metrics, bad[0]);
            assertEquals(List.of("copytrace: bad option metrics=" + bad[0] + " (" + bad[1] + "): allowed: "
                    + AgentOptions.METRICS.allowed() + "; metrics not served, recording as usual"), b.warnings, bad[0]);
        }
        AgentOptions sites = parse("metrics=127.0.0.1:9404,metrics-sites=0");
        assertNull(sites.metrics);
        assertEquals(1, sites.warnings.size());
    }
}
