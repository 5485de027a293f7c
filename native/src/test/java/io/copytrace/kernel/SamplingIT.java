// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.testing.Jdk;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Sampling mode: bytes per syscall and descriptor, exact when nothing is lost, and loss reported. */
class SamplingIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("io.copytrace.testing.Jdk#all")
    void bytesPerDescriptorAreExact(Jdk jdk) throws Exception {
        // when: 4 MiB per CPU holds the whole workload even if the reader thread never ran
        ChildJvm child = ChildJvm.run(ChildJvm.command(jdk, ChildJvm.classpath(), List.of(), "mode=perf",
                "samples=true", "pages=1024", "dir=" + dir), dir);

        // then
        Map<String, String> report = child.report();
        assertEquals("perf", report.get("source"), () -> "fallback: " + report.get("fallbackReason"));
        assertEquals("true", report.get("samples.enabled"), () -> "samples: " + report.get("samples.reason"));
        assertEquals(0, child.number("samples.lost"), "lost samples are reported, and none with 4 MiB rings");
        String file = descriptor(report, "name", child.workload("writtenPath"));
        assertEquals("file", report.get(file + ".kind"));
        assertEquals(10_000, child.number(file + ".syscalls.write.calls"));
        assertEquals(10_000L * 4096, child.number(file + ".syscalls.write.bytes"));
        assertEquals(0, child.number(file + ".syscalls.write.errors"));

        // transferTo(file -> socket) is sendfile on every JDK; 21+ first tries copy_file_range and gets EINVAL.
        String socket = descriptor(report, "syscalls.sendfile64.bytes", Long.toString(64L << 20));
        assertEquals("socket", report.get(socket + ".kind"));
        assertTrue(report.get(socket + ".name").matches("tcp6? 127\\.0\\.0\\.1:\\d+ -> 127\\.0\\.0\\.1:\\d+"),
                report.get(socket + ".name"));
        assertEquals(64L << 20, child.number("samples.bySyscall.sendfile64.bytes"));
        long copyFileRange = child.number("samples.bySyscall.copy_file_range.calls");
        assertEquals(copyFileRange, child.number("samples.bySyscall.copy_file_range.errors"),
                "copy_file_range to a socket always fails");
        // The sampling window encloses the counting window by a few ioctls: the two agree.
        assertEquals(child.number("syscalls.write"), child.number("samples.bySyscall.write.calls"));
    }

    @Test
    void aRingTooSmallLosesSamplesAndSaysSo() throws Exception {
        // when: one page (about 55 samples) per CPU against 10,000 back-to-back writes
        ChildJvm child = ChildJvm.run(ChildJvm.command(Jdk.current(), ChildJvm.classpath(),
                List.of(), "mode=perf", "samples=true", "pages=1", "transferMiB=1", "dir=" + dir), dir);

        // then: whatever is missing from the calls is accounted for as lost, never silently dropped
        assertEquals("true", child.report().get("samples.enabled"));
        long lost = child.number("samples.lost");
        long sampledWrites = child.number("samples.bySyscall.write.calls");
        long countedWrites = child.number("syscalls.write");
        assertTrue(lost > 0, "expected loss with a one-page ring; sampled " + sampledWrites + " of " + countedWrites);
        assertTrue(sampledWrites < countedWrites);
        // Each missing call lost at least one of its two samples.
        assertTrue(countedWrites - sampledWrites <= lost + child.number("samples.unmatched"),
                "missing calls " + (countedWrites - sampledWrites) + " > lost " + lost);
    }

    /** The {@code samples.byDescriptor[i]} prefix whose {@code key} equals {@code value}. */
    private static String descriptor(Map<String, String> report, String key, String value) {
        int size = Integer.parseInt(report.get("samples.byDescriptor.size"));
        for (int i = 0; i < size; i++) {
            String prefix = "samples.byDescriptor[" + i + "]";
            if (value.equals(report.get(prefix + "." + key))) {
                return prefix;
            }
        }
        throw new AssertionError("no descriptor with " + key + "=" + value + " in " + report);
    }
}
