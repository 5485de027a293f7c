// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.recording.Recording;
import java.util.List;

/**
 * An analyzed recording: ranked findings, per-site volumes and the kernel cross-check, ready for any
 * report format.
 *
 * @param recording   the recording analyzed
 * @param cost        the host costs used to estimate CPU time
 * @param findings    ranked: opportunities and limitations by estimated CPU time (saved or cost), then
 *                    unexplained, then good
 * @param sites       application call sites, most CPU-copied bytes first
 * @param crossCheck  kernel versus JVM syscall counts
 * @param totalSaving the sum of all findings' savings (limitations' costs are not savings)
 */
public record Report(Recording recording, HostCost cost, List<Finding> findings, List<SiteVolume> sites,
                     CrossCheck crossCheck, Saving totalSaving) {
    /** Findings of one kind, in rank order. */
    public List<Finding> findings(FindingKind kind) {
        return findings.stream().filter(f -> f.kind() == kind).toList();
    }
}
