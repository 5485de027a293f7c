// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What /proc says about a process at one instant; two snapshots make a window.
 *
 * @param io {@code /proc/<pid>/io}, or null when unreadable
 * @param voluntaryContextSwitches summed over {@code task/*}/status; -1 when unreadable
 * @param nonvoluntaryContextSwitches summed likewise
 * @param stat page faults, or null when unreadable
 * @param tasks number of threads seen
 */
public record ProcSnapshot(ProcIo io, long voluntaryContextSwitches, long nonvoluntaryContextSwitches,
                           ProcStat stat, int tasks) {

    /** The running process: {@code /proc/self}. */
    public static final Path SELF = Path.of("/proc/self");

    /**
     * Reads {@code procPid} (normally {@link #SELF}, a fixture directory in tests). Never throws:
     * unreadable parts become null/-1.
     */
    public static ProcSnapshot read(Path procPid) {
        ProcIo io = null;
        ProcStat stat = null;
        try {
            io = ProcIo.parse(readString(procPid.resolve("io")));
        } catch (IOException | RuntimeException e) {
            io = null;
        }
        try {
            stat = ProcStat.parse(readString(procPid.resolve("stat")));
        } catch (IOException | RuntimeException e) {
            stat = null;
        }
        long voluntary = 0;
        long nonvoluntary = 0;
        int tasks = 0;
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(procPid.resolve("task"))) {
            for (Path task : dir) {
                try {
                    // Two keys looked up, not the whole file parsed: thousands of threads make this the cost.
                    String status = readString(task.resolve("status"));
                    long taskVoluntary = KeyValueLines.value(status, "voluntary_ctxt_switches");
                    long taskNonvoluntary = KeyValueLines.value(status, "nonvoluntary_ctxt_switches");
                    if (taskVoluntary >= 0 && taskNonvoluntary >= 0) {
                        voluntary += taskVoluntary;
                        nonvoluntary += taskNonvoluntary;
                        tasks++;
                    }
                } catch (IOException | RuntimeException e) {
                    // The thread exited between listing and reading: its switches are lost.
                }
            }
        } catch (IOException | RuntimeException e) {
            voluntary = -1;
            nonvoluntary = -1;
        }
        return new ProcSnapshot(io, voluntary, nonvoluntary, stat, tasks);
    }

    static String readString(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
    }
}
