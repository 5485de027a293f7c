// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

/**
 * The state of the virtual thread each carrier last started recording on, through the JDK's carrier-thread local
 * (JDK 21+, as {@link CarrierTallies}). A virtual thread per task makes a state on its first call; when the task
 * before it on the same carrier has ended, which is the common case for tasks that do not block, the new state
 * takes over that one's innards ({@link ThreadState#adopt}) while they are still in the carrier's cache. Without
 * this it took over those of its slot's holder, a thread some thousands before it whose objects had long left the
 * cache: on the virtual-thread bench the take-over was a tenth of the probe's time.
 */
public final class CarrierSpares {
    /** The state each carrier last started, as a {@code CarrierThreadLocal}; null: none kept (JDK 17). */
    private static volatile ThreadLocal<Object> local;

    private CarrierSpares() {}

    /** Keeps states per carrier through {@code carrierLocal}, or not at all when null; set before a window opens. */
    public static void use(ThreadLocal<Object> carrierLocal) {
        local = carrierLocal;
    }

    /**
     * Notes {@code s}, the new state of the calling virtual thread, as its carrier's latest, and gives it the
     * innards of the carrier's previous one if that thread has ended.
     */
    static void started(ThreadState s) {
        ThreadLocal<Object> l = local;
        if (l == null) return;
        Object last = l.get();
        l.set(s);
        if (last instanceof ThreadState before && before != s && before.ended()) s.adopt(before);
    }
}
