// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

/** What a finding asks of the reader; reports list the kinds in this order. */
public enum FindingKind {
    /** Copies or syscalls that a code change removes. */
    OPPORTUNITY("opportunity"),
    /** Copies the JDK cannot avoid on this path (TLS): facts, options and their cost, no promise. */
    LIMITATION("limitation"),
    /** I/O the kernel counted that the agent's records do not explain. */
    UNEXPLAINED("unexplained"),
    /** Already zero-copy: reported so nobody "fixes" it. */
    GOOD("good");

    private final String label;

    FindingKind(String label) {
        this.label = label;
    }

    /**
     * Findings rank by tier first: opportunities and limitations together (by estimated CPU time, saved or
     * cost), then unexplained, then good.
     */
    public int rankTier() {
        return switch (this) {
            case OPPORTUNITY, LIMITATION -> 0;
            case UNEXPLAINED -> 1;
            case GOOD -> 2;
        };
    }

    /** The name used in reports and the JSON report. */
    public String label() {
        return label;
    }
}
