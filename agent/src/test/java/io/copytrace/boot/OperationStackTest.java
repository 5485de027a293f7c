// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Each thread finds its own state, by its slot or by the ThreadLocal, and never another thread's. */
class OperationStackTest {

    @Test
    void operationsNestUpToTheMaximumDepthAsTheFrameArrayGrows() {
        ThreadState s = new ThreadState();
        Object[] channels = new Object[ThreadState.MAX_DEPTH + 1];
        Frame[] pushed = new Frame[ThreadState.MAX_DEPTH + 1];
        for (int d = 0; d <= ThreadState.MAX_DEPTH; d++) {
            channels[d] = new Object(); // other objects each time: nested, not folded
            pushed[d] = OperationStack.push(s, Codes.OP_FILE_WRITE, channels[d], null);
        }
        for (int d = 0; d < ThreadState.MAX_DEPTH; d++) {
            assertSame(pushed[d], OperationStack.open(pushed[d]), "depth " + d + " is open");
            assertEquals(d, pushed[d].index);
        }
        assertNull(pushed[ThreadState.MAX_DEPTH], "past the maximum depth nothing is pushed");
        assertSame(pushed[ThreadState.MAX_DEPTH - 1], s.recordingTop());
        assertEquals(2, OperationStack.push(new ThreadState(), Codes.OP_FILE_WRITE, channels[0], null).owner.frames.length,
                "a new thread's frames: two until it nests deeper");
    }

    @Test
    void aThreadSharingALiveThreadsSlotGetsItsOwnStateAndAnEndedThreadsSlotIsTakenOver() throws Exception {
        CountDownLatch made = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<ThreadState> held = new AtomicReference<>();
        Thread holder = new Thread(() -> {
            held.set(OperationStack.state());
            made.countDown();
            Latches.await(release);
        });
        holder.start();
        made.await();
        assertSame(held.get(), OperationStack.slotHolder(holder), "the first thread of a slot takes it");

        // A thread on the same slot while the holder lives: its own state, through the ThreadLocal.
        ThreadState[] twin = new ThreadState[3];
        Thread t = runOnSameSlot(holder, () -> {
            twin[0] = OperationStack.state();
            twin[1] = OperationStack.state();
            twin[2] = OperationStack.existing();
        });
        assertNotSame(held.get(), twin[0], "never the live holder's state");
        assertSame(twin[0], twin[1]);
        assertSame(twin[0], twin[2]);
        assertSame(t, twin[0].thread);
        assertSame(held.get(), OperationStack.slotHolder(holder), "a live holder keeps its slot");

        release.countDown();
        holder.join();
        ThreadState[] next = new ThreadState[2];
        Thread n = runOnSameSlot(holder, () -> {
            next[0] = OperationStack.state();
            next[1] = OperationStack.state();
        });
        assertSame(next[0], next[1]);
        assertSame(n, next[0].thread);
        assertSame(next[0], OperationStack.slotHolder(n), "an ended holder's slot is taken over");
    }

    @Test
    void aNewThreadsStateIsKeptInItsSlotWithoutAThreadLocalMapMadeForIt() throws Exception {
        boolean[] noMap = new boolean[4];
        ThreadState[] states = new ThreadState[3];
        Thread t = new Thread(() -> {
            noMap[0] = ThreadMaps.none(Thread.currentThread());
            states[0] = OperationStack.existing(); // asking does not make a map either
            noMap[1] = ThreadMaps.none(Thread.currentThread());
            states[1] = OperationStack.state();
            states[2] = OperationStack.existing();
            noMap[2] = ThreadMaps.none(Thread.currentThread());
            new ThreadLocal<String>().set("the app's own"); // a map made later by the app changes nothing
            noMap[3] = ThreadMaps.none(Thread.currentThread());
        });
        t.start();
        t.join();
        assertTrue(noMap[0], "a new thread has no map (java.lang opened to the test as to the probe)");
        assertNull(states[0]);
        assertTrue(noMap[1] && noMap[2], "no map made for the state");
        assertSame(states[1], states[2]);
        assertSame(states[1], OperationStack.slotHolder(t));
        assertFalse(noMap[3]);
    }

    @Test
    void aNewWindowEmptiesTheSlotsOfEndedThreads() throws Exception {
        ThreadState[] made = new ThreadState[1];
        Thread ended = new Thread(() -> made[0] = OperationStack.state());
        ended.start();
        ended.join();
        assertSame(made[0], OperationStack.slotHolder(ended));
        Epoch.next();
        assertNull(OperationStack.slotHolder(ended), "an ended thread's state does not outlive its window");
        assertSame(OperationStack.state(), OperationStack.state());
    }

    private static Thread runOnSameSlot(Thread other, Runnable task) throws InterruptedException {
        return StateSlotsTest.runOnSameSlot(new StateSlots(StateSlots.PLATFORM_SLOTS), other, task); // the platform table's size
    }
}
