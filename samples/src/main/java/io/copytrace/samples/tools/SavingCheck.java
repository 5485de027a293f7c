// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.tools;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * A report's predicted CPU saving beside the sender's measured one. The benchmark runs the copy-heavy and the
 * fixed variant in alternating JVMs; each pair gives one measured saving (before − after, each JVM's median
 * run), and the check compares the median of those with the prediction.
 *
 * @param predictedNanos the copy-heavy variant's report: {@code potentialSaving.estimatedCpuNanos}
 * @param beforeNanos    the copy-heavy JVMs' CPU, one figure per JVM, in run order
 * @param afterNanos     the fixed JVMs' CPU, one per JVM, paired with {@code beforeNanos} by index
 */
public record SavingCheck(long predictedNanos, List<Long> beforeNanos, List<Long> afterNanos) {
    /** How far prediction and measurement may differ, relative to the measurement, and still agree. */
    public static final double TOLERANCE = 0.25;

    public SavingCheck {
        if (beforeNanos.isEmpty() || beforeNanos.size() != afterNanos.size()) {
            throw new IllegalArgumentException("need as many fixed JVMs as copy-heavy ones, at least one: "
                    + beforeNanos + " / " + afterNanos);
        }
        beforeNanos = List.copyOf(beforeNanos);
        afterNanos = List.copyOf(afterNanos);
    }

    /** Each pair's measured saving, before − after. */
    public long[] pairedSavings() {
        long[] s = new long[beforeNanos.size()];
        for (int i = 0; i < s.length; i++) s[i] = beforeNanos.get(i) - afterNanos.get(i);
        return s;
    }

    /** The measured saving: the median of the pairs' savings. */
    public long measuredNanos() {
        return median(pairedSavings());
    }

    /**
     * (predicted − measured) / measured: negative when the report predicts less than the sender saved; empty
     * when nothing was measured to be saved (then no prediction can agree with it but 0).
     */
    public OptionalDouble difference() {
        long measured = measuredNanos();
        return measured <= 0 ? OptionalDouble.empty() : OptionalDouble.of((double) (predictedNanos - measured) / measured);
    }

    /** True when prediction and measurement differ by at most {@link #TOLERANCE} of the measurement. */
    public boolean agrees() {
        OptionalDouble d = difference();
        return d.isPresent() && Math.abs(d.getAsDouble()) <= TOLERANCE;
    }

    /** The difference as the tables show it: {@code -12 %}, or {@code n/a} when nothing was measured to be saved. */
    public String differenceText() {
        OptionalDouble d = difference();
        return d.isPresent() ? String.format(Locale.ROOT, "%+.0f %%", 100 * d.getAsDouble()) : "n/a";
    }

    /** The median of {@code values} (the lower middle one of an even count, so a figure that was measured). */
    static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(sorted.length - 1) / 2];
    }

    /** The median of {@code values}. */
    static long median(List<Long> values) {
        return median(values.stream().mapToLong(Long::longValue).toArray());
    }
}
