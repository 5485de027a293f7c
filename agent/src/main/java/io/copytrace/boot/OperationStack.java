// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import static io.copytrace.boot.Codes.*;

/**
 * Each thread's stack of hooked operations in progress: the one state lookup of a hooked call (on entry: a
 * thread-id slot, else the thread-local), the enter envelope every {@code Probe.enter*} shares, and folding —
 * an operation that runs inside another recorded one on the same objects (transferTo's own reads, Files.copy's
 * loop) tells its parent which path it ran instead of being recorded itself.
 */
public final class OperationStack {
    /** Every thread's state, where it was made; virtual threads' states are found only here. */
    private static final ThreadLocal<ThreadState> STATE = new ThreadLocal<>();
    /**
     * States by thread id ({@link StateSlots}): platform threads' and virtual threads' apart, so that short-lived
     * virtual threads never hold the slot a platform thread made later would take.
     */
    private static final StateSlots PLATFORM = new StateSlots(StateSlots.PLATFORM_SLOTS);
    private static final StateSlots VIRTUAL = new StateSlots(StateSlots.VIRTUAL_SLOTS);
    /** States made in this window whose thread's slot a live thread held: they are found through the ThreadLocal. */
    private static final java.util.concurrent.atomic.AtomicLong WITHOUT_SLOT =
            new java.util.concurrent.atomic.AtomicLong();

    private OperationStack() {}

    /** The calling thread's state, made on its first recorded call. */
    static ThreadState state() {
        Thread t = Thread.currentThread();
        ThreadState s = slotted(t);
        return s != null ? s : unslotted(t);
    }

    /**
     * The state of a thread that holds no slot: a new one when the thread has no thread-local map yet (it never made
     * a state: a thread that did either holds its slot, which no live thread loses, or keeps its state in the map),
     * kept in its slot when it can be, so a short-lived thread (a virtual thread per task) never gets a map made
     * for it; else through the ThreadLocal.
     */
    private static ThreadState unslotted(Thread t) {
        if (!ThreadMaps.none(t)) return threadLocalState();
        ThreadState s = new ThreadState();
        if (s.virtual) CarrierSpares.started(s);
        if (!slots(t).claim(s)) {
            STATE.set(s);
            WITHOUT_SLOT.incrementAndGet();
        }
        return s;
    }

    /** {@code t}'s state when it holds its slot, else null. */
    private static ThreadState slotted(Thread t) {
        return slots(t).find(t);
    }

    /**
     * The table of {@code t}'s slot, chosen by its class, so a virtual thread looks in one table (it used to look
     * in the platform table first: one more load of a state the syscall had likely pushed out of the cache).
     */
    private static StateSlots slots(Thread t) {
        return Threads.mountedVirtual(t) ? VIRTUAL : PLATFORM;
    }

    /**
     * The calling thread's state through the ThreadLocal, made if it has none. Agent threads call it directly: a
     * thread the agent starts late (the exit's close) must not run the hot compiled {@code state()} down its
     * never-taken path, which would deoptimise it, and the JIT's recompiles would then hold up the JVM's exit
     * (it waits for compiles in flight).
     */
    static ThreadState threadLocalState() {
        ThreadState s = STATE.get();
        return s != null ? s : made();
    }

    /** A state for the calling thread, its first: kept in the ThreadLocal, and in the thread's slot if free. */
    private static ThreadState made() {
        ThreadState s = new ThreadState();
        STATE.set(s);
        if (!slots(s.thread).claim(s)) WITHOUT_SLOT.incrementAndGet();
        return s;
    }

    /** The calling thread's state, or null when it never recorded. */
    static ThreadState existing() {
        Thread t = Thread.currentThread();
        ThreadState s = slotted(t);
        return s != null || ThreadMaps.none(t) ? s : STATE.get(); // a get would make a map for a thread without
    }

    /**
     * Empties the slots of threads that have ended, so their states do not outlive a window, and starts the count
     * of states without a slot again ({@link Epoch#next}).
     */
    static void clear() {
        PLATFORM.forgetEnded();
        VIRTUAL.forgetEnded();
        WITHOUT_SLOT.set(0);
    }

    /** States made in this window that hold no slot (their thread's slot was held by a live thread). */
    public static long statesWithoutSlot() {
        return WITHOUT_SLOT.get();
    }

    /** The state holding {@code t}'s slot among platform threads', whoever's it is (tests). */
    static ThreadState slotHolder(Thread t) {
        return PLATFORM.holder(t);
    }

    /** The thread's state if it may record now, else null. Sets busy; callers must clear it. */
    static ThreadState begin() {
        if (!Probe.active) return null;
        ThreadState s = state();
        if (s.busy || s.suppressed || s.paused > 0) return null;
        if (s.epoch != Epoch.current) s.renew(Epoch.current); // first call in a new window
        s.busy = true;
        return s;
    }

    /** The frame an enter advice handed out, if it is still in progress on its thread; else null. */
    static Frame open(Object handle) {
        if (!(handle instanceof Frame)) return null;
        Frame f = (Frame) handle;
        ThreadState s = f.owner;
        return f.index < s.depth && s.frame(f.index) == f ? f : null;
    }

    /**
     * Every enter's envelope: a frame pushed for {@code op} on a thread that may record now, marked busy so
     * the JDK calls the filling makes are not recorded, or null. The caller fills the frame in a try and
     * returns {@link #entered}, or {@link #dropped} should filling throw.
     */
    static Frame opening(int op, Object self, Object other) {
        ThreadState s = begin();
        if (s == null) return null;
        int before = s.depth;
        try {
            Frame f = push(s, op, self, other);
            if (f != null) return f;
        } catch (Throwable t) {
            s.depth = before;
        }
        s.busy = false;
        return null;
    }

    /** The frame, filled: the thread may record again. */
    static Frame entered(Frame f) {
        f.owner.busy = false;
        return f;
    }

    /** Filling threw: the half-made frame is popped (never left behind) and the call goes unrecorded. */
    static Object dropped(Frame f) {
        f.owner.depth = f.index;
        f.owner.busy = false;
        return null;
    }

    static Frame push(ThreadState s, int op, Object self, Object other) {
        if (s.depth >= ThreadState.MAX_DEPTH) return null;
        Frame top = s.recordingTop();
        Frame f = s.frameAt(s.depth);
        f.reset(op);
        f.self = self;
        f.other = other;
        if (top != null) {
            boolean sameObjects = self != null && (self == top.self || self == top.other);
            if (top.foldsAll || sameObjects) {
                f.folded = true;
            } else {
                f.nested = true;
            }
        }
        s.depth++;
        return f;
    }

    /** A folded operation tells its enclosing one which path it ran. */
    static void fold(ThreadState s, Frame f, long result) {
        Frame parent = s.recordingTop();
        if (parent == null) return;
        int path = f.path;
        if ((f.op == OP_FILE_TRANSFER_TO || f.op == OP_FILE_TRANSFER_FROM) && path == PATH_NONE) return;
        parent.rare().childPaths |= 1 << path;
        if (f.op == OP_FILE_TRANSFER_TO || f.op == OP_FILE_TRANSFER_FROM) {
            parent.rare().directCode = f.directCode;
            parent.rare().mappedCode = f.mappedCode;
            parent.reason = f.reason;
        }
        if (f.op == OP_STREAM_READ || f.op == OP_STREAM_WRITE) {
            if (f.buffer == BUF_BYTE_ARRAY && result > 0) parent.jvmCopied += result; // folded JNI array copy
        }
    }
}
