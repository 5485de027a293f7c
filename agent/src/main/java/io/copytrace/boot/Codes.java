// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

/**
 * Integer codes the advice passes to {@link Probe}. Each group mirrors an enum of the analyzer's model
 * ({@code io.copytrace.model}) by ordinal; a unit test pins every value. Plain ints keep the hot path
 * free of enum loading in the boot loader and of allocation.
 */
public final class Codes {
    private Codes() {}

    // Operation
    public static final int OP_FILE_READ = 0;
    public static final int OP_FILE_WRITE = 1;
    public static final int OP_FILE_TRANSFER_TO = 2;
    public static final int OP_FILE_TRANSFER_FROM = 3;
    public static final int OP_FILE_MAP = 4;
    public static final int OP_MAPPED_LOAD = 5;
    public static final int OP_MAPPED_FORCE = 6;
    public static final int OP_SOCKET_READ = 7;
    public static final int OP_SOCKET_WRITE = 8;
    public static final int OP_SOCKET_STREAM_READ = 9;
    public static final int OP_SOCKET_STREAM_WRITE = 10;
    public static final int OP_DATAGRAM_RECEIVE = 11;
    public static final int OP_DATAGRAM_SEND = 12;
    public static final int OP_STREAM_READ = 13;
    public static final int OP_STREAM_WRITE = 14;
    public static final int OP_FILES_COPY = 15;
    public static final int OP_STREAM_TRANSFER_TO = 16;
    public static final int OP_TLS_WRAP = 17;
    public static final int OP_TLS_UNWRAP = 18;
    public static final int OP_NETTY_SEND_FILE = 19;
    public static final int OP_HEAP_COPY = 20;
    public static final int OP_FRAMEWORK_COPY = 21;
    public static final int OPS = 22;

    // IoForm
    public static final int FORM_NONE = 0;
    public static final int FORM_SINGLE = 1;
    public static final int FORM_POSITIONAL = 2;
    public static final int FORM_SCATTER = 3;
    public static final int FORM_GATHER = 4;
    public static final int FORM_SINGLE_BYTE = 5;

    // TransferPath
    public static final int PATH_NONE = 0;
    public static final int PATH_SYSCALL = 1;
    public static final int PATH_DIRECT = 2;
    public static final int PATH_MAPPED = 3;
    public static final int PATH_LOOP = 4;
    public static final int PATH_MAP = 5;
    public static final int PATH_TLS_ENGINE = 6;

    // BufferKind
    public static final int BUF_NONE = 0;
    public static final int BUF_HEAP = 1;
    public static final int BUF_DIRECT = 2;
    public static final int BUF_MAPPED = 3;
    public static final int BUF_BYTE_ARRAY = 4;
    public static final int BUF_MIXED = 5;
    /** Never written by the probe: the analyzer's records from JFR events, which do not say the buffer. */
    public static final int BUF_UNKNOWN = 6;

    // EndpointKind
    public static final int END_NONE = 0;
    public static final int END_FILE = 1;
    public static final int END_SOCKET = 2;
    public static final int END_DATAGRAM = 3;
    public static final int END_PIPE = 4;
    public static final int END_CHANNEL = 5;
    public static final int END_STREAM = 6;
    public static final int END_MEMORY = 7;
    public static final int END_TLS_ENGINE = 8;

    // FallbackReason
    public static final int WHY_NONE = 0;
    public static final int WHY_TARGET_TYPE = 1;
    public static final int WHY_TARGET_TYPE_ON_THIS_JDK = 2;
    public static final int WHY_APPEND_TARGET = 3;
    public static final int WHY_STICKY_FLAG = 4;
    public static final int WHY_KERNEL_REFUSED = 5;
    public static final int WHY_BELOW_MAPPED_THRESHOLD = 6;
    public static final int WHY_SOURCE_SIZE_ZERO = 7;
    public static final int WHY_SAME_FILE = 8;
    public static final int WHY_NOTHING_TO_TRANSFER = 9;
    public static final int WHY_SOURCE_NOT_FILE = 10;
    public static final int WHY_TLS = 11;
    public static final int WHY_UNKNOWN = 12;

    // Stages of a transfer, reported by the advice on the JDK's private transfer methods.
    public static final int STAGE_DIRECT = 0;
    public static final int STAGE_MAPPED = 1;
    public static final int STAGE_LOOP = 2;

    // Counter slots of a Stats row.
    public static final int C_CALLS = 0;
    public static final int C_REQUESTED = 1;
    public static final int C_MOVED = 2;
    public static final int C_EOF = 3;
    public static final int C_FAILED = 4;
    public static final int C_JVM_COPIED = 5;
    /** Calls that allocate native memory per call: java.io above 8 KiB, temporary buffers above the cache limit. */
    public static final int C_NATIVE_ALLOCS = 6;
    /** Calls that moved fewer bytes than requested (0 included). */
    public static final int C_PARTIAL = 7;
    /** Bytes produced by a TLS engine (wrap: ciphertext, unwrap: plaintext). */
    public static final int C_PRODUCED = 8;
    /** Calls whose call site came from a stack walk rather than from the per-thread cache. */
    public static final int C_WALKED = 9;
    /** Calls whose page faults were measured (mapped buffers and load, on platform threads: {@link ThreadFaults}). */
    public static final int C_FAULT_CALLS = 10;
    /** Minor page faults the calling thread took inside the measured calls. */
    public static final int C_FAULTS_MINOR = 11;
    /** Major page faults (the page read from storage) the calling thread took inside the measured calls. */
    public static final int C_FAULTS_MAJOR = 12;
    /**
     * Heap arrays a read filled for the first time (never identity-hashed before: {@code Headers}), with flows on:
     * a fresh array per call where this keeps pace with the calls.
     */
    public static final int C_FRESH_ARRAYS = 13;
    /** Their lengths: the heap memory those fresh arrays took. */
    public static final int C_FRESH_BYTES = 14;
    /** Endpoint names a call brought that its row's full name lists had no room for ({@link Stats#MAX_NAMES}). */
    public static final int C_NAMES_DROPPED = 15;
    /** Counters per row; at most {@link Stats#STRIDE}, a stripe's length. */
    public static final int COUNTERS = 16;

    // Key layout: op 5 bits | form 3 | path 3 | reason 4 | buffer 3 | source 4 | target 4 | nested 1 | mappedReason 4.
    /** Packs the dimensions of a Stats row into one int. */
    public static int key(int op, int form, int path, int reason, int buffer, int source, int target, boolean nested,
                          int mappedReason) {
        return op | form << 5 | path << 8 | reason << 11 | buffer << 15 | source << 18 | target << 22
                | (nested ? 1 << 26 : 0) | mappedReason << 27;
    }

    public static int keyOp(int key) { return key & 31; }
    public static int keyForm(int key) { return (key >>> 5) & 7; }
    public static int keyPath(int key) { return (key >>> 8) & 7; }
    public static int keyReason(int key) { return (key >>> 11) & 15; }
    public static int keyBuffer(int key) { return (key >>> 15) & 7; }
    public static int keySource(int key) { return (key >>> 18) & 15; }
    public static int keyTarget(int key) { return (key >>> 22) & 15; }
    public static boolean keyNested(int key) { return (key >>> 26 & 1) != 0; }
    public static int keyMappedReason(int key) { return (key >>> 27) & 15; }
}
