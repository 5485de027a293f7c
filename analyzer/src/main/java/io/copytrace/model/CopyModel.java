// SPDX-License-Identifier: Apache-2.0
package io.copytrace.model;

import java.util.List;

/**
 * The one place that knows what each recorded (operation, path, buffer, endpoints) costs in copies.
 * The agent measures the JVM-added copies exactly (heap-to-native memcpy in {@code IOUtil}, JNI array
 * copies in java.io, socket-stream temporary buffers); this class supplies the kernel side, which no
 * Java hook can observe, from the pattern the JDK path implies.
 */
public final class CopyModel {
    private CopyModel() {}

    /** The syscall pattern a recorded operation ran. */
    public static CopyPattern pattern(Operation op, TransferPath path, EndpointKind target) {
        return pattern(op, path, target, SendOffload.UNKNOWN);
    }

    /**
     * The syscall pattern, knowing whether the socket's egress interfaces offload: sendfile to a socket whose
     * interfaces all have scatter-gather and TX checksumming is {@link CopyPattern#SENDFILE_SG}.
     */
    public static CopyPattern pattern(Operation op, TransferPath path, EndpointKind target, SendOffload offload) {
        CopyPattern p = basePattern(op, path, target);
        return p == CopyPattern.SENDFILE && target == EndpointKind.SOCKET && offload == SendOffload.SG_DMA
                ? CopyPattern.SENDFILE_SG : p;
    }

    private static CopyPattern basePattern(Operation op, TransferPath path, EndpointKind target) {
        return switch (op) {
            case FILE_READ, FILE_WRITE, SOCKET_READ, SOCKET_WRITE, SOCKET_STREAM_READ, SOCKET_STREAM_WRITE,
                 DATAGRAM_RECEIVE, DATAGRAM_SEND, STREAM_READ, STREAM_WRITE -> CopyPattern.SINGLE_SYSCALL;
            case FILE_MAP, MAPPED_LOAD, MAPPED_FORCE -> CopyPattern.MAPPING;
            case TLS_WRAP, TLS_UNWRAP -> CopyPattern.TLS_PASS;
            case HEAP_COPY, FRAMEWORK_COPY -> CopyPattern.JVM_ONLY;
            case NETTY_SEND_FILE -> CopyPattern.SENDFILE;
            case FILE_TRANSFER_TO, FILE_TRANSFER_FROM, FILES_COPY, STREAM_TRANSFER_TO -> switch (path) {
                case DIRECT -> target == EndpointKind.FILE ? CopyPattern.COPY_FILE_RANGE : CopyPattern.SENDFILE;
                case MAPPED -> CopyPattern.MMAP_WRITE;
                case LOOP -> CopyPattern.READ_WRITE;
                default -> CopyPattern.JVM_ONLY;
            };
        };
    }

    /**
     * CPU copies per byte the kernel (and the syscall pattern) makes for one byte moved, not counting
     * the JVM-added copies the agent measures. A loop that hands its buffer to a non-JDK channel only
     * counts the read side: what the foreign channel does is recorded on its own.
     */
    public static int kernelCopiesPerByte(Operation op, TransferPath path, EndpointKind target) {
        return kernelCopiesPerByte(op, path, target, SendOffload.UNKNOWN);
    }

    /** {@link #kernelCopiesPerByte(Operation, TransferPath, EndpointKind)} knowing the egress offloads. */
    public static int kernelCopiesPerByte(Operation op, TransferPath path, EndpointKind target, SendOffload offload) {
        if (path == TransferPath.NONE) return 0;
        CopyPattern p = pattern(op, path, target, offload);
        if (p == CopyPattern.READ_WRITE && (target == EndpointKind.CHANNEL || target == EndpointKind.STREAM)) {
            return 1;
        }
        return p.cpuCopies();
    }

    /**
     * Total CPU copies per byte moved: the kernel's per the pattern plus the measured JVM copies.
     * Returns 0 when nothing moved.
     */
    public static double cpuCopiesPerByte(Operation op, TransferPath path, EndpointKind target,
                                          long bytesMoved, long jvmCopiedBytes) {
        if (bytesMoved <= 0) return 0;
        return (double) cpuCopiedBytes(op, path, target, bytesMoved, jvmCopiedBytes) / bytesMoved;
    }

    /** CPU-copied bytes: kernel copies per the pattern times bytes moved, plus measured JVM copies. */
    public static long cpuCopiedBytes(Operation op, TransferPath path, EndpointKind target,
                                      long bytesMoved, long jvmCopiedBytes) {
        return cpuCopiedBytes(op, path, target, SendOffload.UNKNOWN, bytesMoved, jvmCopiedBytes);
    }

    /** CPU-copied bytes knowing the egress offloads of a socket target. */
    public static long cpuCopiedBytes(Operation op, TransferPath path, EndpointKind target, SendOffload offload,
                                      long bytesMoved, long jvmCopiedBytes) {
        return kernelCopiesPerByte(op, path, target, offload) * Math.max(0, bytesMoved) + jvmCopiedBytes;
    }

    /**
     * The syscall(s) a direct transfer uses on a JDK feature version: JDK 17 uses sendfile; 21 and later
     * try copy_file_range first, which a socket target refuses (EINVAL) before sendfile runs.
     */
    public static String directMechanism(int jdkFeature, Operation op, EndpointKind target) {
        List<String> calls = directSyscallNames(jdkFeature, op, target);
        return calls.size() == 1 ? calls.get(0) : calls.get(0) + "(EINVAL)+" + calls.get(1);
    }

    /**
     * The syscalls of one direct transfer attempt, in order: one name, or two when the first is refused
     * (JDK 21+ to a socket: copy_file_range fails with EINVAL, then sendfile).
     */
    public static List<String> directSyscallNames(int jdkFeature, Operation op, EndpointKind target) {
        if (op == Operation.FILE_TRANSFER_FROM) return List.of("copy_file_range");
        if (op == Operation.NETTY_SEND_FILE || jdkFeature < 21) return List.of("sendfile");
        return target == EndpointKind.FILE ? List.of("copy_file_range") : List.of("copy_file_range", "sendfile");
    }

    /** Largest count one direct transfer attempt moves (the JDK clips to this). */
    public static final long MAX_DIRECT_CHUNK = 0x7ffff000L;
    /** Buffer size of the JDK's user-space transfer loop ({@code transferToArbitraryChannel}). */
    public static final long LOOP_CHUNK = 8 * 1024;
    /** Largest mapping the JDK's mapped transfer path writes at once. */
    public static final long MAPPED_CHUNK = 8L * 1024 * 1024;

    /**
     * The copy the JVM adds for a record's operation and buffer, or null when it adds none. The
     * agent measures the bytes; this says which copy they are.
     */
    public static JvmCopy jvmCopy(Operation op, BufferKind buffer) {
        return switch (op) {
            case FILE_READ, FILE_WRITE, SOCKET_READ, SOCKET_WRITE, DATAGRAM_RECEIVE, DATAGRAM_SEND, HEAP_COPY ->
                    buffer == BufferKind.HEAP || buffer == BufferKind.MIXED || op == Operation.HEAP_COPY
                            ? JvmCopy.HEAP_CHANNEL_IO : null;
            case STREAM_READ, STREAM_WRITE -> JvmCopy.JAVA_IO_STREAM;
            case SOCKET_STREAM_READ, SOCKET_STREAM_WRITE -> JvmCopy.SOCKET_STREAM;
            case TLS_WRAP, TLS_UNWRAP -> JvmCopy.TLS;
            case FRAMEWORK_COPY -> JvmCopy.FRAMEWORK;
            default -> null;
        };
    }

    /**
     * The copy the JVM adds for a record, path included: the operation and buffer's ({@link #jvmCopy(Operation,
     * BufferKind)}), and for a transfer that ran the JDK's user-space loop, the loop buffer's: FileChannel's
     * transfer loops read into a heap ByteBuffer ({@code sun.nio.ch.IOUtil} copies), Files.copy and
     * InputStream.transferTo into a byte[] through java.io streams. Null when the record makes none.
     */
    public static JvmCopy jvmCopy(Operation op, TransferPath path, BufferKind buffer) {
        if (path == TransferPath.LOOP) {
            return switch (op) {
                case FILE_TRANSFER_TO, FILE_TRANSFER_FROM -> JvmCopy.HEAP_CHANNEL_IO;
                case FILES_COPY, STREAM_TRANSFER_TO -> JvmCopy.JAVA_IO_STREAM;
                default -> jvmCopy(op, buffer);
            };
        }
        return jvmCopy(op, buffer);
    }

    /**
     * Largest chunk whose JVM copy runs in the CPU cache: the heap ↔ temporary direct buffer copy of a 64 KiB
     * read touches memory the syscall has just written (or is about to read), both sides well inside a core's
     * L2. Larger chunks stream through memory like the kernel's copies.
     */
    public static final long CACHE_RESIDENT_CHUNK = 256 * 1024;

    /**
     * The bytes one JVM copy of a record moves at a time: the JDK's loop buffer for a transfer that ran the
     * user-space loop, else what each call asked for.
     */
    public static long jvmCopyChunk(Operation op, TransferPath path, int jdkFeature, long requestedPerCall) {
        return path == TransferPath.LOOP ? loopChunk(op, jdkFeature) : requestedPerCall;
    }

    /** True when a JVM copy of {@code chunk} bytes at a time runs in the CPU cache ({@link #CACHE_RESIDENT_CHUNK}). */
    public static boolean jvmCopyInCache(long chunk) {
        return chunk > 0 && chunk <= CACHE_RESIDENT_CHUNK;
    }

    /**
     * CPU copies per byte of a Java read+write loop from a file to a socket or file: the two kernel
     * copies plus one JVM copy per side when the memory is on the Java heap (heap ByteBuffer, byte[]).
     * So 4 with a heap buffer, 2 with a direct one.
     */
    public static int javaLoopCopiesPerByte(BufferKind buffer) {
        return CopyPattern.READ_WRITE.cpuCopies() + (buffer.onJavaHeap() ? 2 : 0);
    }

    /**
     * CPU copies per byte of moving data through SSLEngine in user space (Kafka's SslTransportLayer, Netty's
     * SslHandler). Sending ({@code TLS_WRAP}): the bytes enter user memory (a read, when they come from a file),
     * pass through the engine and are written to the socket. Receiving ({@code TLS_UNWRAP}): read from the
     * socket, then through the engine. Each heap buffer on the way adds {@link JvmCopy#HEAP_CHANNEL_IO}, which
     * the agent measures on its own record.
     */
    public static int tlsPathCopiesPerByte(Operation tlsOp, boolean fileData) {
        int syscall = CopyPattern.SINGLE_SYSCALL.cpuCopies();
        int engine = CopyPattern.TLS_PASS.cpuCopies();
        return switch (tlsOp) {
            case TLS_WRAP -> (fileData ? syscall : 0) + engine + syscall;
            case TLS_UNWRAP -> syscall + engine;
            default -> throw new IllegalArgumentException(tlsOp + " is not a TLS operation");
        };
    }

    /**
     * CPU copies per byte of the same data without TLS: file data by sendfile (1; 0 with a scatter/gather-DMA
     * NIC), anything else by one write or one read.
     */
    public static int plaintextPathCopiesPerByte(Operation tlsOp, boolean fileData) {
        return switch (tlsOp) {
            case TLS_WRAP -> fileData ? CopyPattern.SENDFILE.cpuCopies() : CopyPattern.SINGLE_SYSCALL.cpuCopies();
            case TLS_UNWRAP -> CopyPattern.SINGLE_SYSCALL.cpuCopies();
            default -> throw new IllegalArgumentException(tlsOp + " is not a TLS operation");
        };
    }

    /** CPU copies per byte TLS adds over the plaintext path: what the JDK cannot avoid with SSLEngine. */
    public static int tlsExtraCopiesPerByte(Operation tlsOp, boolean fileData) {
        return tlsPathCopiesPerByte(tlsOp, fileData) - plaintextPathCopiesPerByte(tlsOp, fileData);
    }

    /**
     * Syscalls a record's calls made, as the copy model estimates them (the agent counts calls, not
     * syscalls): one per read/write call; for transfers, per chunk of the path that ran; JDK 21+
     * direct transfers to a socket pay a refused copy_file_range before each sendfile.
     */
    public static long estimatedSyscalls(Operation op, TransferPath path, EndpointKind target, int jdkFeature,
                                         long calls, long bytesMoved) {
        long bytes = Math.max(0, bytesMoved);
        return switch (op) {
            case TLS_WRAP, TLS_UNWRAP, HEAP_COPY, FRAMEWORK_COPY -> 0;
            case FILE_TRANSFER_TO, FILE_TRANSFER_FROM, FILES_COPY, STREAM_TRANSFER_TO, NETTY_SEND_FILE -> switch (path) {
                case DIRECT -> {
                    long attempts = Math.max(calls, chunks(bytes, MAX_DIRECT_CHUNK));
                    boolean refusedFirst = op == Operation.FILE_TRANSFER_TO && jdkFeature >= 21
                            && target != EndpointKind.FILE;
                    yield refusedFirst ? 2 * attempts : attempts;
                }
                // map + write + unmap per chunk
                case MAPPED -> Math.max(calls, 3 * chunks(bytes, MAPPED_CHUNK));
                // a read and a write per chunk; a foreign target's writes are that channel's own records
                case LOOP -> {
                    long chunk = loopChunk(op, jdkFeature);
                    long reads = chunks(bytes, chunk) + calls;
                    yield target == EndpointKind.CHANNEL || target == EndpointKind.STREAM ? reads
                            : reads + chunks(bytes, chunk);
                }
                default -> calls;
            };
            default -> calls;
        };
    }

    /**
     * The buffer a JDK loop moves per read/write: FileChannel's transfer loops use 8 KiB on every JDK;
     * InputStream.transferTo and Files.copy's stream loops use 8 KiB on 17 and 16 KiB from 21 on.
     */
    public static long loopChunk(Operation op, int jdkFeature) {
        boolean streamHelper = op == Operation.FILES_COPY || op == Operation.STREAM_TRANSFER_TO;
        return streamHelper && jdkFeature >= 21 ? 2 * LOOP_CHUNK : LOOP_CHUNK;
    }

    /** Syscalls an in-kernel transfer of {@code bytes} needs on a JDK, at least one. */
    public static long directSyscalls(long bytes, EndpointKind target, int jdkFeature) {
        long attempts = Math.max(1, chunks(bytes, MAX_DIRECT_CHUNK));
        return jdkFeature >= 21 && target != EndpointKind.FILE ? 2 * attempts : attempts;
    }

    private static long chunks(long bytes, long chunk) {
        return (bytes + chunk - 1) / chunk;
    }
}
