// SPDX-License-Identifier: Apache-2.0
package io.copytrace.recording;

/**
 * The heap arrays a read record's calls filled for the first time, as the agent counted them (an array its header
 * says was never identity-hashed, so no recorded read had filled it; docs/recording-format.md): {@code arrays} of
 * them, {@code bytes} their lengths. One per call when the code allocates a buffer per read; one in all when it
 * reuses one. {@link #NONE} when none was counted (a reused buffer, a write record, flows off, an older agent).
 */
public record FreshArrays(long arrays, long bytes) {
    /** None counted. */
    public static final FreshArrays NONE = new FreshArrays(0, 0);

    /** Both counts added. */
    public FreshArrays plus(FreshArrays other) {
        return new FreshArrays(arrays + other.arrays, bytes + other.bytes);
    }

    /** True when at least one fresh array was counted. */
    public boolean any() {
        return arrays > 0;
    }
}
