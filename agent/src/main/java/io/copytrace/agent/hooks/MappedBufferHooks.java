// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.hooks;

import io.copytrace.boot.Codes;
import io.copytrace.boot.Probe;
import java.nio.ByteBuffer;
import java.util.List;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Mapped files ({@code java.nio.MappedByteBuffer}): {@code load()} pages the whole mapping in,
 * {@code force()} writes its dirty pages back, all of them or a range.
 */
public final class MappedBufferHooks {
    private MappedBufferHooks() {}

    /** The hooks of this class. */
    public static List<Hook> hooks() {
        String t = "java.nio.MappedByteBuffer";
        return List.of(
            new Hook(t, named("load").and(takesArguments(0)), Load.class),
            new Hook(t, named("force").and(takesArguments(0)), Force.class),
            new Hook(t, named("force").and(takesArguments(int.class, int.class)), ForceRange.class));
    }

    static final class Load {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This ByteBuffer self) {
            return Probe.enterSized(Codes.OP_MAPPED_LOAD, self, self.capacity(), Codes.PATH_MAP, Codes.END_FILE, null,
                    Codes.END_MEMORY, null);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Thrown Throwable t) {
            Probe.exitVoid(h, t);
        }
    }

    static final class Force {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This ByteBuffer self) {
            return Probe.enterSized(Codes.OP_MAPPED_FORCE, self, self.capacity(), Codes.PATH_MAP, Codes.END_MEMORY,
                    null, Codes.END_FILE, null);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Thrown Throwable t) {
            Probe.exitVoid(h, t);
        }
    }

    static final class ForceRange {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This ByteBuffer self, @Advice.Argument(1) int length) {
            return Probe.enterSized(Codes.OP_MAPPED_FORCE, self, length, Codes.PATH_MAP, Codes.END_MEMORY, null,
                    Codes.END_FILE, null);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Thrown Throwable t) {
            Probe.exitVoid(h, t);
        }
    }
}
