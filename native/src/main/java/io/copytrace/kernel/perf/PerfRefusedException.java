// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.perf;

/** The kernel refused a perf request; the message says why and what a user can do about it. */
public final class PerfRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public PerfRefusedException(int errno, String advice) {
        super(advice);
        this.errno = errno;
    }

    /** The errno behind the refusal, 0 when none (e.g. unsupported architecture). */
    public int errno() {
        return errno;
    }
}
