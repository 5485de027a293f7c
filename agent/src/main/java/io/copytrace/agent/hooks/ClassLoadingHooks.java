// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.hooks;

import io.copytrace.boot.Probe;
import java.util.List;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;

/**
 * The JDK's own class and resource loading: jar reads ({@code java.util.zip.ZipFile$Source}) and class-file
 * reads ({@code jdk.internal.loader.Resource}). What happens inside them is labelled JDK-internal.
 */
public final class ClassLoadingHooks {
    private ClassLoadingHooks() {}

    /** The hooks of these classes. */
    public static List<Hook> hooks() {
        return List.of(
            new Hook("java.util.zip.ZipFile$Source", namedOneOf("readFullyAt", "readAt"), JarRead.class),
            new Hook("jdk.internal.loader.Resource", namedOneOf("getBytes", "getByteBuffer"), JarRead.class));
    }

    static final class JarRead {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            Probe.enterInternal();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit() {
            Probe.exitInternal();
        }
    }
}
