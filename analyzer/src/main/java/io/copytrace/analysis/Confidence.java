// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

/** How sure a finding is, and why it could be wrong is in its evidence. */
public enum Confidence {
    /** Measured by the agent on the exact JDK path; attribution exact. */
    HIGH,
    /** Measured, but the diagnosis infers intent (e.g. that two calls form one loop) or attribution was sampled. */
    MEDIUM,
    /** A heuristic over counts that other processes or the JVM itself may explain. */
    LOW;

    /** Lower-case name for reports. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
