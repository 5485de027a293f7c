// SPDX-License-Identifier: Apache-2.0
package io.copytrace.recording;

/** A recording that cannot be read; the message names the file and the problem in one line. */
public final class BadRecording extends Exception {
    private static final long serialVersionUID = 1L;

    /** {@code message} must already name the file. */
    public BadRecording(String message) {
        super(message);
    }
}
