// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.proc;

import java.util.Map;

/**
 * {@code /proc/<pid>/io}: bytes and calls of read/write-like syscalls, summed over all threads
 * (live and exited) of the process. Needs no privilege for one's own process.
 *
 * @param rchar bytes passed to read-like syscalls (includes page-cache hits and pipes)
 * @param wchar bytes passed to write-like syscalls
 * @param syscr read-like syscalls
 * @param syscw write-like syscalls
 */
public record ProcIo(long rchar, long wchar, long syscr, long syscw) {
    /** Parses the {@code key: value} lines; a missing key reads as -1. */
    public static ProcIo parse(String text) {
        Map<String, Long> values = KeyValueLines.parse(text);
        return new ProcIo(values.getOrDefault("rchar", -1L), values.getOrDefault("wchar", -1L),
                values.getOrDefault("syscr", -1L), values.getOrDefault("syscw", -1L));
    }

    /** This minus {@code start}, field by field; unknown (-1) stays unknown. */
    public ProcIo minus(ProcIo start) {
        return new ProcIo(KeyValueLines.delta(rchar, start.rchar), KeyValueLines.delta(wchar, start.wchar),
                KeyValueLines.delta(syscr, start.syscr), KeyValueLines.delta(syscw, start.syscw));
    }
}
