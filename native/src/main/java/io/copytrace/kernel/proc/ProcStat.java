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
        long[] faults = fields(text, 10, 12); // no split: the window's end parses it at the JVM's exit, interpreted
        return new ProcStat(faults[0], faults[1]);
    }

    /**
     * Fields {@code sortedNumbers} (1-based as proc(5) numbers them, ascending, 3 or more) in one pass
     * without splitting: -1 where absent or not a number. For the thousands of task stat files of a
     * thread snapshot.
     */
    static long[] fields(String text, int... sortedNumbers) {
        long[] out = new long[sortedNumbers.length];
        java.util.Arrays.fill(out, -1);
        int i = text.lastIndexOf(')') + 1; // the command name may hold spaces and parentheses
        if (i == 0) {
            return out;
        }
        int field = 2;
        int wanted = 0;
        while (wanted < sortedNumbers.length) {
            while (i < text.length() && text.charAt(i) == ' ') {
                i++;
            }
            if (i >= text.length() || text.charAt(i) == '\n') {
                break;
            }
            field++;
            int startOfField = i;
            while (i < text.length() && text.charAt(i) != ' ' && text.charAt(i) != '\n') {
                i++;
            }
            if (field == sortedNumbers[wanted]) {
                long value = KeyValueLines.leadingLong(text, startOfField);
                out[wanted++] = value >= 0 && i - startOfField <= 18 ? value : -1;
            }
        }
        return out;
    }
}
