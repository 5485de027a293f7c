// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.proc;

/**
 * Page-fault counts from {@code /proc/<pid>/stat}. The process-level file sums all threads,
 * including exited ones, so no per-task walk is needed.
 *
 * @param minorFaults faults served without I/O (fields 10, {@code minflt})
 * @param majorFaults faults that needed I/O (field 12, {@code majflt})
 */
public record ProcStat(long minorFaults, long majorFaults) {
    /** Parses the single stat line; the command name may contain spaces and parentheses. */
    public static ProcStat parse(String text) {
        int close = text.lastIndexOf(')');
        if (close < 0) {
            return new ProcStat(-1, -1);
        }
        // After "pid (comm) " the fields start at field 3 (state).
        String[] fields = text.substring(close + 1).trim().split("\\s+");
        return new ProcStat(field(fields, 10), field(fields, 12));
    }

    private static long field(String[] fieldsFromState, int fieldNumber) {
        int index = fieldNumber - 3;
        if (index >= fieldsFromState.length) {
            return -1;
        }
        try {
            return Long.parseLong(fieldsFromState[index]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
