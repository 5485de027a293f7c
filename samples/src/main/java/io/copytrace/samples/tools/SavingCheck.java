// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.tools;

import io.copytrace.bench.MedianInterval;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * A report's predicted CPU saving beside the sender's measured one. The benchmark runs the copy-heavy and the
 * fixed variant in alternating JVMs; each pair gives one measured saving (before − after, each JVM's median
 * run), and the check compares the median of those with the prediction. How sure that is: the median's 95 %
 * interval ({@link MedianInterval}, as the cost bench judges its budgets) either lies within {@link #TOLERANCE} of
 * the prediction, or wholly outside it, or holds savings of both kinds ({@link Verdict}): on this project's shared
 * 2-core VM a pair's saving spreads by tens of milliseconds, so 8 pairs often cannot tell a 25 % difference, and
 * the table says so instead of a mark that flips between runs.
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

    /** What the pairs can tell about prediction and measurement. */
    public enum Verdict {
        /** Every saving in the median's interval lies within {@link #TOLERANCE} of the prediction. */
        AGREES("✓"),
        /** No saving in the median's interval does: the difference is real, not the machine's noise. */
        DIFFERS("✗"),
        /** The interval holds savings within and beyond the tolerance: more pairs narrow it. */
        UNRESOLVED("?");

        private final String mark;

        Verdict(String mark) {
            this.mark = mark;
        }

        /** The table's mark. */
        public String mark() {
            return mark;
        }
    }

    /**
     * The median saving's interval, {@code {low, high}}: the pairs' savings sorted, as many set aside at each end as
     * keep it at 95 % ({@link MedianInterval#setAside}; none up to 8 pairs, when it is all of them).
     */
    public long[] interval() {
        long[] sorted = pairedSavings();
        Arrays.sort(sorted);
        int aside = MedianInterval.setAside(sorted.length);
        return new long[] {sorted[aside], sorted[sorted.length - 1 - aside]};
    }

    /**
     * Whether the prediction agrees with every saving the interval holds (a saving {@code m} agrees when
     * {@code |predicted − m| <= TOLERANCE · m}: {@code m} from {@code predicted / (1 + TOLERANCE)} to
     * {@code predicted / (1 − TOLERANCE)}), with none, or with some.
     */
    public Verdict verdict() {
        long[] in = interval();
        // only a saving of 0 agrees with a prediction of 0
        if (predictedNanos <= 0) return in[0] > 0 || in[1] < 0 ? Verdict.DIFFERS : Verdict.UNRESOLVED;
        double low = predictedNanos / (1 + TOLERANCE), high = predictedNanos / (1 - TOLERANCE);
        if (in[0] >= low && in[1] <= high) return Verdict.AGREES;
        if (in[1] < low || in[0] > high) return Verdict.DIFFERS;
        return Verdict.UNRESOLVED;
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
