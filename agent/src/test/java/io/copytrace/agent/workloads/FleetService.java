// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.workloads;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One JVM of a "service" the fleet test runs several of: the same code in every JVM, a different load in each
 * ({@code -Dcopytrace.fleet.mib}): a file copied through a 64 KiB heap buffer, and a file sent with transferTo.
 */
final class FleetService {
    private FleetService() {}

    static void run(Path dir) throws Exception {
        int mib = Integer.getInteger("copytrace.fleet.mib");
        Path src = Workloads.sparse(dir, "src", (long) mib * Workloads.MiB);
        long readCalls = 0, writeCalls = 0, bytes = 0;
        ByteBuffer buf = ByteBuffer.allocate(64 * Workloads.KiB);
        try (FileChannel in = FileChannel.open(src); FileChannel out = FileChannel.open(dir.resolve("copy"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            while (true) {
                buf.clear();
                readCalls++;
                if (serviceRead(in, buf) < 0) break;
                buf.flip();
                while (buf.hasRemaining()) {
                    writeCalls++;
                    bytes += serviceWrite(out, buf);
                }
            }
        }
        long sent = 0, sendCalls = 0;
        try (FileChannel in = FileChannel.open(src); FileChannel out = FileChannel.open(dir.resolve("sent"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            long size = in.size();
            while (sent < size) {
                sendCalls++;
                sent += serviceSend(in, sent, size - sent, out);
            }
        }
        Workloads.truth("readCalls", readCalls);
        Workloads.truth("writeCalls", writeCalls);
        Workloads.truth("bytes", bytes);
        Workloads.truth("sendCalls", sendCalls);
        Workloads.truth("sent", sent);
    }

    static int serviceRead(FileChannel in, ByteBuffer buf) throws Exception {
        return in.read(buf);
    }

    static int serviceWrite(FileChannel out, ByteBuffer buf) throws Exception {
        return out.write(buf);
    }

    static long serviceSend(FileChannel in, long position, long count, FileChannel out) throws Exception {
        return in.transferTo(position, count, out);
    }
}
