// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.recording.Site;
import java.util.List;

/**
 * One thing an engineer should know about a recording: where, the evidence, what fixing it saves, the
 * fix, and how sure we are.
 *
 * @param rule       the rule's id (see {@code docs/findings.md})
 * @param kind       opportunity, limitation, unexplained or good
 * @param title      one line saying what happens
 * @param site       the call site, or null when the finding is not tied to one (kernel cross-check)
 * @param bytes      the bytes the finding is about (moved, or affected)
 * @param evidence   lines of labelled facts, in reading order
 * @param saving     what fixing it saves (NONE for good paths and limitations)
 * @param advice     why it costs and what to change, in prose
 * @param fix        a concrete code suggestion (may be empty)
 * @param confidence how sure the diagnosis is
 * @param cost       what a limitation costs and no change inside the JDK removes (NONE for other kinds), priced
 *                   like a saving: it ranks the limitation among the opportunities, and is not in the total saving
 * @param paths      pictures of the way the bytes travel: "now" and "after" the fix, or the one path that runs
 *                   (a good path); empty when the finding has none (small I/O, kernel counts)
 */
public record Finding(String rule, FindingKind kind, String title, Site site, long bytes,
                      Evidence evidence, Saving saving, String advice, String fix,
                      Confidence confidence, Saving cost, List<CopyPath> paths) {
    public Finding {
        paths = paths == null ? List.of() : List.copyOf(paths);
    }

    /** A finding without a cost: an opportunity, an unexplained count or a good path. */
    public Finding(String rule, FindingKind kind, String title, Site site, long bytes, Evidence evidence,
                   Saving saving, String advice, String fix, Confidence confidence) {
        this(rule, kind, title, site, bytes, evidence, saving, advice, fix, confidence, Saving.NONE, List.of());
    }

    /** A finding without pictures (add them with {@link #withPaths}). */
    public Finding(String rule, FindingKind kind, String title, Site site, long bytes, Evidence evidence,
                   Saving saving, String advice, String fix, Confidence confidence, Saving cost) {
        this(rule, kind, title, site, bytes, evidence, saving, advice, fix, confidence, cost, List.of());
    }

    /** The estimated CPU time findings rank by: what fixing it saves, or what the limitation costs. */
    public long rankNanos() {
        return saving.estimatedNanos() + cost.estimatedNanos();
    }

    /** The CPU-copied bytes findings rank by next: saved, or what the limitation costs. */
    public long rankCopiedBytes() {
        return saving.cpuCopiedBytes() + cost.cpuCopiedBytes();
    }

    /** This finding with one more line of evidence (or the line labelled {@code label} replaced). */
    public Finding withEvidence(String name, String label, Prose value) {
        return new Finding(rule, kind, title, site, bytes, evidence.with(name, label, value), saving, advice, fix,
                confidence, cost, paths);
    }

    /** This finding with these pictures of its path (now and after, or the one that runs) instead of its own. */
    public Finding withPaths(List<CopyPath> pictures) {
        return new Finding(rule, kind, title, site, bytes, evidence, saving, advice, fix, confidence, cost, pictures);
    }

    /** The call site frame, or a label when the finding has no site. */
    public String where() {
        return site == null ? "(no call site: seen by the kernel only)" : site.frame();
    }

    /** Frames from the site outwards; empty without a site. */
    public List<String> stack() {
        return site == null ? List.of() : site.stack();
    }
}
