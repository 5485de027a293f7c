// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.workloads;

import static io.copytrace.agent.workloads.Workloads.KiB;
import static io.copytrace.agent.workloads.Workloads.truth;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** What must not disturb the host: many call sites (the cap), output and exit status, a short duration= window. */
final class SafetyWorkloads {
    private SafetyWorkloads() {}

    /** Twelve distinct call sites, for the max-sites cap. */
    static void manySites(Path dir) throws Exception {
        try (FileChannel ch = FileChannel.open(dir.resolve("sites"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocateDirect(16);
            b.clear(); ch.write(b);
            b.clear(); ch.write(b);
            b.clear(); ch.write(b);
            b.clear(); ch.write(b);
            b.clear(); ch.write(b);
            b.clear(); ch.write(b);
            b.clear(); ch.write(b);
            b.clear(); ch.write(b);
            b.clear(); ch.write(b);
            b.clear(); ch.write(b);
            b.clear(); ch.write(b);
            b.clear(); ch.write(b);
        }
        truth("writes", 12);
    }

    /** Prints to both streams, writes files, exits with status 3: must be identical with and without the agent. */
    static void output(Path dir) throws Exception {
        FileChannelWorkloads.copyLoop(dir, false);
        TransferWorkloads.transferFile(dir);
        FileChannelWorkloads.mapped(dir);
        try (FileChannel ch = FileChannel.open(dir.resolve("out.bin"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocateDirect(1000);
            for (int i = 0; i < 1000; i++) b.put((byte) (i * 7));
            b.flip();
            ch.write(b);
        }
        System.err.println("stderr line");
        System.out.flush();
        System.exit(3);
    }

    /** Does some I/O, then sleeps past a short duration= window, then more I/O outside the window. */
    static void sleepy(Path dir) throws Exception {
        try (FileChannel ch = FileChannel.open(dir.resolve("sleepy"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocateDirect(KiB);
            insideWindow(ch, b);
            Thread.sleep(2500);
            b.clear();
            insideWindow(ch, b);
        }
    }

    static void insideWindow(FileChannel ch, ByteBuffer b) throws Exception {
        ch.write(b);
    }
}
