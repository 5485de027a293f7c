// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static io.copytrace.agent.RecordingView.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.testing.Jdk;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A thread per task: totals stay exact although every thread ends inside the window (platform threads count
 * into their own tallies, folded in when they end), each call lands at its own site although two pools
 * write with the same operation and row key, and a new thread does not walk its stack merely because it is
 * new (fewer walks than threads; one thread per task used to walk five times in its 20 calls).
 */
class ThreadChurnIT {
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void platformThreadsThatChurnCountExactlyAndWalkLess(Jdk jdk) throws Exception {
        AgentRun.Result run = AgentRun.on(jdk).agent("kernel=off").run("churn-platform");
        RecordingView rec = run.recording();
        Map<String, Long> truth = run.truth();

        assertEquals(truth.get("taskCalls"), calls(rec.at("ThreadChurn.writeTask")), "every task write, at its own site");
        assertEquals(truth.get("otherCalls"), calls(rec.at("ThreadChurn.writeOther")), "every other write, at its own site");
        assertEquals(truth.get("taskCalls") * 512, bytes(rec.at("ThreadChurn.writeTask")));
        assertEquals(truth.get("otherCalls") * 512, bytes(rec.at("ThreadChurn.writeOther")));
        long walked = walked(rec.at("ThreadChurn.writeTask")) + walked(rec.at("ThreadChurn.writeOther"));
        assertTrue(walked < truth.get("threads"), walked + " walks for " + truth.get("threads") + " threads");
        // The JVM took the directive that keeps C2 off the walk's code (its answer to Compiler.directives_add).
        assertEquals(Boolean.TRUE, ((Map<?, ?>) rec.root.get("agent")).get("walkCodeC2Excluded"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void virtualThreadsCountExactlyAndWalkLess(Jdk jdk) throws Exception {
        AgentRun.Result run = AgentRun.on(jdk).agent("kernel=off").run("churn-virtual");
        Map<String, Long> truth = run.truth();
        if (jdk.feature() < 21) {
            assertEquals(1L, truth.get("skipped"));
            return;
        }
        RecordingView rec = run.recording();
        assertEquals(truth.get("virtualCalls"), calls(rec.at("ThreadChurn.writeVirtual")));
        assertEquals(truth.get("virtualCalls") * 512, bytes(rec.at("ThreadChurn.writeVirtual")));
        long walked = walked(rec.at("ThreadChurn.writeVirtual"));
        assertTrue(walked < truth.get("threads") / 4, walked + " walks for " + truth.get("threads") + " threads");
        // Counted on the carriers' own counters, not per virtual thread nor atomically: a few carriers only.
        @SuppressWarnings("unchecked")
        Map<String, Object> counting = (Map<String, Object>) ((Map<String, Object>) rec.root.get("agent"))
                .get("virtualThreadCounting");
        assertEquals("carrier", counting.get("mode"));
        long carriers = ((Number) counting.get("carrierTallies")).longValue();
        assertTrue(carriers >= 1 && carriers <= 64, carriers + " carrier tallies");
        // 2,000 virtual threads alive at once: each finds its thread id's slot free, none needs a thread-local map.
        @SuppressWarnings("unchecked")
        Map<String, Object> states = (Map<String, Object>) ((Map<String, Object>) rec.root.get("agent"))
                .get("threadStates");
        assertEquals(0L, ((Number) states.get("withoutSlot")).longValue(), states.toString());
    }

    private static long calls(List<Map<String, Object>> rows) {
        return rows.stream().filter(r -> "file.write".equals(r.get("operation"))).mapToLong(r -> num(r, "calls")).sum();
    }

    private static long bytes(List<Map<String, Object>> rows) {
        return rows.stream().filter(r -> "file.write".equals(r.get("operation")))
                .mapToLong(r -> num(r, "bytesMoved")).sum();
    }

    private static long walked(List<Map<String, Object>> rows) {
        return rows.stream().filter(r -> "file.write".equals(r.get("operation")))
                .mapToLong(r -> num(r, "walkedCalls")).sum();
    }
}
