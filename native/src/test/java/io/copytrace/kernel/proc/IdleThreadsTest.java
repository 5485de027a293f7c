// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A later reading keeps a thread's earlier one when its schedstat shows it has not run since, and only then. */
class IdleThreadsTest {
    @TempDir
    Path dir;

    @Test
    void aThreadWhoseSchedstatDidNotMoveKeepsItsEarlierReadingTheOthersAreReadAgain() throws Exception {
        assumeTrue(ThreadSnapshot.CARRY_IDLE, "nohz_full kernel: every thread is read in full");
        Path proc = dir.resolve("proc");
        ThreadWindowTest.process(proc, 100, 10, 4_000, 2_000, 500);
        long[] before = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        ThreadWindowTest.task(proc, 2, "idle", 2, before);
        ThreadWindowTest.task(proc, 3, "busy", 3, before);
        ThreadWindowTest.task(proc, 4, "never-ran", 4, before);
        ThreadWindowTest.task(proc, 5, "no-schedstat", 5, before);
        Files.writeString(proc.resolve("task/2/schedstat"), "5000 70 3\n");
        Files.writeString(proc.resolve("task/3/schedstat"), "5000 70 3\n");
        Files.writeString(proc.resolve("task/4/schedstat"), "0 0 0\n");
        ThreadSnapshot first = ThreadSnapshot.read(proc, -1, true);
        assertEquals(0, first.carried(), "nothing earlier to keep");

        // Every thread's counters move; only the busy thread's schedstat does: the idle one's files are not read.
        long[] after = {11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
        for (int tid = 2; tid <= 5; tid++) ThreadWindowTest.task(proc, tid, "t" + tid, tid, after);
        Files.writeString(proc.resolve("task/3/schedstat"), "5100 70 4\n");
        ThreadSnapshot second = ThreadSnapshot.read(proc, -1, false, first, 0);

        assertEquals(1, second.carried());
        assertSame(first.tasks().get(2), second.tasks().get(2), "idle: its earlier reading, files not read");
        assertEquals(3, second.tasks().get(2).counters().get("rchar"), "the fixture's idle counters are its first");
        for (int tid = 3; tid <= 5; tid++) {
            assertNotSame(first.tasks().get(tid), second.tasks().get(tid), "tid " + tid);
            assertEquals(13, second.tasks().get(tid).counters().get("rchar"), "tid " + tid + " read again");
            assertEquals("t" + tid, second.tasks().get(tid).name());
        }
        assertEquals(0, ThreadSnapshot.read(proc, -1, false).carried(), "no earlier reading given: all read");
        assertEquals(0, ThreadSnapshot.read(proc, -1, first).carried(), "an earlier reading under 50 ms old: all read");
    }

    @Test
    void liveThreadsAParkedOneIsCarriedOneThatWroteIsReadAgainWithItsExactWrites() throws Exception {
        assumeTrue(ThreadSnapshot.CARRY_IDLE && Files.exists(Path.of("/proc/thread-self/schedstat")));
        AtomicInteger idleTid = new AtomicInteger();
        AtomicInteger busyTid = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch write = new CountDownLatch(1);
        CountDownLatch wrote = new CountDownLatch(1);
        CountDownLatch end = new CountDownLatch(1);
        Thread idle = new Thread(() -> {
            idleTid.set(ThreadSnapshot.currentTid());
            started.countDown();
            await(end);
        }, "carry-idle");
        Thread busy = new Thread(() -> {
            try (FileOutputStream out = new FileOutputStream("/dev/null")) {
                busyTid.set(ThreadSnapshot.currentTid());
                started.countDown();
                await(write);
                for (int i = 0; i < 100; i++) out.write(new byte[16]);
                wrote.countDown();
                await(end);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "carry-busy");
        idle.start();
        busy.start();
        try {
            started.await();
            Thread.sleep(50); // both blocked in await
            int self = ThreadSnapshot.currentTid();
            ThreadSnapshot first = ThreadSnapshot.read(ProcSnapshot.SELF, self, false);
            write.countDown();
            wrote.await();
            Thread.sleep(60); // past CARRY_AFTER_NANOS
            ThreadSnapshot second = ThreadSnapshot.read(ProcSnapshot.SELF, self, first);
            ThreadSnapshot full = ThreadSnapshot.read(ProcSnapshot.SELF, self, false);

            assertSame(first.tasks().get(idleTid.get()), second.tasks().get(idleTid.get()), "parked: carried");
            assertTrue(second.carried() >= 1);
            assertEquals(full.tasks().get(idleTid.get()).counters(), second.tasks().get(idleTid.get()).counters(),
                    "what a full reading sees");
            ThreadCounters wrote100 = second.tasks().get(busyTid.get()).counters()
                    .minus(first.tasks().get(busyTid.get()).counters());
            assertEquals(100, wrote100.get("syscw"), "the busy thread read again: its 100 writes");
            assertEquals(1_600, wrote100.get("wchar"));
            assertFalse(second.tasks().containsKey(self) && second.tasks().get(self) == first.tasks().get(self),
                    "the reading thread is always read");
        } finally {
            end.countDown();
            idle.join();
            busy.join();
        }
    }

    @Test
    void tickless() throws Exception {
        Path file = dir.resolve("nohz_full");
        assertFalse(ThreadSnapshot.tickless(file), "no file: no nohz_full support");
        Files.writeString(file, "(null)\n");
        assertFalse(ThreadSnapshot.tickless(file));
        Files.writeString(file, "\n");
        assertFalse(ThreadSnapshot.tickless(file));
        Files.writeString(file, "1-3\n");
        assertTrue(ThreadSnapshot.tickless(file));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
