// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.Recording;
import java.util.List;
import java.util.Set;

/** One diagnosis over a recording. Rules run in {@link Analysis} order; see {@code docs/findings.md}. */
interface Rule {
    /** Below this many bytes a copy finding is noise (JDK start-up, configuration reads). */
    long MIN_BYTES = 256 * 1024;

    /**
     * Returns this rule's findings. {@code claimed} holds records an earlier rule already explained;
     * rules about copies skip them (so one byte is never "saved" twice) and add the ones they explain.
     */
    List<Finding> find(Recording recording, HostCost cost, Set<CopyRecord> claimed);
}
