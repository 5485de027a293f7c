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

    @ParameterizedTest
    @MethodSource("io.copytrace.testing.Jdk#all")
    void writeEstimateHoldsStracesCount(Jdk jdk) throws Exception {
        try (ChildJvm child = new ChildJvm(ChildJvm.command(jdk, ChildJvm.classpath(), List.of(),
                "mode=sampled", "handshake=true", "writes=" + WRITES, "spreadMillis=4000", "transferMiB=1", "maps=0",
                "sliceMillis=20", "periodMillis=200", "headMillis=200", "dir=" + dir), dir)) {
            // when
            Map<String, Long> strc = StraceCountsIT.straceAroundWindow(child, dir);

            // then
            assertEquals("perf-sampled", child.report().get("source"),
                    () -> "fallback: " + child.report().get("fallbackReason"));
            long theirs = strc.getOrDefault("write", 0L);
            long estimate = child.number("syscalls.write");
            long low = child.number("sampling.syscalls.write.low");
            long high = child.number("sampling.syscalls.write.high");
            long counted = child.number("sampling.syscalls.write.counted");
            long slices = child.number("sampling.slices");
            String table = String.format("%s%nwrite: strace %d, estimate %d [%d, %d], counted %d in %d slices,"
                            + " %d per mille of the window, toggle %d us, read %d us", jdk, theirs, estimate, low,
                    high, counted, slices, child.number("sampling.countedPermille"),
                    child.number("sampling.toggleMicrosMean"), child.number("sampling.readMicrosMean"));
            System.out.println(table);
            assertTrue(theirs >= WRITES, "strace saw the workload: " + table);
            assertEquals("false", child.report().get("sampling.weak"), table);
            assertTrue(slices >= 10, table);
            assertTrue(counted < WRITES / 2, "only a part was counted: " + table);
            assertTrue(low <= theirs && theirs <= high, "strace's count outside the 95 % interval: " + table);
            assertTrue(high - low <= 0.4 * estimate, "interval wider than +-20 %: " + table);
        }
    }
}
