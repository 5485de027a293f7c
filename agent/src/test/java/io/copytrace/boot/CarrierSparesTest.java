// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A new virtual thread takes over the innards of the state its carrier last started when that thread has ended;
 * an ended state's innards go to one taker only, whether its carrier's next thread or its slot's next claimer.
 * The test thread plays the carrier (a plain ThreadLocal in place of the carrier-thread local).
 */
class CarrierSparesTest {
    @AfterEach
    void noCarrierLocal() {
        CarrierSpares.use(null);
    }

    @Test
    void theCarriersNextThreadTakesTheEndedOnesInnardsAndTheSlotsClaimerGetsNone() throws Exception {
        CarrierSpares.use(new ThreadLocal<>());
        ThreadState ended = onEndedThread(CarrierSparesTest::stateWithFrames);
        Frame[] frames = ended.frames;
        CarrierSpares.started(ended); // the carrier started it
        CountDownLatch done = new CountDownLatch(1);
        List<Thread> live = new ArrayList<>();
        try {
            ThreadState next = onLiveThread(done, live);
            CarrierSpares.started(next);
            assertSame(frames, next.frames, "the carrier's next thread takes the ended thread's frames");
            assertSame(next, frames[0].owner);
            assertTrue(ended.ended());
            assertEquals(0, ended.frames.length, "the ended state keeps nothing it gave away");

            // The ended state still holds its slot: the thread that claims it gets the slot and no innards.
            StateSlots slots = new StateSlots(StateSlots.PLATFORM_SLOTS);
            assertTrue(slots.claim(ended));
            ThreadState[] claimer = new ThreadState[1];
            boolean[] claimed = new boolean[1];
            StateSlotsTest.runOnSameSlot(slots, ended.thread, () -> {
                claimer[0] = new ThreadState();
                claimed[0] = slots.claim(claimer[0]);
            });
            assertTrue(claimed[0], "an ended holder's slot is taken over");
            assertEquals(0, claimer[0].frames.length, "innards already given: none for the slot's claimer");
            assertSame(next, frames[0].owner);

            // A carrier whose last thread is still alive gives nothing.
            ThreadState after = onLiveThread(done, live);
            CarrierSpares.started(after);
            assertEquals(0, after.frames.length, "the carrier's last thread lives on: its innards stay");
            assertFalse(next.ended());
        } finally {
            done.countDown();
            for (Thread t : live) t.join();
        }
    }

    @Test
    void withoutACarrierLocalNothingIsKept() throws Exception {
        ThreadState ended = onEndedThread(CarrierSparesTest::stateWithFrames);
        CarrierSpares.started(ended);
        ThreadState next = onEndedThread(ThreadState::new);
        CarrierSpares.started(next);
        assertEquals(0, next.frames.length);
        assertEquals(2, ended.frames.length, "no one took them");
    }

    private static ThreadState stateWithFrames() {
        ThreadState s = new ThreadState();
        OperationStack.push(s, Codes.OP_FILE_WRITE, new Object(), null);
        s.depth = 0;
        return s;
    }

    /** A state made on a thread that has ended by the time this returns. */
    private static ThreadState onEndedThread(Supplier<ThreadState> make) throws InterruptedException {
        ThreadState[] made = new ThreadState[1];
        Thread t = new Thread(() -> made[0] = make.get());
        t.start();
        t.join();
        return made[0];
    }

    /** A state made on a new thread that stays alive until {@code done} opens; the thread is added to {@code live}. */
    private static ThreadState onLiveThread(CountDownLatch done, List<Thread> live) throws InterruptedException {
        ThreadState[] made = new ThreadState[1];
        CountDownLatch ready = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            made[0] = new ThreadState();
            ready.countDown();
            Latches.await(done);
        });
        live.add(t);
        t.start();
        ready.await();
        return made[0];
    }
}
