// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.testing.Jdk;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kernel=sampled against {@code strace -f -c} for the same window, on JDK 17 and 25: 12,000 writes paced
 * evenly over 4 s (a steady workload; sampling cannot promise anything for a burst between two slices),
 * counted 20 ms in every 200 ms after a 200 ms head, so about 19 slices and 15 % of the window. The
 * strace count must lie in the stated 95 % interval, and the interval must be useful (within +-20 %).
 * Same handshake as {@link StraceCountsIT}; strace's window is a little wider (the report's own write).
 */
class SampledStraceIT {
    private static final int WRITES = 12_000;

    @TempDir
    Path dir;

    /**
     * A toggle (enabling or disabling the counters on every thread: an IPI per CPU) takes ~1.5 ms here; on a host
     * that deschedules this VM's other CPU it took 18–29 ms (the CI run of 2026-11-26 20:47), slices then stretch
     * and their counts stop being even, and the interval widens honestly (strace's count still inside it). Such a
     * run is taken again, once; the interval's width is asserted on a run whose toggles were not that slow, or on
     * the second.
     */
    private static final long SLOW_TOGGLE_MICROS = 8_000;

    @ParameterizedTest
    @MethodSource("io.copytrace.testing.Jdk#all")
    void writeEstimateHoldsStracesCount(Jdk jdk) throws Exception {
        for (int attempt = 1; ; attempt++) {
            Path run = java.nio.file.Files.createDirectories(dir.resolve("attempt-" + attempt));
            try (ChildJvm child = new ChildJvm(ChildJvm.command(jdk, ChildJvm.classpath(), List.of(),
                    "mode=sampled", "handshake=true", "writes=" + WRITES, "spreadMillis=4000", "transferMiB=1", "maps=0",
                    "sliceMillis=20", "periodMillis=200", "headMillis=200", "dir=" + run), run)) {
                // when
                Map<String, Long> strc = StraceCountsIT.straceAroundWindow(child, run);

                // then
                assertEquals("perf-sampled", child.report().get("source"),
                        () -> "fallback: " + child.report().get("fallbackReason"));
                long theirs = strc.getOrDefault("write", 0L);
                long estimate = child.number("syscalls.write");
                long low = child.number("sampling.syscalls.write.low");
                long high = child.number("sampling.syscalls.write.high");
                long counted = child.number("sampling.syscalls.write.counted");
                long slices = child.number("sampling.slices");
                long toggle = child.number("sampling.toggleMicrosMean");
                String table = String.format("%s attempt %d%nwrite: strace %d, estimate %d [%d, %d], counted %d in %d"
                                + " slices, %d per mille of the window, toggle %d us, read %d us", jdk, attempt, theirs,
                        estimate, low, high, counted, slices, child.number("sampling.countedPermille"), toggle,
                        child.number("sampling.readMicrosMean"));
                System.out.println(table);
                assertTrue(theirs >= WRITES, "strace saw the workload: " + table);
                assertEquals("false", child.report().get("sampling.weak"), table);
                assertTrue(slices >= 10, table);
                assertTrue(counted < WRITES / 2, "only a part was counted: " + table);
                assertTrue(low <= theirs && theirs <= high, "strace's count outside the 95 % interval: " + table);
                if (high - low > 0.4 * estimate && toggle > SLOW_TOGGLE_MICROS && attempt == 1) continue;
                assertTrue(high - low <= 0.4 * estimate, "interval wider than +-20 %: " + table);
                return;
            }
        }
    }
}
