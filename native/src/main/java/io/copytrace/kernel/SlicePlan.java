// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

/**
 * When {@link KernelMode#SAMPLED} counts: the whole first {@code headMillis} (so a short window is
 * exact), then one slice of {@code sliceMillis} per {@code periodMillis}, at a random slot of the
 * period. The period is rounded up to a whole number of slices, so every slot is equally likely and
 * the extrapolation is unbiased whatever the workload's rhythm.
 *
 * @param sliceMillis how long each counting slice lasts, at least 1
 * @param periodMillis one slice is counted per period; at least one slice long
 * @param headMillis counted whole at the start of the window; 0 for none
 */
public record SlicePlan(long sliceMillis, long periodMillis, long headMillis) {
    /** 100 ms in every 1 s after a counted first second: see docs/kernel-counters.md, "Sampled mode". */
    public static final SlicePlan DEFAULT = new SlicePlan(100, 1000, 1000);

    public SlicePlan {
        sliceMillis = Math.max(1, sliceMillis);
        periodMillis = Math.max(1, (Math.max(periodMillis, sliceMillis) + sliceMillis - 1) / sliceMillis) * sliceMillis;
        headMillis = Math.max(0, headMillis);
    }

    /** Slots per period: the inverse of the share of the sampled rest that is counted. */
    public int slots() {
        return (int) Math.min(Integer.MAX_VALUE, periodMillis / sliceMillis);
    }
}
