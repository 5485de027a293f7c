// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.hooks;

import io.copytrace.boot.Codes;
import io.copytrace.boot.Probe;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngineResult;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The smaller hook points: MappedByteBuffer load/force, Files.copy (per JDK), InputStream.transferTo,
 * TLS engines, datagram channels, and the JDK's own jar reads.
 */
public final class MiscHooks {
    private MiscHooks() {}

    /** The hooks of these classes. */
    public static List<Hook> hooks() {
        List<Hook> h = new ArrayList<>();
        String mbb = "java.nio.MappedByteBuffer";
        h.add(new Hook(mbb, named("load").and(takesArguments(0)), Load.class));
        h.add(new Hook(mbb, named("force").and(takesArguments(0)), Force.class));
        h.add(new Hook(mbb, named("force").and(takesArguments(int.class, int.class)), ForceRange.class));

        // Files.copy(Path, Path): JDK 17 copies in UnixCopyFile (native sendfile); 21+ in UnixFileSystem
        // (copy_file_range via directCopy, else bufferedCopy).
        h.add(new Hook("sun.nio.fs.UnixCopyFile", isStatic().and(named("copyFile")).and(takesArguments(5)),
                CopyFile17.class));
        h.add(new Hook("sun.nio.fs.UnixFileSystem", named("copyFile").and(takesArguments(5)), CopyFile.class));
        h.add(new Hook("sun.nio.fs.LinuxFileSystem", named("directCopy").and(returns(int.class)), DirectCopy.class));
        h.add(new Hook("sun.nio.fs.LinuxFileSystem", named("bufferedCopy"), BufferedCopy.class));
        h.add(new Hook("sun.nio.fs.UnixFileSystem", named("bufferedCopy"), BufferedCopy.class));
        h.add(new Hook("java.nio.file.Files", isStatic().and(named("copy"))
                .and(takesArguments(Path.class, OutputStream.class)), FilesCopyOut.class));
        h.add(new Hook("java.nio.file.Files", isStatic().and(named("copy")).and(takesArguments(3))
                .and(takesArgument(0, InputStream.class)).and(takesArgument(1, Path.class)), FilesCopyIn.class));

        for (String t : new String[] {"java.io.InputStream", "java.io.FileInputStream", "java.io.BufferedInputStream",
                "java.io.ByteArrayInputStream", "java.io.SequenceInputStream", "java.io.PushbackInputStream",
                "sun.nio.ch.ChannelInputStream"}) {
            h.add(new Hook(t, named("transferTo").and(takesArguments(OutputStream.class)), StreamTransferTo.class));
        }

        String ssl = "sun.security.ssl.SSLEngineImpl";
        h.add(new Hook(ssl, named("wrap").and(takesArguments(ByteBuffer[].class, int.class, int.class,
                ByteBuffer[].class, int.class, int.class)), Wrap.class));
        h.add(new Hook(ssl, named("unwrap").and(takesArguments(ByteBuffer[].class, int.class, int.class,
                ByteBuffer[].class, int.class, int.class)), Unwrap.class));

        String dc = "sun.nio.ch.DatagramChannelImpl";
        h.add(new Hook(dc, named("send").and(takesArguments(ByteBuffer.class, java.net.SocketAddress.class)),
                DatagramSend.class));
        h.add(new Hook(dc, named("receive").and(takesArguments(ByteBuffer.class)), DatagramReceive.class));
        h.add(new Hook(dc, named("send").and(takesArguments(3)).and(takesArgument(1, ByteBuffer.class)),
                DatagramSendCopy.class));
        h.add(new Hook(dc, named("receive").and(takesArguments(ByteBuffer.class, boolean.class)),
                DatagramReceiveCopy.class));

        String adaptor = "sun.nio.ch.DatagramSocketAdaptor"; // java.net.DatagramSocket since JDK 15
        h.add(new Hook(adaptor, named("send").and(takesArguments(java.net.DatagramPacket.class)), PacketSend.class));
        h.add(new Hook(adaptor, named("receive").and(takesArguments(java.net.DatagramPacket.class)),
                PacketReceive.class));

        // Class and resource loading: jar reads, and class-file reads from directories.
        h.add(new Hook("java.util.zip.ZipFile$Source", namedOneOf("readFullyAt", "readAt"), JarRead.class));
        h.add(new Hook("jdk.internal.loader.Resource", namedOneOf("getBytes", "getByteBuffer"), JarRead.class));
        return h;
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

    static final class CopyFile17 {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.Argument(0) Object source, @Advice.Argument(2) Object target) {
            return Probe.enterComposite(Codes.OP_FILES_COPY, source, target);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Argument(1) Object attrs, @Advice.Thrown Throwable t) {
            long size = ((BasicFileAttributes) attrs).size();
            if (t == null) Probe.compositePath(Codes.PATH_DIRECT); // JDK 17 copies with native sendfile
            Probe.exitSized(h, size, t == null ? size : 0, t);
        }
    }

    static final class CopyFile {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.Argument(0) Object source, @Advice.Argument(2) Object target) {
            return Probe.enterComposite(Codes.OP_FILES_COPY, source, target);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Argument(1) Object attrs, @Advice.Thrown Throwable t) {
            long size = ((BasicFileAttributes) attrs).size();
            Probe.exitSized(h, size, t == null ? size : 0, t);
        }
    }

    static final class DirectCopy {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Return int rc, @Advice.Thrown Throwable t) {
            if (t == null && rc == 0) Probe.compositePath(Codes.PATH_DIRECT);
        }
    }

    static final class BufferedCopy {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Thrown Throwable t) {
            if (t == null) Probe.compositePath(Codes.PATH_LOOP);
        }
    }

    static final class FilesCopyOut {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.Argument(0) Object source, @Advice.Argument(1) Object out) {
            return Probe.enterComposite(Codes.OP_FILES_COPY, source, out);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Return long n, @Advice.Thrown Throwable t) {
            Probe.exitSized(h, n, n, t);
        }
    }

    static final class FilesCopyIn {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.Argument(0) Object in, @Advice.Argument(1) Object target) {
            return Probe.enterComposite(Codes.OP_FILES_COPY, in, target);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Return long n, @Advice.Thrown Throwable t) {
            Probe.exitSized(h, n, n, t);
        }
    }

    static final class StreamTransferTo {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) Object out) {
            return Probe.enterComposite(Codes.OP_STREAM_TRANSFER_TO, self, out);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Return long n, @Advice.Thrown Throwable t) {
            Probe.exitSized(h, n, n, t);
        }
    }

    static final class Wrap {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) ByteBuffer[] srcs, @Advice.Argument(1) int off,
                         @Advice.Argument(2) int len) {
            return Probe.enterTls(Codes.OP_TLS_WRAP, self, Probe.remaining(srcs, off, len),
                    len > 0 && off < srcs.length ? srcs[off] : null);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Return SSLEngineResult r, @Advice.Thrown Throwable t) {
            Probe.exitTls(h, r == null ? 0 : r.bytesConsumed(), r == null ? 0 : r.bytesProduced(), t);
        }
    }

    static final class Unwrap {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) ByteBuffer[] srcs, @Advice.Argument(1) int off,
                         @Advice.Argument(2) int len, @Advice.Argument(3) ByteBuffer[] dsts,
                         @Advice.Argument(4) int dOff, @Advice.Argument(5) int dLen) {
            return Probe.enterTls(Codes.OP_TLS_UNWRAP, self, Probe.remaining(srcs, off, len),
                    dLen > 0 && dOff < dsts.length ? dsts[dOff] : null);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Return SSLEngineResult r, @Advice.Thrown Throwable t) {
            Probe.exitTls(h, r == null ? 0 : r.bytesConsumed(), r == null ? 0 : r.bytesProduced(), t);
        }
    }

    static final class DatagramSend {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) ByteBuffer src, @Advice.Argument(1) Object to) {
            return Probe.enterBuffer(Codes.OP_DATAGRAM_SEND, Codes.FORM_SINGLE, self, src, Codes.END_DATAGRAM, to);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Return int n, @Advice.Thrown Throwable t) {
            Probe.exit(h, n, t);
        }
    }

    static final class DatagramReceive {
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
    static final class DatagramSendCopy {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(1) ByteBuffer src) {
            if (!src.isDirect()) Probe.jvmCopy(src.remaining(), Codes.END_DATAGRAM, true);
        }
    }

    /** DatagramChannelImpl's private receive copies what arrived into a heap buffer. */
    static final class DatagramReceiveCopy {
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
        static Object enter(@Advice.This Object self, @Advice.Argument(0) java.net.DatagramPacket p,
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
        static Object enter(@Advice.This Object self, @Advice.Argument(0) java.net.DatagramPacket p,
                         @Advice.FieldValue("dc") Object channel) {
            return Probe.enterPacket(Codes.OP_DATAGRAM_RECEIVE, self, channel, p.getLength(), null);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Argument(0) java.net.DatagramPacket p, @Advice.Thrown Throwable t) {
            Probe.exit(h, t == null ? p.getLength() : 0, t);
        }
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
