// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Per-thread counters: exact totals while threads count, after they end, and never a count seen twice. */
class TallyTest {
    @Test
    void totalsAreExactAndNeverRunAheadWhileThreadsCountAndAfterTheyEnd() throws Exception {
        Stats row = new Stats(12345);
        int threads = 4;
        int adds = 200_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                long[] mine = Tally.register().counts(row);
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < adds; i++) {
                    Tally.add(mine, Codes.C_CALLS, 1);
                    Tally.add(mine, Codes.C_MOVED, 3);
                }
            });
            workers.add(w);
            w.start();
        }
        AtomicReference<String> bad = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            long last = 0;
            while (workers.stream().anyMatch(Thread::isAlive)) {
                long[] now = row.totals(Stats.pending());
                // A tally folded into the shared counters must not also be read from the live list.
                if (now[Codes.C_CALLS] < last || now[Codes.C_CALLS] > (long) threads * adds) {
                    bad.compareAndSet(null, "calls went from " + last + " to " + now[Codes.C_CALLS]);
                }
                last = now[Codes.C_CALLS];
            }
        });
        reader.start();
        go.countDown();
        for (Thread w : workers) w.join();
        reader.join();
        assertEquals(null, bad.get());

        long[] totals = row.totals(Stats.pending());
        assertEquals((long) threads * adds, totals[Codes.C_CALLS]);
        assertEquals(3L * threads * adds, totals[Codes.C_MOVED]);
        assertEquals((long) threads * adds, row.shared().get(Codes.C_CALLS), "ended threads were folded in");
        assertEquals(totals[Codes.C_CALLS], row.totals(Stats.pending())[Codes.C_CALLS], "and are not counted again");
    }

    @Test
    void theRegistryDropsEndedThreadsAsNewOnesRegister() throws Exception {
        Stats row = new Stats(777);
        for (int i = 0; i < 2_000; i++) {
            Thread t = new Thread(() -> Tally.add(Tally.register().counts(row), Codes.C_CALLS, 1));
            t.start();
            t.join();
        }
        assertTrue(Tally.registered() <= 600, Tally.registered() + " tallies kept for 2,000 ended threads");
        assertEquals(2_000, row.totals(Stats.pending())[Codes.C_CALLS]);
    }
}
