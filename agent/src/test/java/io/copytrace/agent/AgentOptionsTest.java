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
}
