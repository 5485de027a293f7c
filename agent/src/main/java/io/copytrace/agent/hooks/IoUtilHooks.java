// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.hooks;

import io.copytrace.boot.Buffers;
import io.copytrace.boot.Probe;
import java.nio.ByteBuffer;
import java.util.List;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code sun.nio.ch.IOUtil}: the hidden copy between a heap ByteBuffer and a per-thread temporary direct
 * buffer. Only the innermost overloads (7 arguments for one buffer, 8 for arrays; the same on 17, 21 and
 * 25) do the copy, so each copy is counted once. A write copies all of {@code remaining()} before the
 * syscall, again on every retry after a partial write; a read copies what the syscall returned.
 */
public final class IoUtilHooks {
    private static final String T = "sun.nio.ch.IOUtil";

    private IoUtilHooks() {}

    /** The hooks of this class. */
    public static List<Hook> hooks() {
        return List.of(
            new Hook(T, isStatic().and(named("write")).and(takesArguments(7)).and(takesArgument(1, ByteBuffer.class)),
                    Write.class),
            new Hook(T, isStatic().and(named("write")).and(takesArguments(8)).and(takesArgument(1, ByteBuffer[].class)),
                    WriteV.class),
            new Hook(T, isStatic().and(named("read")).and(takesArguments(7)).and(takesArgument(1, ByteBuffer.class)),
                    Read.class),
            new Hook(T, isStatic().and(named("read")).and(takesArguments(8)).and(takesArgument(1, ByteBuffer[].class)),
                    ReadV.class));
    }

    static final class Write {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(1) ByteBuffer src, @Advice.Argument(6) Object nd) {
            if (!src.isDirect()) Probe.jvmCopy(src.remaining(), nd, true);
        }
    }

    static final class WriteV {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(1) ByteBuffer[] srcs, @Advice.Argument(2) int off,
                          @Advice.Argument(3) int len, @Advice.Argument(7) Object nd) {
            Probe.jvmCopy(Buffers.heapRemaining(srcs, off, len), nd, true);
        }
    }

    static final class Read {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static boolean enter(@Advice.Argument(1) ByteBuffer dst) {
            return !dst.isDirect();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter boolean heap, @Advice.Return int n, @Advice.Argument(6) Object nd) {
            if (heap && n > 0) Probe.jvmCopy(n, nd, false);
        }
    }

    static final class ReadV {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static boolean enter(@Advice.Argument(1) ByteBuffer[] dsts, @Advice.Argument(2) int off,
                             @Advice.Argument(3) int len) {
            return Buffers.anyHeap(dsts, off, len);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter boolean heap, @Advice.Return long n, @Advice.Argument(7) Object nd) {
            if (heap && n > 0) Probe.jvmCopy(n, nd, false);
        }
    }
}
