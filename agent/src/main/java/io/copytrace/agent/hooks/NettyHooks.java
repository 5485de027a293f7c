// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.hooks;

import io.copytrace.boot.Codes;
import io.copytrace.boot.Probe;
import java.util.List;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Netty, where it moves bytes outside the JDK's I/O classes: the epoll transport's JNI sendfile
 * ({@code LinuxSocket.sendFile}, no FileChannelImpl method runs), and the NIO transport's copy of a heap
 * {@code ByteBuf} into a direct one before the socket write ({@code AbstractNioChannel.newDirectBuffer},
 * called from {@code AbstractNioByteChannel.filterOutboundMessage}): a CPU copy per byte in Java code that
 * provenance must follow to connect the write with the read that filled the heap buffer.
 *
 * <p>The advice names Netty types only in casts inside its body, so weaving needs no Netty class in the
 * agent's loader; the body runs in the Netty class's own loader.
 */
public final class NettyHooks {
    private NettyHooks() {}

    /** The hooks of these classes. */
    public static List<Hook> hooks() {
        return List.of(
            new Hook("io.netty.channel.epoll.LinuxSocket", named("sendFile").and(takesArguments(4)), SendFile.class),
            new Hook("io.netty.channel.nio.AbstractNioChannel", named("newDirectBuffer").and(takesArguments(1)),
                    NewDirectBuffer.class));
    }

    static final class SendFile {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(3) long length) {
            return Probe.enterSized(Codes.OP_NETTY_SEND_FILE, self, length, Codes.PATH_DIRECT, Codes.END_FILE, null,
                    Codes.END_SOCKET, null);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Return long n, @Advice.Thrown Throwable t) {
            Probe.exit(h, n, t);
        }
    }

    static final class NewDirectBuffer {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) Object buf) {
            if (!Probe.active) return null;
            io.netty.buffer.ByteBuf b = (io.netty.buffer.ByteBuf) buf;
            int n = b.readableBytes();
            if (n <= 0 || b.isDirect() || b.nioBufferCount() != 1) return null;
            return Probe.enterFrameworkCopy(self, b.nioBuffer(b.readerIndex(), n));
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Argument(0) Object buf, @Advice.Return Object copy,
                         @Advice.Thrown Throwable t) {
            if (h == null) return;
            io.netty.buffer.ByteBuf c = (io.netty.buffer.ByteBuf) copy;
            boolean copied = c != null && c != buf && c.isDirect() && c.nioBufferCount() == 1;
            Probe.exitFrameworkCopy(h, copied ? c.nioBuffer(c.readerIndex(), c.readableBytes()) : null, t);
        }
    }
}
