// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.hooks;

import io.copytrace.boot.Codes;
import io.copytrace.boot.Probe;
import java.io.FileDescriptor;
import java.util.List;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code java.net.Socket} streams ({@code sun.nio.ch.NioSocketImpl}), whose {@code tryRead/tryWrite} copy the
 * byte[] through a temporary direct buffer on every try.
 */
public final class NioSocketHooks {
    private static final String NIO = "sun.nio.ch.NioSocketImpl";

    private NioSocketHooks() {}

    /** The hooks of this class. */
    public static List<Hook> hooks() {
        return List.of(
            new Hook(NIO, named("read").and(takesArguments(byte[].class, int.class, int.class)), StreamRead.class),
            new Hook(NIO, named("write").and(takesArguments(byte[].class, int.class, int.class)), StreamWrite.class),
            new Hook(NIO, named("tryRead").and(takesArguments(FileDescriptor.class, byte[].class, int.class, int.class)),
                    TryRead.class),
            new Hook(NIO, named("tryWrite").and(takesArguments(FileDescriptor.class, byte[].class, int.class, int.class)),
                    TryWrite.class));
    }

    static final class StreamRead {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) byte[] b, @Advice.Argument(1) int off,
                         @Advice.Argument(2) int len) {
            return Probe.enterArray(Codes.OP_SOCKET_STREAM_READ, Codes.FORM_SINGLE, self, b, off, len, Codes.END_SOCKET,
                    self);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Return int n, @Advice.Thrown Throwable t) {
            Probe.exit(h, n, t);
        }
    }

    static final class StreamWrite {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) byte[] b, @Advice.Argument(1) int off,
                         @Advice.Argument(2) int len) {
            return Probe.enterArray(Codes.OP_SOCKET_STREAM_WRITE, Codes.FORM_SINGLE, self, b, off, len, Codes.END_SOCKET,
                    self);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Thrown Throwable t) {
            Probe.exitVoid(h, t);
        }
    }

    static final class TryRead {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Return int n) {
            if (n > 0) Probe.jvmCopy(n, Codes.END_SOCKET, false);
        }
    }

    static final class TryWrite {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(3) int len) {
            Probe.jvmCopy(len, Codes.END_SOCKET, true);
        }
    }
}
