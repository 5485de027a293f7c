// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.workloads;

import static io.copytrace.agent.workloads.Workloads.KiB;
import static io.copytrace.agent.workloads.Workloads.MiB;
import static io.copytrace.agent.workloads.Workloads.awaitReceived;
import static io.copytrace.agent.workloads.Workloads.drainedConnection;
import static io.copytrace.agent.workloads.Workloads.sparse;
import static io.copytrace.agent.workloads.Workloads.truth;

import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * FileChannel reads and writes (the heap and direct loops; positional, gathering and scatter forms) and mapped
 * buffers.
 */
final class FileChannelWorkloads {
    private FileChannelWorkloads() {}

    /** 64 MiB file to file through a 64 KiB buffer: the example. */
    static void copyLoop(Path dir, boolean direct) throws Exception {
        Path src = sparse(dir, "src", 64 * MiB);
        Path dst = dir.resolve("dst");
        try (FileChannel in = FileChannel.open(src); FileChannel out = FileChannel.open(dst,
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer buf = direct ? ByteBuffer.allocateDirect(64 * KiB) : ByteBuffer.allocate(64 * KiB);
            long total = 0;
            while (loopRead(in, buf) != -1) {
                buf.flip();
                while (buf.hasRemaining()) total += loopWrite(out, buf);
                buf.clear();
            }
            truth("bytes", total);
        }
    }

    static int loopRead(FileChannel in, ByteBuffer buf) throws Exception {
        return in.read(buf);
    }

    static int loopWrite(FileChannel out, ByteBuffer buf) throws Exception {
        return out.write(buf);
    }

    /** Positional, gathering and scatter forms. */
    static void forms(Path dir) throws Exception {
        try (FileChannel ch = FileChannel.open(dir.resolve("forms"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer page = ByteBuffer.allocate(4 * KiB);
            for (int i = 0; i < 100; i++) {
                page.clear();
                positionalWrite(ch, page, (long) i * 4 * KiB);
            }
            for (int i = 0; i < 100; i++) {
                ByteBuffer[] parts = {ByteBuffer.allocate(KiB), ByteBuffer.allocate(KiB), ByteBuffer.allocate(KiB)};
                gatherWrite(ch, parts);
            }
            ch.position(0);
            ByteBuffer[] direct = {ByteBuffer.allocateDirect(2 * KiB), ByteBuffer.allocateDirect(2 * KiB)};
            for (int i = 0; i < 50; i++) {
                direct[0].clear();
                direct[1].clear();
                scatterRead(ch, direct);
            }
            ByteBuffer[] mixed = {ByteBuffer.allocate(KiB), ByteBuffer.allocateDirect(KiB)};
            for (int i = 0; i < 10; i++) {
                mixed[0].clear();
                mixed[1].clear();
                mixedRead(ch, mixed);
            }
        }
    }

    /**
     * Reads that fill a fresh heap array per call (a channel into a new buffer, a stream into a new byte[], a
     * scatter read into two slices of one new array), beside a reused buffer: 1 MiB file, 4 KiB per call.
     */
    static void freshReads(Path dir) throws Exception {
        Path src = sparse(dir, "fresh", MiB);
        try (FileChannel in = FileChannel.open(src)) {
            for (int i = 0; i < 256; i++) freshChannelRead(in, ByteBuffer.allocate(4 * KiB));
            in.position(0);
            ByteBuffer reused = ByteBuffer.allocate(4 * KiB);
            for (int i = 0; i < 256; i++) reusedChannelRead(in, reused.clear());
            in.position(0);
            for (int i = 0; i < 128; i++) {
                ByteBuffer whole = ByteBuffer.allocate(8 * KiB);
                ByteBuffer first = whole.slice(0, 4 * KiB);
                ByteBuffer second = whole.slice(4 * KiB, 4 * KiB);
                freshScatterRead(in, new ByteBuffer[] {first, second});
            }
        }
        try (java.io.InputStream in = new java.io.FileInputStream(src.toFile())) {
            for (int i = 0; i < 100; i++) freshStreamRead(in, new byte[4 * KiB]);
        }
    }

    static int freshChannelRead(FileChannel in, ByteBuffer b) throws Exception {
        return in.read(b);
    }

    static int reusedChannelRead(FileChannel in, ByteBuffer b) throws Exception {
        return in.read(b);
    }

    static long freshScatterRead(FileChannel in, ByteBuffer[] parts) throws Exception {
        return in.read(parts);
    }

    static int freshStreamRead(java.io.InputStream in, byte[] b) throws Exception {
        return in.read(b);
    }

    static void positionalWrite(FileChannel ch, ByteBuffer b, long pos) throws Exception {
        ch.write(b, pos);
    }

    static void gatherWrite(FileChannel ch, ByteBuffer[] parts) throws Exception {
        ch.write(parts);
    }

    static void scatterRead(FileChannel ch, ByteBuffer[] parts) throws Exception {
        ch.read(parts);
    }

    static void mixedRead(FileChannel ch, ByteBuffer[] parts) throws Exception {
        ch.read(parts);
    }

    static void mapped(Path dir) throws Exception {
        Path src = sparse(dir, "mapped-src", 8 * MiB);
        AtomicLong received = new AtomicLong();
        try (FileChannel in = FileChannel.open(src); SocketChannel out = drainedConnection(received)) {
            MappedByteBuffer map = mapReadOnly(in, 8 * MiB);
            while (map.hasRemaining()) mappedSocketWrite(out, map);
            out.shutdownOutput();
            awaitReceived(received, 8 * MiB);
        }
        Path rw = sparse(dir, "mapped-rw", 2 * MiB);
        try (FileChannel ch = FileChannel.open(rw, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 2 * MiB);
            mappedLoad(map);
            map.put(0, (byte) 1);
            mappedForce(map);
        }
        truth("bytes", 8 * MiB);
    }

    static MappedByteBuffer mapReadOnly(FileChannel ch, long size) throws Exception {
        return ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
    }

    static void mappedSocketWrite(SocketChannel out, ByteBuffer b) throws Exception {
        out.write(b);
    }

    static void mappedLoad(MappedByteBuffer b) {
        b.load();
    }

    static void mappedForce(MappedByteBuffer b) {
        b.force();
    }
}
