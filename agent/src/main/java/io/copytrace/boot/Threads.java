// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/** What the probe asks about threads that the JDK it runs on may not know (virtual threads: JDK 21+). */
final class Threads {
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();
    /** {@code java.lang.VirtualThread}, the class of every virtual thread a scheduler mounts; null before JDK 21. */
    private static final Class<?> VIRTUAL_THREAD = virtualThreadClass();
    /** {@code Thread.currentCarrierThread()} (JDK 21+, an intrinsic), typed ()Thread; null where missing or closed. */
    private static final MethodHandle CURRENT_CARRIER = currentCarrierHandle();

    private Threads() {}

    /** True for a virtual thread; false on JDKs without them. Asked once per thread, not per call. */
    static boolean isVirtual(Thread t) {
        if (IS_VIRTUAL == null) return false;
        try {
            return (boolean) IS_VIRTUAL.invokeExact(t);
        } catch (Throwable e) {
            return false;
        }
    }

    /**
     * True for a thread of class {@code java.lang.VirtualThread}: one load of the thread's class, cheap enough for
     * every call. (A virtual thread bound to a platform thread, {@code -XX:-VMContinuations}, is not one: it counts
     * as the platform thread it is.)
     */
    static boolean mountedVirtual(Thread t) {
        return t.getClass() == VIRTUAL_THREAD;
    }

    /**
     * The carrier the calling virtual thread is mounted on (the thread itself on a platform thread), or null where
     * the JDK has no such method or java.lang is not open to the probe.
     */
    static Thread carrier() {
        if (CURRENT_CARRIER == null) return null;
        try {
            return (Thread) CURRENT_CARRIER.invokeExact();
        } catch (Throwable e) {
            return null;
        }
    }

    private static MethodHandle currentCarrierHandle() {
        try {
            return MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup())
                    .findStatic(Thread.class, "currentCarrierThread", MethodType.methodType(Thread.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // JDK 17, or java.lang not opened to the probe: virtual threads count through the local
        }
    }

    private static Class<?> virtualThreadClass() {
        try {
            return Class.forName("java.lang.VirtualThread", false, null);
        } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // JDK 17: no virtual threads
        }
    }
}
