// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.metrics;

/**
 * One metric series' labels: a call site (its frame, or {@link #OTHER} / {@link #JDK_INTERNAL}) and the
 * operation, path and buffer kind of the records summed into it.
 */
record Series(String site, String operation, String path, String buffer) {
    /** The site label of the sites without series of their own. */
    static final String OTHER = "other";
    /** The site label of the JDK's own I/O (class loading's jar reads): one bucket, never ranked. */
    static final String JDK_INTERNAL = "jdk-internal";

    /** Counts per series, in this order. */
    static final int CALLS = 0;
    static final int MOVED = 1;
    static final int CPU_COPIED = 2;
    static final int JVM_COPIED = 3;
    static final int COUNTS = 4;

    /** The same operation, path and buffer at another site label. */
    Series at(String otherSite) {
        return new Series(otherSite, operation, path, buffer);
    }
}
