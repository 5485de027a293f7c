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
 * 64 platform threads and (JDK 21+) 10,000 virtual threads writing at once keep exact totals; 100,000 distinct
 * files keep the agent's memory bounded: a row keeps at most 8 names and says how many it dropped, and the heap
 * in use after a full GC grows by less than 16 MiB (the same workload without the agent is the reference).
 */
class LoadAndScaleIT {
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void exactUnderLoadAndBoundedWithManyNames(Jdk jdk) throws Exception {
        AgentRun.Result plain = AgentRun.on(jdk).run("load-and-scale");
        AgentRun.Result run = AgentRun.on(jdk).agent("kernel=off").run("load-and-scale");
        assertEquals(0, run.exit(), run.stderr());
        RecordingView rec = run.recording();
        Map<String, Long> truth = run.truth();

        assertEquals(truth.get("platformCalls"), calls(rec.at("LoadAndScale.platformWrite")));
        assertEquals(truth.get("platformCalls") * 100, bytes(rec.at("LoadAndScale.platformWrite")));
        assertEquals(truth.get("virtualCalls"), calls(rec.at("LoadAndScale.virtualWrite")));
        assertEquals(truth.get("virtualCalls") * 100, bytes(rec.at("LoadAndScale.virtualWrite")));
        if (jdk.feature() >= 21) assertEquals(100_000L, truth.get("virtualCalls"));

        List<Map<String, Object>> names = rec.at("LoadAndScale.nameWrite");
        assertEquals(truth.get("nameCalls"), calls(names));
        for (Map<String, Object> r : names) {
            assertTrue(RecordingView.names(r, "target").size() <= 8, "names kept per row: " + r);
        }
        long dropped = names.stream().mapToLong(r -> r.containsKey("endpointNamesDropped")
                ? num(r, "endpointNamesDropped") : 0).sum();
        assertTrue(dropped >= 99_000, "the recording says how many names it dropped: " + dropped);

        long grown = truth.get("heapUsedAfterGc") - plain.truth().get("heapUsedAfterGc");
        assertTrue(grown < 16L << 20, "heap in use after GC grew by " + (grown >> 20) + " MiB with the agent");
    }

    private static long calls(List<Map<String, Object>> rows) {
        return rows.stream().filter(r -> "file.write".equals(r.get("operation"))).mapToLong(r -> num(r, "calls")).sum();
    }

    private static long bytes(List<Map<String, Object>> rows) {
        return rows.stream().filter(r -> "file.write".equals(r.get("operation")))
                .mapToLong(r -> num(r, "bytesMoved")).sum();
    }
}
