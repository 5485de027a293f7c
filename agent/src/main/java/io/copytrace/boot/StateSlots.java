// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Thread states by thread id, claimed on a thread's first call: found with two loads and a compare, where a
 * ThreadLocal takes a chain of five (its map, table, entry, key, value) that a syscall has usually pushed out
 * of the cache. A slot is taken over when its thread has ended, so a dead thread's state stays at most until
 * another thread needs the slot or the next window ({@link #forgetEnded}); a thread whose slot a live thread
 * holds is not found here and uses the ThreadLocal.
 */
final class StateSlots {
    /** Platform threads' slots: pools are long-lived, and ids are handed out in turn. */
    static final int PLATFORM_SLOTS = 1024;
    /**
     * Virtual threads' slots: a server with a virtual thread per connection or request may have thousands alive at
     * once; their ids are handed out in turn, so they share no slot while fewer than this many are alive (a state
     * without a slot is looked up through a thread-local map, slower on every call: {@code agent.threadStates}).
     * Not more: a slot keeps its ended thread's state (~700 bytes) until a new thread takes it over, so the table
     * retains up to this many (measured on the virtual-thread bench: peak RSS +21 MiB with 1,024 slots, +32 MiB
     * with 16,384).
     */
    static final int VIRTUAL_SLOTS = 4096;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(ThreadState[].class);
    private final ThreadState[] byId;
    private final int mask;

    /** A table of {@code size} slots, a power of two. */
    StateSlots(int size) {
        byId = new ThreadState[size];
        mask = size - 1;
    }

    /** {@code t}'s state when it holds its slot here, else null. */
    ThreadState find(Thread t) {
        ThreadState s = byId[slot(t)];
        return s != null && s.thread == t ? s : null; // thread is final: a state read through a race is whole
    }

    /**
     * Takes the slot of {@code s}'s thread if it is free or its thread has ended; true when it did. {@code s} is
     * new and not yet used: it takes over an ended holder's innards ({@link ThreadState#adopt}) unless it has some
     * already or they went to another thread first (a new thread on the holder's carrier); the ended thread's last
     * stores happen-before {@code isAlive()} said false.
     */
    boolean claim(ThreadState s) {
        int i = slot(s.thread);
        ThreadState held = (ThreadState) SLOT.getVolatile(byId, i);
        if (held != null && !held.ended() || !SLOT.compareAndSet(byId, i, held, s)) return false;
        if (held != null) s.adopt(held);
        return true;
    }

    /** Empties the slots of threads that have ended. */
    void forgetEnded() {
        for (int i = 0; i < byId.length; i++) {
            // A plain read: most slots are empty, and a slot claimed meanwhile is a live thread's (not forgotten);
            // a volatile read per slot was ~3 ms of the agent's start, interpreted.
            ThreadState held = byId[i];
            if (held != null && held.ended()) SLOT.compareAndSet(byId, i, held, null);
        }
    }

    /** The state holding {@code t}'s slot, whoever's it is (tests). */
    ThreadState holder(Thread t) {
        return byId[slot(t)];
    }

    /**
     * {@code t}'s slot: its id times {@link #SPREAD}, so threads made one after another (ids in turn) hold slots in
     * different cache lines. Two carriers run virtual threads made in turn side by side: with slots side by side,
     * each new thread's claim on one carrier took away the cache line the other carrier's thread reads on every
     * call. An odd factor keeps the mapping one-to-one: no two threads share a slot while fewer than the table's
     * size apart.
     */
    @SuppressWarnings("deprecation") // threadId() is JDK 19+; getId() is the same number
    int slot(Thread t) {
        return (int) t.getId() * SPREAD & mask;
    }

    /** More than the references in a 64-byte cache line (16 compressed, 8 not), and odd. */
    static final int SPREAD = 17;
}
