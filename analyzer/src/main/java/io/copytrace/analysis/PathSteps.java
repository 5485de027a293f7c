// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.analysis.CopyPath.Arrow;
import io.copytrace.analysis.CopyPath.Mover;
import io.copytrace.analysis.CopyPath.Space;
import io.copytrace.analysis.CopyPath.Station;
import io.copytrace.model.BufferKind;
import io.copytrace.model.CopyModel;
import io.copytrace.model.CopyPattern;
import io.copytrace.model.EndpointKind;
import io.copytrace.model.JvmCopy;
import io.copytrace.model.Operation;
import io.copytrace.model.TransferPath;
import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.Endpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps pictures are made of ({@link CopyPaths} puts them together per finding): the stations bytes pass,
 * the copies a read and a write make on the way (the kernel's, and the JVM's when the memory is on the Java
 * heap), the in-kernel transfers, and the builder that lays them out in order. Copies per byte come from the
 * copy model only.
 */
final class PathSteps {
    static final String DISK = "disk";
    static final String PAGE_CACHE = "page cache";
    static final String SOCKET_BUFFER = "socket buffer";
    static final String NIC = "NIC";
    static final String PIPE = "pipe buffer";
    static final String TEMPORARY_DIRECT = "temporary direct buffer";
    static final String JNI_BUFFER = "native buffer (JNI)";
    static final String DIRECT = "user memory (direct)";
    static final String MAPPED = "user memory (mapped file)";

    private PathSteps() {}

    /** The picture's first station(s): where a read takes the bytes from. */
    static Builder start(String label, long bytes, EndpointKind source, CopyRecord read) {
        return switch (source) {
            case FILE -> new Builder(label, bytes, DISK, Space.DEVICE)
                    .to(PAGE_CACHE, Space.KERNEL, Mover.DMA, bytes, 0, "read from disk (on a page-cache miss)");
            case SOCKET, DATAGRAM -> new Builder(label, bytes, NIC, Space.DEVICE)
                    .to(SOCKET_BUFFER, Space.KERNEL, Mover.DMA, bytes, 0, "received by the NIC");
            case PIPE -> new Builder(label, bytes, PIPE, Space.KERNEL);
            default -> new Builder(label, bytes, source == EndpointKind.MEMORY ? userMemory(read) : source.wireName(),
                    Space.USER);
        };
    }

    /** A read's copies: the kernel's into user memory, and the JVM's when the buffer is on the Java heap. */
    static void readInto(Builder b, CopyRecord r, long bytes, long jvmBytes) {
        int kernel = CopyModel.kernelCopiesPerByte(r.operation(), r.path(), r.target().kind());
        JvmCopy copy = CopyModel.jvmCopy(r.operation(), r.path(), r.buffer());
        String what = "read syscall (" + r.operation().wireName() + ")";
        if (copy != null && jvmBytes > 0) {
            b.kernel(nativeSide(copy), Space.USER, bytes, kernel, what);
            b.to(userMemory(r), Space.USER, mover(copy), jvmBytes, copy.extraCpuCopies(), describe(copy));
        } else {
            b.kernel(userMemory(r), Space.USER, bytes, kernel, what);
        }
    }

    /** A write's copies: the JVM's out of heap memory, the kernel's into the socket buffer or page cache. */
    static void writeFrom(Builder b, CopyRecord w, long bytes, long jvmBytes) {
        JvmCopy copy = CopyModel.jvmCopy(w.operation(), w.path(), w.buffer());
        if (copy != null && jvmBytes > 0) {
            b.to(nativeSide(copy), Space.USER, mover(copy), jvmBytes, copy.extraCpuCopies(), describe(copy));
        }
        into(b, w.target().kind(), bytes, CopyModel.kernelCopiesPerByte(w.operation(), w.path(), w.target().kind()),
                "write syscall (" + w.operation().wireName() + ")");
    }

    /** The syscall's copy into the kernel's memory for {@code target}, then the device's DMA. */
    static void into(Builder b, EndpointKind target, long bytes, int kernelCopies, String what) {
        switch (target) {
            case FILE -> b.kernel(PAGE_CACHE, Space.KERNEL, bytes, kernelCopies, what)
                    .to(DISK, Space.DEVICE, Mover.DMA, bytes, 0, "written back to disk (later)");
            case SOCKET, DATAGRAM -> b.kernel(SOCKET_BUFFER, Space.KERNEL, bytes, kernelCopies, what)
                    .to(NIC, Space.DEVICE, Mover.DMA, bytes, 0, "sent by the NIC");
            case PIPE -> b.kernel(PIPE, Space.KERNEL, bytes, kernelCopies, what);
            default -> b.kernel(target.wireName(), Space.KERNEL, bytes, kernelCopies, what);
        }
    }

    /**
     * An in-kernel transfer: sendfile to a socket (its CPU copies from the socket's egress interfaces when
     * recorded), copy_file_range (sendfile on JDK 17) to a file.
     */
    static CopyPath direct(String label, long bytes, Operation op, Endpoint target, String mechanism, int jdk,
                                   long syscalls) {
        EndpointKind kind = target.kind();
        Builder b = start(label, bytes, EndpointKind.FILE, null);
        into(b, kind, bytes, CopyModel.kernelCopiesPerByte(op, TransferPath.DIRECT, kind, target.sendOffload()),
                mechanism + " (in the kernel)");
        CopyPattern pattern = CopyModel.pattern(op, TransferPath.DIRECT, kind, target.sendOffload());
        b.syscalls(syscalls, pattern, (int) CopyModel.estimatedSyscalls(op, TransferPath.DIRECT, kind, jdk, 1, 1));
        if (kind == EndpointKind.SOCKET && (pattern == CopyPattern.SENDFILE || pattern == CopyPattern.SENDFILE_SG)) {
            b.note(target.egress().isEmpty()
                    ? "with a scatter/gather-DMA NIC: " + CopyPattern.SENDFILE_SG.cpuCopies() + " CPU copies/byte, only "
                            + "descriptors reach the socket buffer (" + CopyPattern.SENDFILE_SG.title() + ")"
                    : SendfileCopies.why(target));
        } else if (pattern == CopyPattern.COPY_FILE_RANGE) {
            b.note("the in-kernel page copy is ext4's; reflink file systems (XFS, Btrfs) share the blocks instead");
        }
        return b.build();
    }

    /** mmap + write: the page cache mapped into user memory (no copy), then one write's copy. */
    static CopyPath mapped(String label, long bytes, EndpointKind target, int kernelCopies, String mapWhat,
                                   String writeWhat, long syscalls) {
        Builder b = start(label, bytes, EndpointKind.FILE, null).to(MAPPED, Space.USER, Mover.MAPPING, bytes, 0, mapWhat);
        into(b, target, bytes, kernelCopies, writeWhat);
        return b.syscalls(syscalls, CopyPattern.MMAP_WRITE)
                .note("plus a page fault per page touched and a TLB shootdown per munmap").build();
    }

    /** Read into a reused direct buffer and write it: the kernel's two copies and no JVM copy. */
    static CopyPath directBuffers(String label, long bytes, EndpointKind source, EndpointKind target, long syscalls) {
        Builder b = start(label, bytes, source, null);
        int syscall = CopyPattern.SINGLE_SYSCALL.cpuCopies();
        b.kernel(DIRECT, Space.USER, bytes, syscall, "read syscall");
        into(b, target, bytes, syscall, "write syscall");
        return b.syscalls(syscalls, CopyPattern.READ_WRITE).build();
    }

    /** Socket to socket through a pipe with splice(2): page references move, not the bytes. */
    static CopyPath splice(String label, long bytes, long syscalls) {
        Builder b = start(label, bytes, EndpointKind.SOCKET, null);
        int copies = CopyPattern.SPLICE.cpuCopies();
        b.kernel(PIPE, Space.KERNEL, bytes, copies, "splice: socket → pipe");
        into(b, EndpointKind.SOCKET, bytes, copies, "splice: pipe → socket");
        return b.syscalls(syscalls, CopyPattern.SPLICE).build();
    }

    /** The user memory a record's bytes are in: its buffer kind, and whose pool on Netty's stacks. */
    static String userMemory(CopyRecord r) {
        boolean netty = r != null && RelayRule.onStack(r, "io.netty.");
        BufferKind kind = r == null ? BufferKind.NONE : r.buffer();
        return switch (kind) {
            case HEAP -> netty ? "user memory (heap, Netty ByteBuf)" : "user memory (heap)";
            case BYTE_ARRAY -> netty ? "user memory (byte[], Netty heap ByteBuf)" : "user memory (byte[])";
            case DIRECT -> netty ? "user memory (direct, Netty pooled)" : DIRECT;
            case MAPPED -> MAPPED;
            case MIXED -> "user memory (heap + direct)";
            case NONE, UNKNOWN -> "user memory";
        };
    }

    /** The native memory on the kernel's side of a JVM copy. */
    static String nativeSide(JvmCopy copy) {
        return copy == JvmCopy.JAVA_IO_STREAM ? JNI_BUFFER : copy == JvmCopy.FRAMEWORK ? DIRECT : TEMPORARY_DIRECT;
    }

    static Mover mover(JvmCopy copy) {
        return copy == JvmCopy.FRAMEWORK ? Mover.FRAMEWORK : Mover.JVM;
    }

    static String describe(JvmCopy copy) {
        return copy.where();
    }

    /** The JVM bytes a record copied for {@code bytes} of what it moved. */
    static double share(CopyRecord r, long bytes) {
        return r.bytesMoved() <= 0 ? 0 : (double) r.jvmCopiedBytes() * bytes / r.bytesMoved();
    }

    static CopyRecord heaviest(List<CopyRecord> records) {
        CopyRecord max = records.get(0);
        for (CopyRecord r : records) if (r.bytesMoved() > max.bytesMoved()) max = r;
        return max;
    }

    static long bytesMoved(List<CopyRecord> records) {
        long sum = 0;
        for (CopyRecord r : records) sum += r.bytesMoved();
        return sum;
    }

    static long jvmCopied(List<CopyRecord> records) {
        long sum = 0;
        for (CopyRecord r : records) sum += r.jvmCopiedBytes();
        return sum;
    }

    static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    /** A picture under construction: stations and arrows added in the order the bytes pass them. */
    static final class Builder {
        private final String label;
        private final long bytes;
        private final List<Station> stations = new ArrayList<>();
        private final List<Arrow> arrows = new ArrayList<>();
        private long syscalls = -1;
        private int syscallsPerChunk;
        private int modeSwitchesPerChunk;
        private String note = "";

        Builder(String label, long bytes, String first, Space space) {
            this.label = label;
            this.bytes = bytes;
            stations.add(new Station(first, space));
        }

        Builder to(String station, Space space, Mover mover, long bytes, int cpuCopies, String what) {
            arrows.add(new Arrow(mover, bytes, cpuCopies, what));
            stations.add(new Station(station, space));
            return this;
        }

        /** A step the kernel makes: a CPU copy per the model, or only descriptors when the model says 0. */
        Builder kernel(String station, Space space, long bytes, int cpuCopies, String what) {
            return to(station, space, cpuCopies > 0 ? Mover.KERNEL : Mover.DESCRIPTORS, bytes, cpuCopies, what);
        }

        Builder syscalls(long total, CopyPattern pattern) {
            return syscalls(total, pattern, pattern.syscallsPerChunk());
        }

        /** Syscalls in all, and per chunk: {@code perChunk} of them, each with the pattern's mode switches. */
        Builder syscalls(long total, CopyPattern pattern, int perChunk) {
            syscalls = total;
            syscallsPerChunk = perChunk;
            modeSwitchesPerChunk = pattern.syscallsPerChunk() == 0 ? 0
                    : perChunk * pattern.modeSwitchesPerChunk() / pattern.syscallsPerChunk();
            return this;
        }

        Builder note(String text) {
            note = text;
            return this;
        }

        CopyPath build() {
            return new CopyPath(label, bytes, stations, arrows, syscalls, syscallsPerChunk, modeSwitchesPerChunk, note);
        }
    }
}
