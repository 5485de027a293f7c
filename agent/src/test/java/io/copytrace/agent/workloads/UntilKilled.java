// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.workloads;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Writes 64 KiB to a file every 10 ms until it is killed (at most 60 s: it stops by itself). */
final class UntilKilled {
    static final int CHUNK = 64 * 1024;

    private UntilKilled() {}

    static void run(Path dir) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        try (FileChannel out = FileChannel.open(dir.resolve("log"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
            for (long n = 0; System.nanoTime() < deadline; n++) {
                chunk.clear();
                writeChunk(out, chunk);
                if (n % 64 == 63) out.position(0); // keep the file small
                Thread.sleep(10);
            }
        }
    }

    static void writeChunk(FileChannel out, ByteBuffer chunk) throws Exception {
        while (chunk.hasRemaining()) out.write(chunk);
    }
}
