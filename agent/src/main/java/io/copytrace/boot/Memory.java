// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.Buffer;
import java.nio.ByteBuffer;

/**
 * Where a ByteBuffer's bytes live, read from the buffer's own fields: a direct (or mapped) buffer's
 * native address, a heap buffer's backing array and offset. Two buffer objects over the same memory (a
 * pooled slice, a duplicate) give the same answer, which is what provenance matches on. The fields are
 * read with VarHandles (java.nio is opened to the probe at install); without them provenance is off.
 */
final class Memory {
    private static final VarHandle ADDRESS;
    private static final VarHandle ARRAY;
    private static final VarHandle OFFSET;
    /** MappedByteBuffer.fd: set only on buffers that map a file (allocateDirect's buffers are mapped ones too). */
    private static final VarHandle MAPPED_FD;

    static {
        VarHandle address = null;
        VarHandle array = null;
        VarHandle offset = null;
        VarHandle mappedFd = null;
        try {
            MethodHandles.Lookup buffer = MethodHandles.privateLookupIn(Buffer.class, MethodHandles.lookup());
            address = buffer.findVarHandle(Buffer.class, "address", long.class);
            MethodHandles.Lookup bytes = MethodHandles.privateLookupIn(ByteBuffer.class, MethodHandles.lookup());
            array = bytes.findVarHandle(ByteBuffer.class, "hb", byte[].class);
            offset = bytes.findVarHandle(ByteBuffer.class, "offset", int.class);
        } catch (Throwable unavailable) {
            address = null;
        }
        try { // on its own: without it only the mapped check falls back to the inspector
            mappedFd = MethodHandles.privateLookupIn(java.nio.MappedByteBuffer.class, MethodHandles.lookup())
                    .findVarHandle(java.nio.MappedByteBuffer.class, "fd", java.io.FileDescriptor.class);
        } catch (Throwable unavailable) {
            mappedFd = null;
        }
        ADDRESS = address;
        ARRAY = array;
        OFFSET = offset;
        MAPPED_FD = mappedFd;
    }

    private Memory() {}

    /** True when buffer memory can be located (the JDK let the probe read the fields). */
    static boolean available() {
        return ADDRESS != null && ARRAY != null && OFFSET != null;
    }

    /**
     * 1 when a direct buffer maps a file, 0 when it does not, -1 when this JDK hid the field (ask the
     * inspector). A static final VarHandle: the JIT folds it, where an instance field's would not be.
     */
    static int mapped(ByteBuffer b) {
        if (MAPPED_FD == null) return -1;
        return b instanceof java.nio.MappedByteBuffer && MAPPED_FD.get((java.nio.MappedByteBuffer) b) != null ? 1 : 0;
    }

    /** The array behind a heap buffer, or null for a direct one. */
    static byte[] array(ByteBuffer b) {
        return b.isDirect() ? null : (byte[]) ARRAY.get(b);
    }

    /**
     * Where index {@code index} of the buffer lives: the native address for a direct buffer, the offset in
     * {@link #array} for a heap one.
     */
    static long base(ByteBuffer b, int index) {
        return b.isDirect() ? (long) ADDRESS.get(b) + index : (long) (int) OFFSET.get(b) + index;
    }
}
