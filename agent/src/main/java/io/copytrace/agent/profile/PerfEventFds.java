// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.profile;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Counts this process's perf event descriptors ({@code /proc/self/fd → anon_inode:[perf_event]}). */
final class PerfEventFds {
    private PerfEventFds() {}

    /** The number of open perf event descriptors, 0 when /proc cannot be read. */
    static int count() {
        int n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().contains("perf_event")) n++;
                } catch (IOException | RuntimeException gone) {
                    // closed while listing
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            return 0;
        }
        return n;
    }
}
