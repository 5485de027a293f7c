// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

/**
 * Reads the calling thread's page-fault counters for the probe, which asks only around operations on mapped
 * buffers (their pages fault in inside the call, charged to the calling thread). The agent core installs one
 * unless the kernel counters are off ({@link Probe#measureFaults}).
 */
public interface ThreadFaults {
    /** Longs of scratch {@link #read} needs. */
    int SCRATCH = 18;

    /**
     * Fills {@code scratch[0]} with the calling thread's minor and {@code scratch[1]} with its major page faults
     * so far, using the rest of {@code scratch} ({@link #SCRATCH} longs) as it needs; false when it cannot.
     * Must not allocate after its first call, nor throw.
     */
    boolean read(long[] scratch);
}
