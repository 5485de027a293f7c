// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.hooks;

import io.copytrace.boot.Codes;
import io.copytrace.boot.Probe;
import java.nio.ByteBuffer;
import java.util.List;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Socket channels ({@code sun.nio.ch.SocketChannelImpl}): the public read/write only, single and
 * scatter/gather (on 25 they wrap {@code implRead/implWrite}).
 */
public final class SocketChannelHooks {
    private static final String CH = "sun.nio.ch.SocketChannelImpl";

    private SocketChannelHooks() {}

    /** The hooks of this class. */
    public static List<Hook> hooks() {
        return List.of(
            new Hook(CH, isPublic().and(named("read")).and(takesArguments(ByteBuffer.class)), Read.class),
            new Hook(CH, isPublic().and(named("read")).and(takesArguments(ByteBuffer[].class, int.class, int.class)),
                    ReadV.class),
            new Hook(CH, isPublic().and(named("write")).and(takesArguments(ByteBuffer.class)), Write.class),
            new Hook(CH, isPublic().and(named("write")).and(takesArguments(ByteBuffer[].class, int.class, int.class)),
                    WriteV.class));
    }

    static final class Read {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) ByteBuffer dst,
                         @Advice.FieldValue("remoteAddress") Object peer) {
            return Probe.enterBuffer(Codes.OP_SOCKET_READ, Codes.FORM_SINGLE, self, dst, Codes.END_SOCKET, peer);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Return int n, @Advice.Thrown Throwable t) {
            Probe.exit(h, n, t);
        }
    }

    static final class ReadV {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) ByteBuffer[] dsts, @Advice.Argument(1) int off,
                         @Advice.Argument(2) int len, @Advice.FieldValue("remoteAddress") Object peer) {
            return Probe.enterBuffers(Codes.OP_SOCKET_READ, Codes.FORM_SCATTER, self, dsts, off, len,
                    Codes.END_SOCKET, peer);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Return long n, @Advice.Thrown Throwable t) {
            Probe.exit(h, n, t);
        }
    }

    static final class Write {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) ByteBuffer src,
                         @Advice.FieldValue("remoteAddress") Object peer) {
            return Probe.enterBuffer(Codes.OP_SOCKET_WRITE, Codes.FORM_SINGLE, self, src, Codes.END_SOCKET, peer);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Return int n, @Advice.Thrown Throwable t) {
            Probe.exit(h, n, t);
        }
    }

    static final class WriteV {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) ByteBuffer[] srcs, @Advice.Argument(1) int off,
                         @Advice.Argument(2) int len, @Advice.FieldValue("remoteAddress") Object peer) {
            return Probe.enterBuffers(Codes.OP_SOCKET_WRITE, Codes.FORM_GATHER, self, srcs, off, len,
                    Codes.END_SOCKET, peer);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Return long n, @Advice.Thrown Throwable t) {
            Probe.exit(h, n, t);
        }
    }
}
