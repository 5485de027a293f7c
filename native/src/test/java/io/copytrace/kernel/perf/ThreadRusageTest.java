// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** getrusage(RUSAGE_THREAD) against the kernel's other per-thread view, /proc/thread-self/stat. */
class ThreadRusageTest {
    private static final int PAGES = 4096;

    @TempDir
    Path dir;

    @Test
    void theThreadsFaultsAreThoseProcCounts() throws Exception {
        long[] before = new long[ThreadRusage.LONGS];
        long[] after = new long[ThreadRusage.LONGS];
        MappedByteBuffer memory = mapping(dir.resolve("sparse"), PAGES * 4096);
        assertTrue(ThreadRusage.read(before)); // loads JNA, outside the measured part
        procFaults();
        long[] procBefore = procFaults();
        assertTrue(ThreadRusage.read(before));
        for (int p = 0; p < PAGES; p++) memory.get(p * 4096); // first touch: a minor fault per page or folio
        assertTrue(ThreadRusage.read(after));
        long[] procAfter = procFaults();

        long minor = after[0] - before[0];
        assertTrue(minor > 0, "minor faults " + minor);
        // the /proc reads around the calls fault a few pages of their own
        long procMinor = procAfter[0] - procBefore[0];
        assertTrue(procMinor >= minor && procMinor - minor < 64, "getrusage " + minor + ", /proc " + procMinor);
        assertEquals(procAfter[1] - procBefore[1], after[1] - before[1], "major faults");
    }

    /** A file of holes, mapped: none of its pages is in this process yet. */
    private static MappedByteBuffer mapping(Path file, int bytes) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(bytes);
            return raf.getChannel().map(FileChannel.MapMode.READ_ONLY, 0, bytes);
        }
    }

    /** minflt and majflt, fields 10 and 12 of the thread's stat line (after the command name's parenthesis). */
    private static long[] procFaults() throws Exception {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[7]), Long.parseLong(f[9])};
    }
}
