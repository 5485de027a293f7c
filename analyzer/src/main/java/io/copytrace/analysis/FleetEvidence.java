// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.recording.Fleet;
import java.util.ArrayList;
import java.util.List;

/** The evidence line of a merged recording's findings: which JVMs of the fleet the call site's bytes came from. */
final class FleetEvidence {
    /** JVMs named per finding; the rest are counted. */
    static final int TOP_JVMS = 3;

    private FleetEvidence() {}

    /**
     * The finding with a {@code fleet} line: its site's heaviest JVMs, each with its CPU-copied and moved bytes and
     * its share of the site's CPU-copied bytes (of its bytes moved when nothing was CPU-copied, a zero-copy site).
     */
    static Finding withShares(Finding f, Fleet fleet) {
        if (f.site() == null) return f;
        List<Fleet.Share> shares = fleet.ofSite(f.site().id());
        if (shares.isEmpty()) return f;
        long cpu = 0;
        long moved = 0;
        for (Fleet.Share s : shares) {
            cpu += s.cpuCopiedBytes();
            moved += s.bytesMoved();
        }
        List<Prose> items = new ArrayList<>();
        for (Fleet.Share s : shares.subList(0, Math.min(TOP_JVMS, shares.size()))) {
            double share = cpu > 0 ? (double) s.cpuCopiedBytes() / cpu : moved > 0 ? (double) s.bytesMoved() / moved : 0;
            items.add(Prose.of(Figure.JVM, s.member().label()).text(" ").fig(Figure.CPU_COPIED_BYTES, s.cpuCopiedBytes())
                    .text(" CPU-copied of ").fig(Figure.BYTES_MOVED, s.bytesMoved()).text(" moved (")
                    .fig(Figure.SHARE_OF_SITE, share).text(")"));
        }
        Prose line = new Prose().items(Figure.JVM_SHARES, "; ", items);
        if (shares.size() > TOP_JVMS) line.text("; " + Units.count(shares.size() - TOP_JVMS) + " more");
        line.text(" (").fig(Figure.CONTRIBUTING_JVMS, (long) shares.size()).text(" of ")
                .fig(Figure.FLEET_JVMS, (long) fleet.members().size()).text(" JVMs)");
        return f.withEvidence("fleet", "JVMs", line);
    }
}
