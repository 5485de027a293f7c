// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Whether a thread has a thread-local map yet, read from {@code Thread.threadLocals} without making one: the first
 * {@code ThreadLocal.get} on a thread makes its map (~100 bytes and a table), which a virtual thread per task pays
 * once each (1.4 % of a virtual-thread workload's CPU in a profile). java.lang is opened to the probe at install;
 * without it every thread counts as having a map, which is the ThreadLocal path as before.
 */
final class ThreadMaps {
    /**
     * The field's getter typed (Thread)Object once, so that each call is an exact invocation of a constant the JIT
     * inlines to a field load (a VarHandle invoked with another type than the field's adapts on every call).
     */
    private static final MethodHandle THREAD_LOCALS;

    static {
        MethodHandle h = null;
        try {
            Class<?> mapClass = Class.forName("java.lang.ThreadLocal$ThreadLocalMap");
            h = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup())
                    .findGetter(Thread.class, "threadLocals", mapClass)
                    .asType(MethodType.methodType(Object.class, Thread.class));
        } catch (Throwable unavailable) {
            h = null;
        }
        THREAD_LOCALS = h;
    }

    private ThreadMaps() {}

    /** True only when {@code t} certainly has no thread-local map (so no state in the probe's ThreadLocal). */
    static boolean none(Thread t) {
        try {
            return THREAD_LOCALS != null && (Object) THREAD_LOCALS.invokeExact(t) == null;
        } catch (Throwable e) {
            return false;
        }
    }
}
