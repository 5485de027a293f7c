// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.analysis.CopyPath.Mover;
import io.copytrace.analysis.CopyPath.Space;
import io.copytrace.model.BufferKind;
import io.copytrace.model.CopyModel;
import io.copytrace.model.CopyPattern;
import io.copytrace.model.EndpointKind;
import io.copytrace.model.JvmCopy;
import io.copytrace.model.Operation;
import io.copytrace.model.TransferPath;
import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.Endpoint;
import io.copytrace.recording.Flow;
import io.copytrace.recording.Recording;
import java.util.List;

import static io.copytrace.analysis.PathSteps.*;

/**
 * Draws the {@link CopyPath} pictures of the findings from what the recording holds: the records (their
 * operation, JDK path, buffer kind and the JVM's measured copies) and the flows between them (bytes a read put
 * in memory that a write took, possibly through a framework's own copy). Every CPU copy on an arrow comes from
 * the copy model: the kernel's from {@link CopyModel#kernelCopiesPerByte} and the {@link CopyPattern}s, the JVM's
 * from {@link CopyModel#jvmCopy} and {@link JvmCopy}. The bytes on an arrow are the recorded ones, so a picture's
 * CPU-copied bytes are the finding's.
 */
final class CopyPaths {

    private CopyPaths() {}

    // ---------------------------------------------------------------- the findings' pictures

    /**
     * A relay: the bytes of {@code flows} read by one site and written elsewhere, now (through user memory, a
     * framework's copy included) and after the fix the relay rule gives for its endpoints and framework.
     *
     * @param read  the read the relay's finding stands for (its first)
     * @param write the heaviest write of the relay
     */
    static List<CopyPath> relay(Recording recording, List<Flow> flows, CopyRecord read, CopyRecord write,
                                EndpointKind source, EndpointKind target, long syscallsNow, long syscallsAfter) {
        int jdk = recording.jvm().feature();
        long bytes = 0, framework = 0;
        double readJvm = 0, writeJvm = 0;
        for (Flow f : flows) {
            CopyRecord r = f.from().orElseThrow(), w = f.to();
            bytes += f.bytes();
            readJvm += share(r, f.bytes());
            writeJvm += share(w, f.bytes());
            if (f.viaFrameworkCopy()) framework += f.bytes();
        }
        Builder now = start("now", bytes, source, read);
        readInto(now, read, bytes, Math.round(readJvm));
        if (framework > 0) {
            JvmCopy copy = JvmCopy.FRAMEWORK;
            now.to(write.buffer() == BufferKind.DIRECT ? userMemory(write) : DIRECT, Space.USER, Mover.FRAMEWORK, framework,
                    copy.extraCpuCopies(), describe(copy));
        }
        writeFrom(now, write, bytes, Math.round(writeJvm));
        now.syscalls(syscallsNow, CopyPattern.READ_WRITE);
        boolean netty = RelayRule.onStack(read, "io.netty.") || RelayRule.onStack(write, "io.netty.");
        boolean jetty = RelayRule.onStack(read, "org.eclipse.jetty.") || RelayRule.onStack(write, "org.eclipse.jetty.");
        CopyPath after;
        if (source == EndpointKind.FILE && target == EndpointKind.SOCKET && jetty && !netty) {
            after = mapped("after: Jetty's file mapping = mmap + write", bytes, target, CopyPattern.MMAP_WRITE.cpuCopies(),
                    "the file mapped once by Jetty (FileChannel.map)", "write syscall (EndPoint.write of the mapping)", syscallsAfter);
        } else if (source == EndpointKind.FILE) {
            String mechanism = CopyModel.directMechanism(jdk, Operation.FILE_TRANSFER_TO, target);
            String how = target == EndpointKind.SOCKET && netty ? "DefaultFileRegion" : target == EndpointKind.FILE
                    ? "Files.copy / transferTo" : "transferTo";
            after = direct("after: " + how + " = " + mechanism, bytes, Operation.FILE_TRANSFER_TO, write.target(),
                    mechanism, jdk, syscallsAfter);
        } else if (target == EndpointKind.FILE) {
            after = directBuffers("after: a reused direct buffer", bytes, source, target, syscallsAfter);
        } else {
            after = splice("after: splice(2) through a pipe (not in the JDK; Netty's epoll transport has spliceTo)", bytes,
                    syscallsAfter);
        }
        return List.of(now.build(), after);
    }

    /** A read/write loop in one method (or split over two under one caller), and the in-kernel transfer. */
    static List<CopyPath> loop(Recording recording, List<CopyRecord> reads, List<CopyRecord> writes, EndpointKind target,
                               long moved, long syscallsNow, long syscallsAfter) {
        int jdk = recording.jvm().feature();
        CopyRecord read = heaviest(reads), write = heaviest(writes);
        Builder now = start("now", moved, EndpointKind.FILE, read);
        readInto(now, read, bytesMoved(reads), jvmCopied(reads));
        writeFrom(now, write, bytesMoved(writes), jvmCopied(writes));
        now.syscalls(syscallsNow, CopyPattern.READ_WRITE);
        String mechanism = CopyModel.directMechanism(jdk, Operation.FILE_TRANSFER_TO, target);
        String how = target == EndpointKind.FILE ? "Files.copy / transferTo" : "transferTo";
        return List.of(now.build(), direct("after: " + how + " = " + mechanism, moved, Operation.FILE_TRANSFER_TO,
                new Endpoint(target, write.target().names(), write.target().egress()), mechanism, jdk, syscallsAfter));
    }

    /**
     * A transfer that fell back to the mapped path or the JDK's loop ({@code inner}: a wrapper target's own
     * records), and the direct path it could take to {@code realTarget}; from a socket (no splice in the JDK),
     * a reused direct buffer.
     */
    static List<CopyPath> fallback(Recording recording, CopyRecord r, List<CopyRecord> inner, EndpointKind realTarget,
                                   long syscallsNow, long syscallsAfter) {
        int jdk = recording.jvm().feature();
        long moved = r.bytesMoved();
        EndpointKind target = r.target().kind();
        int kernel = CopyModel.kernelCopiesPerByte(r.operation(), r.path(), target);
        CopyPath now;
        if (r.path() == TransferPath.MAPPED) {
            now = mapped("now: the JDK's mapped path = mmap + write", moved, target, kernel,
                    "mapped by the JDK in chunks of up to 8 MiB (FileChannel.map)", "write syscall (" + r.operation().wireName() + ")", syscallsNow);
        } else {
            JvmCopy copy = CopyModel.jvmCopy(r.operation(), r.path(), r.buffer());
            String buffer = copy == JvmCopy.JAVA_IO_STREAM ? "user memory (byte[], the JDK's loop buffer)"
                    : "user memory (heap, the JDK's 8 KiB loop buffer)";
            String side = copy == JvmCopy.JAVA_IO_STREAM ? JNI_BUFFER : TEMPORARY_DIRECT;
            long readJvm = copy == null ? 0 : Math.min(r.jvmCopiedBytes(), moved);
            long writeJvm = copy == null ? 0 : r.jvmCopiedBytes() - readJvm;
            int readKernel = Math.min(kernel, CopyPattern.SINGLE_SYSCALL.cpuCopies());
            Builder b = start("now: the JDK's user-space loop", moved, r.source().kind(), r);
            String readWhat = "read syscall (" + r.operation().wireName() + ")";
            if (readJvm > 0) {
                b.kernel(side, Space.USER, moved, readKernel, readWhat);
                b.to(buffer, Space.USER, Mover.JVM, readJvm, copy.extraCpuCopies(), describe(copy));
            } else {
                b.kernel(buffer, Space.USER, moved, readKernel, readWhat);
            }
            if (target == EndpointKind.CHANNEL || target == EndpointKind.STREAM) {
                String name = r.target().names().isEmpty() ? target.wireName() : simpleName(r.target().names().get(0));
                b.to("the target " + target.wireName() + " (" + name + ")", Space.USER, Mover.HANDOVER, moved, 0,
                        "its write(): not a JDK channel, so no sendfile");
                if (!inner.isEmpty()) writeFrom(b, heaviest(inner), bytesMoved(inner), jvmCopied(inner));
            } else {
                if (writeJvm > 0) b.to(side, Space.USER, Mover.JVM, writeJvm, copy.extraCpuCopies(), describe(copy));
                into(b, target, moved, kernel - readKernel, "write syscall (by the JDK's loop)");
            }
            now = b.syscalls(syscallsNow, CopyPattern.READ_WRITE).build();
        }
        CopyPath after;
        if (r.source().kind() == EndpointKind.SOCKET) {
            after = directBuffers("after: a reused direct buffer (the JDK has no socket → file splice)", moved,
                    EndpointKind.SOCKET, realTarget, syscallsAfter);
        } else {
            String mechanism = CopyModel.directMechanism(jdk, r.operation(), realTarget);
            after = direct("after: the direct path = " + mechanism, moved, r.operation(),
                    new Endpoint(realTarget, r.target().names(), r.target().egress()), mechanism, jdk, syscallsAfter);
        }
        return List.of(now, after);
    }

    /** A mapped buffer written to a socket (mmap + write) by {@code writes}, and sendfile. */
    static List<CopyPath> mappedSend(Recording recording, List<CopyRecord> writes, long bytes, long syscallsNow,
                                     long syscallsAfter) {
        int jdk = recording.jvm().feature();
        CopyRecord write = heaviest(writes);
        CopyPath now = mapped("now: mmap + write", bytes, EndpointKind.SOCKET,
                CopyModel.kernelCopiesPerByte(write.operation(), write.path(), write.target().kind()),
                "FileChannel.map: page faults instead of copies", "write syscall (" + write.operation().wireName() + ")", syscallsNow);
        String mechanism = CopyModel.directMechanism(jdk, Operation.FILE_TRANSFER_TO, EndpointKind.SOCKET);
        return List.of(now, direct("after: transferTo = " + mechanism, bytes, Operation.FILE_TRANSFER_TO, write.target(),
                mechanism, jdk, syscallsAfter));
    }

    /** Channel I/O through a heap buffer (with the temporary direct buffer), and the same with a direct buffer. */
    static List<CopyPath> heapBuffer(Recording recording, CopyRecord r) {
        return withoutJvmCopy(recording, r, "after: a reused direct buffer");
    }

    /** java.io or Socket streams (with the JNI or temporary-buffer copy), and a channel with a direct buffer. */
    static List<CopyPath> streamIo(Recording recording, CopyRecord r) {
        boolean socket = r.operation() == Operation.SOCKET_STREAM_READ || r.operation() == Operation.SOCKET_STREAM_WRITE;
        return withoutJvmCopy(recording, r, socket ? "after: SocketChannel + a reused direct buffer"
                : "after: FileChannel + a reused direct buffer");
    }

    /**
     * The TLS path of one kind of data (file data sent, other data sent, received) through SSLEngine, and the
     * same data without TLS in the JVM (sendfile for file data). The JDK has no kernel TLS.
     */
    static List<CopyPath> tls(Recording recording, Operation op, boolean fileData, long bytes) {
        int jdk = recording.jvm().feature();
        int syscall = CopyPattern.SINGLE_SYSCALL.cpuCopies(), engine = CopyPattern.TLS_PASS.cpuCopies();
        String note = "heap buffers on the way add one copy each (their own heap-buffer findings)";
        if (op == Operation.TLS_UNWRAP) {
            CopyPath now = new Builder("now: read, then SSLEngine.unwrap", bytes, NIC, Space.DEVICE)
                    .to(SOCKET_BUFFER, Space.KERNEL, Mover.DMA, bytes, 0, "received by the NIC")
                    .kernel("user memory (TLS records)", Space.USER, bytes, syscall, "read syscall (socket)")
                    .to("user memory (plaintext)", Space.USER, Mover.JVM, bytes, engine, "SSLEngine.unwrap: decrypt")
                    .syscalls(-1, CopyPattern.SINGLE_SYSCALL).note(note).build();
            CopyPath after = new Builder("without TLS in the JVM: one read", bytes, NIC, Space.DEVICE)
                    .to(SOCKET_BUFFER, Space.KERNEL, Mover.DMA, bytes, 0, "received by the NIC")
                    .kernel("user memory (plaintext)", Space.USER, bytes, syscall, "read syscall (socket)")
                    .syscalls(-1, CopyPattern.SINGLE_SYSCALL).build();
            return List.of(now, after);
        }
        Builder now = fileData
                ? new Builder("now: read, SSLEngine.wrap, write", bytes, DISK, Space.DEVICE)
                        .to(PAGE_CACHE, Space.KERNEL, Mover.DMA, bytes, 0, "read from disk (on a page-cache miss)")
                        .kernel("user memory (plaintext)", Space.USER, bytes, syscall, "read syscall (file)")
                : new Builder("now: SSLEngine.wrap, write", bytes, "user memory (plaintext)", Space.USER);
        now.to("user memory (TLS records)", Space.USER, Mover.JVM, bytes, engine, "SSLEngine.wrap: encrypt");
        into(now, EndpointKind.SOCKET, bytes, syscall, "write syscall (socket)");
        now.syscalls(-1, fileData ? CopyPattern.READ_WRITE : CopyPattern.SINGLE_SYSCALL).note(note);
        CopyPath after;
        if (fileData) {
            String mechanism = CopyModel.directMechanism(jdk, Operation.FILE_TRANSFER_TO, EndpointKind.SOCKET);
            CopyPath plain = direct("without TLS in the JVM: " + mechanism, bytes, Operation.FILE_TRANSFER_TO,
                    new Endpoint(EndpointKind.SOCKET, List.of()), mechanism, jdk, -1);
            after = new CopyPath(plain.label(), plain.bytes(), plain.stations(), plain.arrows(), plain.syscalls(),
                    plain.syscallsPerChunk(), plain.modeSwitchesPerChunk(), "TLS terminated in front of the JVM (the JDK has"
                            + " no kernel TLS); " + plain.note());
        } else {
            Builder b = new Builder("without TLS in the JVM: one write", bytes, "user memory (plaintext)", Space.USER);
            into(b, EndpointKind.SOCKET, bytes, syscall, "write syscall (socket)");
            after = b.syscalls(-1, CopyPattern.SINGLE_SYSCALL).build();
        }
        return List.of(now.build(), after);
    }

    /** An in-kernel transfer that already runs: one picture. */
    static List<CopyPath> zeroCopy(Recording recording, CopyRecord r) {
        int jdk = recording.jvm().feature();
        String mechanism = r.mechanism() != null ? r.mechanism()
                : CopyModel.directMechanism(jdk, r.operation(), r.target().kind());
        return List.of(direct("what runs: " + r.operation().title() + " = " + mechanism, r.bytesMoved(), r.operation(),
                r.target(), mechanism, jdk, r.estimatedSyscalls(jdk)));
    }

    // ---------------------------------------------------------------- building blocks

    /** The record's path as it ran, and the same I/O on a direct buffer: the JVM's copy gone. */
    private static List<CopyPath> withoutJvmCopy(Recording recording, CopyRecord r, String afterLabel) {
        int jdk = recording.jvm().feature();
        long moved = r.bytesMoved();
        long syscalls = r.estimatedSyscalls(jdk);
        // the temporary buffer's malloc/free above the cache limit is an mmap + munmap each (the heap-buffer saving)
        long nowSyscalls = syscalls + (CopyModel.jvmCopy(r.operation(), r.buffer()) == JvmCopy.HEAP_CHANNEL_IO
                ? 2 * r.nativeAllocations() : 0);
        Builder now, after;
        if (r.operation() == Operation.HEAP_COPY) {
            // a copy no hooked operation enclosed (a pipe's): the syscall around it is not recorded
            JvmCopy copy = JvmCopy.HEAP_CHANNEL_IO;
            boolean in = r.source().kind() != EndpointKind.MEMORY;
            now = new Builder("now", moved, in ? TEMPORARY_DIRECT : userMemory(r), Space.USER)
                    .to(in ? userMemory(r) : TEMPORARY_DIRECT, Space.USER, Mover.JVM, r.jvmCopiedBytes(),
                            copy.extraCpuCopies(), describe(copy));
            after = new Builder(afterLabel, moved, DIRECT, Space.USER);
        } else if (r.operation().isInbound()) {
            now = start("now", moved, r.source().kind(), r);
            readInto(now, r, moved, r.jvmCopiedBytes());
            after = start(afterLabel, moved, r.source().kind(), r);
            after.kernel(DIRECT, Space.USER, moved, CopyModel.kernelCopiesPerByte(r.operation(), r.path(), r.target().kind()),
                    "read syscall (" + r.operation().wireName() + ")");
        } else {
            now = new Builder("now", moved, userMemory(r), Space.USER);
            writeFrom(now, r, moved, r.jvmCopiedBytes());
            after = new Builder(afterLabel, moved, DIRECT, Space.USER);
            into(after, r.target().kind(), moved, CopyModel.kernelCopiesPerByte(r.operation(), r.path(), r.target().kind()),
                    "write syscall (" + r.operation().wireName() + ")");
        }
        return List.of(now.syscalls(nowSyscalls, CopyPattern.SINGLE_SYSCALL).build(),
                after.syscalls(syscalls, CopyPattern.SINGLE_SYSCALL).build());
    }
}
