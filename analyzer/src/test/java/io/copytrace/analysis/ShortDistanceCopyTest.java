// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short-distance copy calibration against reads timed here at other offsets: where this host copies slowly 8
 * bytes ahead of the source it must do so over the whole 1–15 band the report's advice names, and not at 0 or 16.
 */
class ShortDistanceCopyTest {
    @TempDir
    Path dir;

    @Test
    void measuresTheBandItNames() throws IOException {
        try (CalibrationFile file = CalibrationFile.create(dir, 1 << 20)) {
            ShortDistanceCopy.Measured m = ShortDistanceCopy.measure(file).orElseThrow();
            assertTrue(m.aheadNanosPerKib() > 0 && m.apartNanosPerKib() > 0, m.toString());
            try (FileChannel in = FileChannel.open(file.path)) {
                double at1 = nanosPerKib(in, 1), at15 = nanosPerKib(in, 15), at0 = nanosPerKib(in, 0), at16 = nanosPerKib(in, 16);
                String figures = m + ", ahead 1: " + at1 + ", 15: " + at15 + ", 0: " + at0 + ", 16: " + at16;
                if (m.slowdown() >= Facts.SHORT_DISTANCE_SLOWDOWN) {
                    // this host has it (the build machine's AMD EPYC: ~6x): the whole band, and only the band
                    assertTrue(at1 > 1.3 * at0 && at15 > 1.3 * at0, figures);
                    assertTrue(at1 > 1.3 * at16 && at15 > 1.3 * at16, figures);
                } else {
                    // it does not: no offset in the band is much slower either
                    assertTrue(at1 < 2 * m.apartNanosPerKib() && at15 < 2 * m.apartNanosPerKib(), figures);
                }
            }
        }
    }

    /** The best of 5 rounds of 64 reads of the file's first 64 KiB into a page-aligned buffer {@code ahead} bytes in. */
    private static double nanosPerKib(FileChannel in, int ahead) throws IOException {
        ByteBuffer into = ByteBuffer.allocateDirect(ShortDistanceCopy.CHUNK + 3 * 4096).alignedSlice(4096)
                .slice(ahead, ShortDistanceCopy.CHUNK);
        long best = Long.MAX_VALUE;
        for (int r = 0; r < 6; r++) {
            long nanos = ShortDistanceCopy.round(in, into);
            if (r > 0) best = Math.min(best, nanos); // round 0 warms up
        }
        return best / (ShortDistanceCopy.READS * ShortDistanceCopy.CHUNK / 1024.0);
    }
}
