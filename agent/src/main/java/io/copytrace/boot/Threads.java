// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/** What the probe asks about threads that the JDK it runs on may not know (virtual threads: JDK 21+). */
final class Threads {
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

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

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // JDK 17: no virtual threads
        }
    }
}
