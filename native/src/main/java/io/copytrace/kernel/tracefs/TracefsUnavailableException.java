// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.tracefs;

/** Tracefs cannot be used; the message is advice a user can act on. */
public final class TracefsUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public TracefsUnavailableException(String advice) {
        super(advice);
    }
}
