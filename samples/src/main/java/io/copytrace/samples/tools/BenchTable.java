// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.tools;

import io.copytrace.bench.MedianInterval;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The before/after benchmark's Markdown: one row per sample, predicted and measured saving side by side. */
final class BenchTable {
    private BenchTable() {}

    static List<String> header() {
        return List.of("| sample | change | payload | sender CPU ms before (min–max) | after (min–max) "
                        + "| measured saving ms (median's 95 % interval where narrower; pairs: min–max) "
                        + "| report: copies saved | report: syscalls saved "
                        + "| report: page faults saved | report: priced at | predicted saving ms | predicted vs measured |",
                "|---|---|---|---|---|---|---|---|---|---|---|---|");
    }

    /** A sample's row. */
    static String row(BeforeAfterBenchmark.Case c, long payload, BeforeAfterBenchmark.Prediction predicted,
                      SavingCheck check) {
        long[] pairs = check.pairedSavings();
        long[] interval = check.interval();
        String narrower = MedianInterval.setAside(pairs.length) == 0 ? "" // the interval is all the pairs
                : millis(interval[0]) + "–" + millis(interval[1]) + "; pairs ";
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s (%s%s) | %s | %,d | %,d "
                        + "| %.1f GB/s (%.0f in cache), %.0f ns/syscall, %,.0f ns/small send, %,.0f ns/fault, %.0f ns/KiB file copy%s"
                        + " | %s | %s%s |",
                c.id(), c.name(),
                ReportView.bytes(payload), spread(check.beforeNanos()), spread(check.afterNanos()),
                millis(check.measuredNanos()), narrower, range(pairs), ReportView.bytes(predicted.copies()), predicted.syscalls(),
                predicted.pageFaults(), predicted.memcpyGbps(), predicted.cachedCopyGbps(), predicted.syscallNanos(),
                predicted.socketSendNanos(), predicted.minorFaultNanos(), predicted.fileCopyOverheadNanosPerKib(),
                handOffs(predicted), millis(predicted.cpuNanos()), check.differenceText(),
                " " + check.verdict().mark());
    }

    /**
     * The hand-offs the report priced and at what, and the price per KiB of bytes handed between cores, when it
     * priced any (relays handed between threads).
     */
    private static String handOffs(BeforeAfterBenchmark.Prediction predicted) {
        return predicted.handOffs() == 0 ? "" : String.format(Locale.ROOT, ", %,d hand-offs at %,.0f ns, %.0f ns/KiB "
                + "between cores", predicted.handOffs(), predicted.contextSwitchNanos(), predicted.crossCoreNanosPerKib());
    }

    /** The file: how it was measured, then the table. */
    static String document(String head, List<String> rows, List<String> notes) {
        return "# Predicted vs measured saving (`make bench-samples`)\n\n"
                + "Written by `io.copytrace.samples.tools.BeforeAfterBenchmark`; how to read it: "
                + "[samples.md](../samples.md#the-predicted-saving-checked).\n\n"
                + head + ".\n\n" + String.join("\n", rows) + "\n\n"
                + "Predicted vs measured: (predicted − median) / median (n/a: nothing measured to save); "
                + "✓ when every saving in the median's interval (all the pairs up to 8 of them: 99 % for 8, "
                + "97 % for 6, 94 % for 5) lies within " + Math.round(100 * SavingCheck.TOLERANCE)
                + " % of the prediction, ✗ when none does, ? when it holds both "
                + "(this machine's noise: more pairs narrow it).\n"
                + (notes.isEmpty() ? "" : "\n" + notes.stream().map(n -> "- " + n + "\n").collect(java.util.stream.Collectors.joining()));
    }

    private static String spread(List<Long> nanos) {
        long[] v = nanos.stream().mapToLong(Long::longValue).toArray();
        return millis(SavingCheck.median(v)) + " (" + range(v) + ")";
    }

    private static String range(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return millis(sorted[0]) + "–" + millis(sorted[sorted.length - 1]);
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.0f", nanos / 1e6);
    }
}
