// SPDX-License-Identifier: Apache-2.0
package io.copytrace.report;

import io.copytrace.analysis.FindingKind;
import io.copytrace.analysis.Report;
import io.copytrace.analysis.Units;
import io.copytrace.model.TransferPath;
import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.Recording;
import java.util.ArrayList;
import java.util.List;

/**
 * Limits a recording must stay within, for CI gates ({@code copytrace check}). A null limit is not
 * checked.
 *
 * @param maxCpuCopiesPerByte  application CPU-copied bytes / bytes moved
 * @param maxCpuCopiedBytes    application CPU-copied bytes
 * @param maxJvmCopiedBytes    bytes the JVM itself copied
 * @param maxFallbacks         transfers that fell back from the direct path (mapped or loop)
 * @param maxOpportunities     opportunity findings
 */
public record Budget(Double maxCpuCopiesPerByte, Long maxCpuCopiedBytes, Long maxJvmCopiedBytes, Long maxFallbacks,
                     Long maxOpportunities) {

    /** One line per limit: "ok" or "OVER", the value and the limit. Empty when no limit is set. */
    public List<String> check(Report report, List<String> violations) {
        Recording.Totals t = report.recording().totals();
        List<String> lines = new ArrayList<>();
        if (maxCpuCopiesPerByte != null) {
            line(lines, violations, "CPU copies per byte", t.cpuCopiesPerByte() > maxCpuCopiesPerByte + 1e-9,
                    Units.ratio(t.cpuCopiesPerByte()), Units.ratio(maxCpuCopiesPerByte));
        }
        if (maxCpuCopiedBytes != null) {
            line(lines, violations, "CPU-copied bytes", t.cpuCopiedBytes() > maxCpuCopiedBytes,
                    Units.count(t.cpuCopiedBytes()), Units.count(maxCpuCopiedBytes));
        }
        if (maxJvmCopiedBytes != null) {
            line(lines, violations, "JVM-copied bytes", t.jvmCopiedBytes() > maxJvmCopiedBytes,
                    Units.count(t.jvmCopiedBytes()), Units.count(maxJvmCopiedBytes));
        }
        if (maxFallbacks != null) {
            long n = report.recording().applicationRecords().stream().filter(Budget::fellBack).mapToLong(CopyRecord::calls).sum();
            line(lines, violations, "transfer fallbacks", n > maxFallbacks, Units.count(n), Units.count(maxFallbacks));
        }
        if (maxOpportunities != null) {
            long n = report.findings(FindingKind.OPPORTUNITY).size();
            line(lines, violations, "opportunity findings", n > maxOpportunities, Units.count(n), Units.count(maxOpportunities));
        }
        return lines;
    }

    private static boolean fellBack(CopyRecord r) {
        return switch (r.operation()) {
            case FILE_TRANSFER_TO, FILE_TRANSFER_FROM, FILES_COPY, STREAM_TRANSFER_TO ->
                    r.path() == TransferPath.MAPPED || r.path() == TransferPath.LOOP;
            default -> false;
        };
    }

    private static void line(List<String> lines, List<String> violations, String what, boolean over, String value, String limit) {
        String l = (over ? "OVER " : "ok   ") + what + ": " + value + (over ? " > " : " ≤ ") + limit;
        lines.add(l);
        if (over) violations.add(what + " " + value + " > " + limit);
    }
}
