// SPDX-License-Identifier: Apache-2.0
package io.copytrace.model;

/**
 * Copies the JVM adds on top of a syscall pattern, which no syscall tracer sees (primer §1, second
 * table). Each is one extra CPU pass over every byte, done in user space.
 */
public enum JvmCopy {
    /** Channel I/O with a heap ByteBuffer: memcpy into a per-thread temporary direct buffer. */
    HEAP_CHANNEL_IO("heap ByteBuffer channel I/O", 1, "sun.nio.ch.IOUtil.read/write (Util.getTemporaryDirectBuffer)"),
    /** java.io file streams: JNI array copy into a stack buffer (≤ 8 KiB) or a malloc per call. */
    JAVA_IO_STREAM("java.io file streams", 1, "io_util.c readBytes/writeBytes"),
    /** java.net.Socket streams: byte[] copied into a temporary direct buffer, writes chunked at 128 KiB. */
    SOCKET_STREAM("java.net.Socket streams", 1, "sun.nio.ch.NioSocketImpl.tryRead/tryWrite"),
    /** SSLEngine wrap/unwrap: one transforming pass (encryption) in user space; sendfile impossible. */
    TLS("TLS wrap/unwrap", 1, "SSLEngine.wrap/unwrap"),
    /** A framework's own heap-to-direct copy before a socket write (Netty's NIO transport). */
    FRAMEWORK("framework heap-to-direct copy", 1, "io.netty.channel.nio.AbstractNioChannel.newDirectBuffer");

    private final String title;
    private final int extraCpuCopies;
    private final String where;

    JvmCopy(String title, int extraCpuCopies, String where) {
        this.title = title;
        this.extraCpuCopies = extraCpuCopies;
        this.where = where;
    }

    /** A short name for reports. */
    public String title() {
        return title;
    }

    /** Extra CPU copies of each byte, on top of the syscall pattern. */
    public int extraCpuCopies() {
        return extraCpuCopies;
    }

    /** The JDK code that makes the copy. */
    public String where() {
        return where;
    }
}
