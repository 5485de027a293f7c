// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.proc;

import java.util.Map;

/**
 * The parts of {@code /proc/<pid>/task/<tid>/status} copytrace reads.
 *
 * <p>The context-switch counts are per task: the process-level file shows only the main thread,
 * which is why {@link ProcSnapshot} sums the task files.
 *
 * @param voluntaryContextSwitches times the task gave up the CPU (blocked, e.g. in I/O)
 * @param nonvoluntaryContextSwitches times the task was preempted
 * @param capEff effective capability mask, or -1 when absent
 */
public record ProcStatus(long voluntaryContextSwitches, long nonvoluntaryContextSwitches, long capEff) {
    /** CAP_SYS_ADMIN: before Linux 5.8 the only capability that lifts perf_event_paranoid. */
    public static final int CAP_SYS_ADMIN = 21;
    /** CAP_PERFMON (Linux 5.8+): lifts perf_event_paranoid without full admin rights. */
    public static final int CAP_PERFMON = 38;

    public static ProcStatus parse(String text) {
        Map<String, Long> values = KeyValueLines.parse(text);
        String capEff = KeyValueLines.parseStrings(text).get("CapEff");
        long caps = -1;
        if (capEff != null && !capEff.isEmpty()) {
            try {
                caps = Long.parseUnsignedLong(capEff, 16);
            } catch (NumberFormatException e) {
                caps = -1;
            }
        }
        return new ProcStatus(values.getOrDefault("voluntary_ctxt_switches", -1L),
                values.getOrDefault("nonvoluntary_ctxt_switches", -1L), caps);
    }

    /** Whether the effective set holds {@code capability} (false when unknown). */
    public boolean hasCapability(int capability) {
        return capEff >= 0 && (capEff & (1L << capability)) != 0;
    }
}
