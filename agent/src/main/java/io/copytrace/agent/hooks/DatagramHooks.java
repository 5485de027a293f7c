// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.hooks;

import io.copytrace.boot.Codes;
import io.copytrace.boot.Probe;
import java.net.DatagramPacket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * UDP: datagram channels ({@code sun.nio.ch.DatagramChannelImpl}, which copies a heap buffer through a
 * temporary direct one itself) and {@code java.net.DatagramSocket}, which since JDK 15 is an adaptor
 * over such a channel ({@code sun.nio.ch.DatagramSocketAdaptor}).
 */
public final class DatagramHooks {
    private DatagramHooks() {}

    /** The hooks of these classes. */
    public static List<Hook> hooks() {
        String ch = "sun.nio.ch.DatagramChannelImpl";
        String adaptor = "sun.nio.ch.DatagramSocketAdaptor";
        return List.of(
            new Hook(ch, named("send").and(takesArguments(ByteBuffer.class, SocketAddress.class)), Send.class),
            new Hook(ch, named("receive").and(takesArguments(ByteBuffer.class)), Receive.class),
            new Hook(ch, named("send").and(takesArguments(3)).and(takesArgument(1, ByteBuffer.class)), SendCopy.class),
            new Hook(ch, named("receive").and(takesArguments(ByteBuffer.class, boolean.class)), ReceiveCopy.class),
            new Hook(adaptor, named("send").and(takesArguments(DatagramPacket.class)), PacketSend.class),
            new Hook(adaptor, named("receive").and(takesArguments(DatagramPacket.class)), PacketReceive.class));
    }

    static final class Send {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) ByteBuffer src, @Advice.Argument(1) Object to) {
            return Probe.enterBuffer(Codes.OP_DATAGRAM_SEND, Codes.FORM_SINGLE, self, src, Codes.END_DATAGRAM, to);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Return int n, @Advice.Thrown Throwable t) {
            Probe.exit(h, n, t);
        }
    }

    static final class Receive {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) ByteBuffer dst) {
            return Probe.enterBuffer(Codes.OP_DATAGRAM_RECEIVE, Codes.FORM_SINGLE, self, dst, Codes.END_DATAGRAM, null);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Argument(0) ByteBuffer dst, @Advice.Thrown Throwable t) {
            Probe.exitRemaining(h, dst.remaining(), t);
        }
    }

    /** DatagramChannelImpl's private send copies a heap buffer into a temporary direct one itself. */
    static final class SendCopy {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(1) ByteBuffer src) {
            if (!src.isDirect()) Probe.jvmCopy(src.remaining(), Codes.END_DATAGRAM, true);
        }
    }

    /** DatagramChannelImpl's private receive copies what arrived into a heap buffer. */
    static final class ReceiveCopy {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static boolean enter(@Advice.Argument(0) ByteBuffer dst) {
            return !dst.isDirect();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter boolean heap, @Advice.Return int n) {
            if (heap && n > 0) Probe.jvmCopy(n, Codes.END_DATAGRAM, false);
        }
    }

    static final class PacketSend {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) DatagramPacket p,
                         @Advice.FieldValue("dc") Object channel) {
            return Probe.enterPacket(Codes.OP_DATAGRAM_SEND, self, channel, p.getLength(), p.getSocketAddress());
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Thrown Throwable t) {
            Probe.exitVoid(h, t);
        }
    }

    static final class PacketReceive {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) DatagramPacket p,
                         @Advice.FieldValue("dc") Object channel) {
            return Probe.enterPacket(Codes.OP_DATAGRAM_RECEIVE, self, channel, p.getLength(), null);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Argument(0) DatagramPacket p, @Advice.Thrown Throwable t) {
            Probe.exit(h, t == null ? p.getLength() : 0, t);
        }
    }
}
