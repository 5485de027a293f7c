// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.Optional;

/**
 * What this host's kernel pays to copy into user memory that lies 1–15 bytes ahead of its source's offset in a
 * 4 KiB page. On the build machine's AMD EPYC the kernel's {@code rep movsb} copy then runs ~6× slower (~340 ns per
 * KiB against ~55, page cache → user, in C and in Java alike; 0 or 16 and more bytes apart: no change). A receive
 * buffer meets it when both offsets are systematic: {@code allocateDirect}'s larger buffers come from malloc 16 bytes
 * past a page, and a body read after a short header (a 4-byte size) starts 4 bytes past one in the socket's pages
 * (sample 09's broker: its produce read took 4–6× the CPU until its buffer was page-aligned, docs/samples.md).
 *
 * <p>Measured as a read of the first 64 KiB of the (page-cached) {@link CalibrationFile} into a page-aligned direct
 * buffer at 8 bytes past the page, against the same at 64 past it, alternating, the reading thread's CPU, the fastest of
 * {@link #ROUNDS} rounds of each: the round least disturbed by a shared host (the median of 7 once read 1.55x on a
 * host without the slowdown, whose fastest rounds at 8 and 64 bytes were within 25 % of each other). Only ever run in
 * the reporting process ({@link HostCost#measure}).
 */
public final class ShortDistanceCopy {
    static final int CHUNK = 64 << 10;
    /** Reads per round: 4 MiB, ~1 ms at the slow rate. */
    static final int READS = 64;
    /** Rounds of each way. */
    static final int ROUNDS = 9;
    /** Where the short-distance read's destination starts past a page: 1–15 bytes ahead of the source's 0. */
    static final int AHEAD = 8;
    /** Where the other read's destination starts: far enough from the source's offset. */
    static final int APART = 64;

    private ShortDistanceCopy() {}

    /**
     * This host's figures, in ns of the reading thread's CPU per KiB copied: a copy 1–15 bytes ahead of its source,
     * and one 64 bytes apart.
     *
     * @param aheadNanosPerKib the destination 8 bytes ahead of the source's page offset
     * @param apartNanosPerKib the destination 64 bytes ahead of it
     */
    public record Measured(double aheadNanosPerKib, double apartNanosPerKib) {
        /** How many times slower the short-distance copy ran. */
        public double slowdown() {
            return apartNanosPerKib <= 0 ? 1 : aheadNanosPerKib / apartNanosPerKib;
        }
    }

    /** Reads {@code file}'s first 64 KiB both ways; empty when it cannot be measured here. */
    static Optional<Measured> measure(CalibrationFile file) {
        try (FileChannel in = FileChannel.open(file.path)) {
            ByteBuffer page = ByteBuffer.allocateDirect(CHUNK + APART + 2 * 4096).alignedSlice(4096);
            ByteBuffer ahead = page.slice(AHEAD, CHUNK);
            ByteBuffer apart = page.slice(APART, CHUNK);
            round(in, ahead); // warm-up: the read path compiled, the file's first pages in the cache
            round(in, apart);
            long[] aheadRounds = new long[ROUNDS], apartRounds = new long[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                aheadRounds[r] = round(in, ahead);
                apartRounds[r] = round(in, apart);
            }
            double kib = (double) READS * CHUNK / 1024;
            return Optional.of(new Measured(Arrays.stream(aheadRounds).min().getAsLong() / kib,
                    Arrays.stream(apartRounds).min().getAsLong() / kib));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The thread's CPU for {@link #READS} reads of the file's first {@link #CHUNK} bytes into {@code into}. */
    static long round(FileChannel in, ByteBuffer into) throws IOException {
        long t0 = ThreadCpu.now();
        for (int i = 0; i < READS; i++) CalibrationFile.readFully(in, into.clear(), 0);
        return ThreadCpu.now() - t0;
    }
}
