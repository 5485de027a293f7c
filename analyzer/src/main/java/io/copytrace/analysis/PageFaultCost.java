// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalDouble;

/**
 * What a minor page fault on a file mapping costs on this host: the {@link CalibrationFile} (its pages in the page
 * cache), the best of {@link HostCost#ROUNDS} rounds of mapping it afresh and touching every
 * page, the thread's CPU time over the minor faults it took (its own counter, /proc/thread-self/stat). Per
 * counted fault, as the agent counts a mapped write's faults: where the kernel maps several pages per fault
 * (fault-around, large folios), one fault's price covers them all. Only ever run in the reporting process
 * ({@link HostCost#measure}), never in the app's JVM.
 */
final class PageFaultCost {
    private static final int PAGE = 4096;
    private static final Path STAT = Path.of("/proc/thread-self/stat");
    /** Where the touched bytes go, so that the JIT keeps the reads. */
    private static volatile int touched;

    private PageFaultCost() {}

    /** The best round's CPU per minor fault in nanoseconds mapping {@code file}, or empty when it cannot be measured here. */
    static OptionalDouble measure(CalibrationFile file) {
        try (FileChannel channel = FileChannel.open(file.path, StandardOpenOption.READ)) {
            double best = Double.MAX_VALUE;
            for (int r = 0; r < HostCost.ROUNDS; r++) {
                MappedByteBuffer mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, CalibrationFile.BYTES);
                long faults0 = minorFaults(), t0 = ThreadCpu.now();
                int sum = 0;
                for (int i = 0; i < CalibrationFile.BYTES; i += PAGE) sum += mapping.get(i);
                long nanos = ThreadCpu.now() - t0, faults = minorFaults() - faults0;
                touched = sum; // the reads stay
                if (faults > 0) best = Math.min(best, (double) nanos / faults);
            }
            return best < Double.MAX_VALUE ? OptionalDouble.of(best) : OptionalDouble.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalDouble.empty();
        }
    }

    /** The calling thread's minor faults so far: field 10 of /proc/thread-self/stat. */
    static long minorFaults() throws IOException {
        String stat = Files.readString(STAT);
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[7]); // fields after the command: state, ppid, pgrp, session, tty, tpgid, flags, minflt
    }
}
