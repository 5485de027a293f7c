// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

/**
 * JDK 22+ warns on stderr when JNA (or async-profiler's {@code System.load}) loads a library from an unnamed
 * module without native access. All unnamed modules share one flag, so {@link #enable} grants what
 * {@code --enable-native-access=ALL-UNNAMED} would: called only just before native code is loaded (perf
 * counters, the ethtool ioctl, the profiler), so an application that never needs it sees no change.
 */
final class NativeAccess {
    private NativeAccess() {}

    static void enable() {
        if (Runtime.version().feature() < 22) return;
        try {
            Object jla = Class.forName("jdk.internal.access.SharedSecrets").getMethod("getJavaLangAccess").invoke(null);
            Class.forName("jdk.internal.access.JavaLangAccess").getMethod("addEnableNativeAccessToAllUnnamed")
                    .invoke(jla);
        } catch (ReflectiveOperationException | RuntimeException unavailable) {
            // Not fatal: at worst the JVM prints its own warning when the library loads.
        }
    }
}
