// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import static io.copytrace.boot.Codes.*;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Each thread's stack of hooked operations in progress: the one state lookup of a hooked call (on entry: a
 * thread-id slot, else the thread-local), the enter envelope every {@code Probe.enter*} shares, and folding —
 * an operation that runs inside another recorded one on the same objects (transferTo's own reads, Files.copy's
 * loop) tells its parent which path it ran instead of being recorded itself.
 */
final class OperationStack {
    /** Every thread's state, where it was made; virtual threads' states are found only here. */
    private static final ThreadLocal<ThreadState> STATE = new ThreadLocal<>();
    /**
     * Platform threads' states by thread id, claimed on a thread's first call: found with two loads and a
     * compare, where the ThreadLocal takes a chain of five (its map, table, entry, key, value) that a syscall
     * has usually pushed out of the cache. A slot is taken over when its thread has ended, so a dead thread's
     * state stays at most until another thread needs the slot; a thread whose slot a live thread holds uses
     * the ThreadLocal alone.
     */
    static final int SLOTS = 1024;
    private static final ThreadState[] BY_ID = new ThreadState[SLOTS];
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(ThreadState[].class);

    private OperationStack() {}

    /** The calling thread's state, made on its first recorded call. */
    static ThreadState state() {
        Thread t = Thread.currentThread();
        ThreadState s = BY_ID[slot(t)];
        if (s != null && s.thread == t) return s; // thread is final: a state read through a race is whole
        return threadLocalState();
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
        if (!s.virtual) claim(s.thread, s);
        return s;
    }

    /** The calling thread's state, or null when it never recorded. */
    static ThreadState existing() {
        Thread t = Thread.currentThread();
        ThreadState s = BY_ID[slot(t)];
        return s != null && s.thread == t ? s : STATE.get();
    }

    @SuppressWarnings("deprecation") // threadId() is JDK 19+; getId() is the same number
    private static int slot(Thread t) {
        return (int) t.getId() & (SLOTS - 1);
    }

    /** Empties the slots of threads that have ended, so their states do not outlive a window ({@link Epoch#next}). */
    static void forgetEnded() {
        for (int i = 0; i < SLOTS; i++) {
            ThreadState held = (ThreadState) SLOT.getVolatile(BY_ID, i);
            if (held != null && !held.thread.isAlive()) SLOT.compareAndSet(BY_ID, i, held, null);
        }
    }

    /** The state holding {@code t}'s slot, whoever's it is (tests). */
    static ThreadState slotHolder(Thread t) {
        return BY_ID[slot(t)];
    }

    /** Takes the thread's slot if it is free or its thread has ended. */
    private static void claim(Thread t, ThreadState s) {
        int i = slot(t);
        ThreadState held = (ThreadState) SLOT.getVolatile(BY_ID, i);
        if (held == null || !held.thread.isAlive()) SLOT.compareAndSet(BY_ID, i, held, s);
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
        return f.index < s.depth && s.frames[f.index] == f ? f : null;
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
        parent.childPaths |= 1 << path;
        if (f.op == OP_FILE_TRANSFER_TO || f.op == OP_FILE_TRANSFER_FROM) {
            parent.directCode = f.directCode;
            parent.mappedCode = f.mappedCode;
            parent.reason = f.reason;
        }
        if (f.op == OP_STREAM_READ || f.op == OP_STREAM_WRITE) {
            if (f.buffer == BUF_BYTE_ARRAY && result > 0) parent.jvmCopied += result; // folded JNI array copy
        }
    }
}
