// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

/** Where kernel numbers come from; the agent option {@code kernel=perf|proc|off}. */
public enum KernelMode {
    /** Try perf_event_open; fall back to /proc (with the reason recorded) when the kernel refuses. */
    PERF,
    /** Read /proc only: no native code, no privilege. */
    PROC,
    /** Record nothing. */
    OFF
}
