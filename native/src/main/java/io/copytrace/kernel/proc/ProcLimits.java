// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.proc;

import java.io.IOException;
import java.nio.file.Path;

/** {@code /proc/<pid>/limits}: how many descriptors perf events may use. */
public final class ProcLimits {
    private ProcLimits() {
    }

    /** The soft "Max open files" limit, {@code Long.MAX_VALUE} for unlimited, -1 when unknown. */
    public static long maxOpenFiles(String text) {
        for (String line : text.split("\n")) {
            if (line.startsWith("Max open files")) {
                String[] columns = line.substring("Max open files".length()).trim().split("\\s+");
                if (columns.length == 0) {
                    return -1;
                }
                if (columns[0].equals("unlimited")) {
                    return Long.MAX_VALUE;
                }
                try {
                    return Long.parseLong(columns[0]);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** {@link #maxOpenFiles(String)} of {@code procPid/limits}; -1 when unreadable. */
    public static long maxOpenFiles(Path procPid) {
        try {
            return maxOpenFiles(ProcSnapshot.readString(procPid.resolve("limits")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
