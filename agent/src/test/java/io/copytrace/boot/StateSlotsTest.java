// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * One table of thread states by thread id (OperationStack keeps one for platform threads and one for virtual
 * threads, which unit tests on JDK 17 cannot make: the table does not care which kind it holds).
 */
class StateSlotsTest {

    @Test
    void aThreadIsFoundOnlyInTheSlotItHoldsAndAnEndedHoldersSlotIsTakenOver() throws Exception {
        StateSlots slots = new StateSlots(StateSlots.PLATFORM_SLOTS);
        CountDownLatch made = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<ThreadState> held = new AtomicReference<>();
        AtomicReference<ThreadState> found = new AtomicReference<>();
        Thread holder = new Thread(() -> {
            ThreadState s = new ThreadState();
            slots.claim(s);
            held.set(s);
            found.set(slots.find(Thread.currentThread()));
            made.countDown();
            Latches.await(release);
        });
        holder.start();
        made.await();
        assertSame(held.get(), found.get(), "the first thread of a slot is found there");

        ThreadState[] twin = new ThreadState[2];
        runOnSameSlot(slots, holder, () -> {
            twin[0] = new ThreadState();
            slots.claim(twin[0]);
            twin[1] = slots.find(Thread.currentThread());
        });
        assertNull(twin[1], "a thread whose slot a live thread holds is not found (it uses the ThreadLocal)");
        assertSame(held.get(), slots.holder(holder), "a live holder keeps its slot");

        release.countDown();
        holder.join();
        ThreadState[] next = new ThreadState[2];
        runOnSameSlot(slots, holder, () -> {
            next[0] = new ThreadState();
            slots.claim(next[0]);
            next[1] = slots.find(Thread.currentThread());
        });
        assertSame(next[0], next[1], "an ended holder's slot is taken over");
    }

    @Test
    void forgettingEmptiesOnlyTheSlotsOfEndedThreads() throws Exception {
        StateSlots slots = new StateSlots(StateSlots.PLATFORM_SLOTS);
        ThreadState mine = new ThreadState();
        slots.claim(mine);
        ThreadState[] made = new ThreadState[1];
        Thread ended = new Thread(() -> {
            made[0] = new ThreadState();
            slots.claim(made[0]);
        });
        ended.start();
        ended.join();
        assertSame(made[0], slots.holder(ended));
        slots.forgetEnded();
        assertNull(slots.holder(ended));
        assertSame(mine, slots.find(Thread.currentThread()), "a live thread keeps its slot");
    }

    /** Runs {@code task} on a new thread whose id falls on {@code other}'s slot (threads are made until one does). */
    static Thread runOnSameSlot(StateSlots slots, Thread other, Runnable task) throws InterruptedException {
        Thread t;
        do {
            t = new Thread(task);
        } while (slots.slot(t) != slots.slot(other));
        t.start();
        t.join();
        return t;
    }
}
