// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * A new thread that takes over an ended thread's slot takes over its state's innards (frames, operation and key
 * states, scratch) instead of making them, and starts as clean as a new thread: nothing of the ended thread's
 * operations in progress, sites, rows, counters or window.
 */
class ThreadStateTest {
    private static final int OP = Codes.OP_FILE_WRITE;
    private static final int KEY = Codes.key(OP, Codes.FORM_SINGLE, Codes.PATH_SYSCALL, Codes.WHY_NONE,
            Codes.BUF_HEAP, Codes.END_MEMORY, Codes.END_FILE, false, Codes.WHY_NONE);

    @Test
    void aThreadsNameGroupFoldsEachRunOfDigitsAsTheKernelViewDoes() {
        String[] names = {"pool-1-thread-23", "main", "", "7", "worker42x9", "Thread-0", "a--1--22--333", "12ab34"};
        for (String name : names) {
            assertEquals(io.copytrace.kernel.proc.ThreadWindow.group(name), ThreadState.group(name), name);
        }
        assertEquals("pool-#-thread-#", ThreadState.group("pool-1-thread-23"));
        assertEquals("#ab#", ThreadState.group("12ab34"));
        assertEquals("", ThreadState.group(""));
    }

    @Test
    void aThreadTakingAnEndedThreadsSlotReusesItsInnardsAndStartsClean() throws Exception {
        CountDownLatch used = new CountDownLatch(1);
        CountDownLatch end = new CountDownLatch(1);
        ThreadState[] old = new ThreadState[1];
        Frame[] oldFrame = new Frame[1];
        OpState.KeyState[] oldKey = new OpState.KeyState[1];
        Thread ended = new Thread(() -> {
            ThreadState s = OperationStack.state();
            old[0] = s;
            // An operation left in progress at the thread's end, above one that finished.
            Frame f = OperationStack.push(s, OP, new Object(), null);
            f.memArray = new byte[8];
            f.memSet = true;
            OperationStack.push(s, OP, new Object(), null);
            s.depth = 1;
            oldFrame[0] = f;
            OpState.KeyState k = SiteSampler.keyState(s, OP, KEY);
            Site site = new Site(1, Site.KIND_APP, "App.write(App.java:1)", new String[] {"App.write(App.java:1)"});
            k.site = site;
            k.cachedSite = site;
            k.cachedRow = site.row(KEY);
            k.cachedCounts = new long[k.cachedRow.width()]; // as if its tally's
            k.countdown = 5;
            k.interval = 8;
            k.lastSelf = f.self;
            oldKey[0] = k;
            s.matches = new Matches();
            s.matches.add(42, 100);
            s.faultScratch = new long[ThreadFaults.SCRATCH];
            s.recentStacks = new RecentStacks();
            s.recentStacks.add(new String[] {"App"}, new String[] {"write"}, new int[] {1}, new String[] {"text"});
            s.lastFlowKey = 7;
            s.lastFlowCounts = new long[2];
            s.walkedStack = new String[] {"App.write(App.java:1)"};
            used.countDown();
            Latches.await(end);
        });
        ended.start();
        used.await();
        Epoch.next(); // the thread lives on into the next window, then ends there without recording again
        int window = Epoch.current;
        end.countDown();
        ended.join();
        ThreadState gone = old[0];
        Frame[] frames = gone.frames;
        OpState[] ops = gone.ops;
        Matches matches = gone.matches;
        long[] faultScratch = gone.faultScratch;
        RecentStacks recent = gone.recentStacks;

        ThreadState[] made = new ThreadState[1];
        Thread next = StateSlotsTest.runOnSameSlot(new StateSlots(StateSlots.PLATFORM_SLOTS), ended,
                () -> made[0] = OperationStack.state());
        ThreadState s = made[0];
        assertNotSame(gone, s, "a state of its own: the ended one never goes back into a slot");
        assertSame(next, s.thread);
        assertSame(s, OperationStack.slotHolder(next));

        assertSame(frames, s.frames, "the frames are taken over");
        assertSame(oldFrame[0], s.frames[0]);
        assertSame(oldFrame[0], s.first, "the outermost frame, without the array");
        for (Frame f : s.frames) {
            if (f != null) assertSame(s, f.owner, "each frame now belongs to the new state");
        }
        assertEquals(0, s.depth, "no operation in progress");
        assertNull(OperationStack.open(oldFrame[0]), "the ended thread's frame is no longer open");
        assertNull(oldFrame[0].self, "nor keeps the ended thread's channel");
        assertNull(oldFrame[0].memArray, "nor its buffer");
        assertSame(ops, s.ops, "the operations' states are taken over");
        assertSame(matches, s.matches);
        assertEquals(0, s.matches.count, "no sources of the ended thread's last write");
        assertSame(faultScratch, s.faultScratch);
        assertSame(recent, s.recentStacks);
        assertNull(s.recentStacks.find(new String[] {"App"}, new String[] {"write"}, new int[] {1}),
                "no stacks the ended thread walked");

        assertEquals(window, s.epoch, "the new thread's window, not the ended thread's");
        assertFalse(s.busy);
        assertEquals(-1, s.lastFlowKey, "no flow cache");
        assertNull(s.lastFlow);
        assertNull(s.lastFlowCounts);
        assertNull(s.walkedStack);
        assertNull(s.lastKeyState);
        assertNull(s.op(OP).find(KEY), "no site known for the key: a first call");
        OpState.KeyState k = SiteSampler.keyState(s, OP, KEY);
        assertSame(oldKey[0], k, "the key state is reused ...");
        assertFresh(k, KEY);

        assertEquals(0, gone.frames.length, "the ended state keeps nothing it gave away");
        assertNull(gone.first);
        assertEquals(0, gone.ops.length);
        assertNull(gone.matches);
    }

    @Test
    void aNewWindowLeavesNoFrameOfTheLastOneOpen() {
        ThreadState s = new ThreadState();
        Frame outer = OperationStack.push(s, OP, this, null);
        assertSame(outer, s.first, "the outermost frame, kept without the array");
        assertSame(outer, s.frames[0]);
        s.renew(s.epoch + 1); // the window closed with the operation in progress
        assertNull(s.first);
        assertNull(OperationStack.open(outer), "an operation of the last window is not ended in this one");
        Frame next = OperationStack.push(s, OP, this, null);
        assertNotSame(outer, next, "a new frame: the old one's exit must not end the new operation");
        assertSame(next, s.first);
        assertNull(OperationStack.open(outer));
        assertSame(next, OperationStack.open(next));
    }

    @Test
    void aResetKeyStateIsAsNew() throws Exception {
        Site site = new Site(1, Site.KIND_APP, "App.write(App.java:1)", new String[] {"App.write(App.java:1)"});
        OpState.KeyState k = new OpState.KeyState(KEY + 1);
        for (Field f : OpState.KeyState.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) continue;
            f.setAccessible(true);
            f.set(k, used(f.getType(), site));
        }
        k.reset(KEY);
        assertFresh(k, KEY);
    }

    @Test
    void aClearedOpStateHandsItsKeyStatesOutAgainAsNew() throws Exception {
        OpState o = new OpState();
        OpState.KeyState[] first = new OpState.KeyState[OpState.KEYS];
        for (int i = 0; i < OpState.KEYS; i++) {
            first[i] = o.add(KEY + i);
            first[i].countdown = 3;
        }
        o.clear();
        for (int i = 0; i < OpState.KEYS; i++) assertNull(o.find(KEY + i), "forgotten");
        OpState.KeyState again = o.add(KEY + 9);
        assertSame(first[0], again);
        assertFresh(again, KEY + 9);
        assertSame(again, o.find(KEY + 9));
        assertNull(o.find(KEY + 1), "a spare is not found before it is handed out");
    }

    /** Every field of {@code k} as a new key state's for {@code key}. */
    private static void assertFresh(OpState.KeyState k, int key) throws Exception {
        OpState.KeyState fresh = new OpState.KeyState(key);
        for (Field f : OpState.KeyState.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) continue;
            f.setAccessible(true);
            assertEquals(f.get(fresh), f.get(k), f.getName() + " as new");
        }
    }

    /** A value no new key state has, for a field of this type. */
    private static Object used(Class<?> type, Site site) {
        if (type == int.class) return 7;
        if (type == long.class) return 7L;
        if (type == boolean.class) return true;
        if (type == Site.class) return site;
        if (type == Stats.class) return site.row(KEY);
        if (type == long[].class) return new long[1];
        if (type == Object.class) return new Object();
        if (type == Thread.class) return Thread.currentThread();
        fail("no test value for a key state field of type " + type + ": add one");
        return null;
    }
}
