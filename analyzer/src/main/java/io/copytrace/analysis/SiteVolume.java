// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.recording.Site;

/**
 * What one call site moved and copied over all its application records.
 *
 * @param site           the call site
 * @param calls          calls
 * @param bytesMoved     bytes moved
 * @param cpuCopiedBytes bytes the CPU copied (kernel per the copy model + JVM measured)
 * @param jvmCopiedBytes bytes the JVM itself copied (part of cpuCopiedBytes)
 */
public record SiteVolume(Site site, long calls, long bytesMoved, long cpuCopiedBytes, long jvmCopiedBytes) {
    /** Copies the kernel made, per the copy model. */
    public long kernelCopiedBytes() {
        return cpuCopiedBytes - jvmCopiedBytes;
    }
}
