// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Flows count per thread like rows: exact totals while threads count and after they end, no atomic add per write. */
class FlowsTest {
    @BeforeEach
    void clean() {
        Flows.clear();
        Tally.clear();
    }

    @Test
    void platformThreadsCountFlowsInTheirOwnTalliesAndTotalsStayExactAfterTheyEnd() throws Exception {
        Stats read = new Stats(1);
        Stats write = new Stats(2);
        int threads = 3;
        int writes = 10_000;
        CountDownLatch counted = new CountDownLatch(threads);
        CountDownLatch end = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                ThreadState s = new ThreadState();
                long source = Provenance.source(read.id, s.tag, 0); // filled on this thread: not handed off
                for (int i = 0; i < writes; i++) Flows.add(s, source, write, 100);
                counted.countDown();
                Latches.await(end);
            });
            workers.add(w);
            w.start();
        }
        counted.await();
        Flows.Flow live = only(Flows.all(Stats.pending()));
        assertEquals(100L * threads * writes, live.bytes(), "live threads' counts are read from their tallies");
        assertEquals((long) threads * writes, live.calls());
        assertEquals(read, live.from());
        assertEquals(write, live.to());
        assertEquals(0, sharedBytes(), "no atomic add while the counting threads live");

        end.countDown();
        for (Thread w : workers) w.join();
        Flows.Flow ended = only(Flows.all(Stats.pending()));
        assertEquals(100L * threads * writes, ended.bytes(), "ended threads' counts are folded in, once");
        assertEquals(100L * threads * writes, sharedBytes());
        assertEquals(ended.bytes(), only(Flows.all(Stats.pending())).bytes(), "and not counted again");
    }

    private static long sharedBytes() {
        return ((Flows.FlowCounts) Flows.counts().get(0)).shared().get(Flows.BYTES);
    }

    private static Flows.Flow only(List<Flows.Flow> flows) {
        assertEquals(1, flows.size(), String.valueOf(flows));
        return flows.get(0);
    }
}
