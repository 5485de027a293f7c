// SPDX-License-Identifier: Apache-2.0
package io.copytrace.recording;

/**
 * The page faults a record's calls took themselves, as the agent measured them around mapped-buffer operations
 * (the calling thread's own counters): {@code calls} of the record's calls were measured, {@link #NONE} when none
 * was (another kind of call, a virtual thread, {@code kernel=off}, an older agent).
 */
public record PageFaults(long calls, long minor, long major) {
    /** Not measured. */
    public static final PageFaults NONE = new PageFaults(0, 0, 0);

    /** True when at least one call was measured. */
    public boolean measured() {
        return calls > 0;
    }

    /** Both counts added. */
    public PageFaults plus(PageFaults other) {
        return new PageFaults(calls + other.calls, minor + other.minor, major + other.major);
    }
}
