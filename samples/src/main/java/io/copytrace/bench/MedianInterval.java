// SPDX-License-Identifier: Apache-2.0
package io.copytrace.bench;

/**
 * How sure a median of paired costs is, without assuming how the pairs are distributed: the interval between the
 * k-th lowest and the k-th highest of n pairs holds the true median with probability 1 - 2 P(B < k), B binomial
 * (n, 1/2). The bench sets aside as many pairs at each end as keep that at 95 % or more: none up to 8 pairs (with
 * 5 or fewer even all of them cover less), 1 of 9 to 11, 2 of 12, 5 of 20, 9 of 30. So more pairs narrow the
 * interval, and a budget a few per cent from the median can be resolved on a noisy machine by running more.
 */
public final class MedianInterval {
    /** The confidence the interval keeps. */
    public static final double CONFIDENCE = 0.95;

    private MedianInterval() {}

    /** Values to set aside at each end of {@code n} sorted values; 0 when even all of them cover less than 95 %. */
    public static int setAside(int n) {
        int t = 0;
        while (t + 1 < n && coverage(n, t + 1) >= CONFIDENCE) t++;
        return t;
    }

    /** The confidence the interval of {@code n} values with {@link #setAside} set aside at each end has. */
    public static double confidence(int n) {
        return coverage(n, setAside(n));
    }

    /** 1 - 2 P(B <= t): how surely the median lies between the (t+1)-th lowest and the (t+1)-th highest of n. */
    private static double coverage(int n, int t) {
        double pmf = Math.pow(0.5, n); // P(B = 0)
        double below = pmf;
        for (int j = 1; j <= t; j++) {
            pmf = pmf * (n - j + 1) / j;
            below += pmf;
        }
        return 1 - 2 * below;
    }
}
