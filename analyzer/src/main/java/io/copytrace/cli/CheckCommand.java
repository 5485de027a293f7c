// SPDX-License-Identifier: Apache-2.0
package io.copytrace.cli;

import io.copytrace.analysis.Analysis;
import io.copytrace.analysis.HostCost;
import io.copytrace.recording.BadRecording;
import io.copytrace.recording.Recording;
import io.copytrace.report.Budget;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code copytrace check RECORDING --max-...}: a CI gate, exit 1 when over budget. */
@Command(name = "check", description = "Exit 1 when a recording is over budget (for CI gates).")
final class CheckCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "the recording (recording-PID.json)")
    Path recording;

    @Option(names = "--max-cpu-copies-per-byte", paramLabel = "X", description = "application CPU copies per byte moved")
    Double maxCpuCopiesPerByte;

    @Option(names = "--max-cpu-copied-bytes", paramLabel = "N", description = "application CPU-copied bytes")
    Long maxCpuCopiedBytes;

    @Option(names = "--max-jvm-copied-bytes", paramLabel = "N", description = "bytes the JVM itself copied")
    Long maxJvmCopiedBytes;

    @Option(names = "--max-fallbacks", paramLabel = "N", description = "transfer calls that fell back from sendfile/copy_file_range")
    Long maxFallbacks;

    @Option(names = "--max-opportunities", paramLabel = "N", description = "opportunity findings")
    Long maxOpportunities;

    @Override
    public Integer call() throws BadRecording {
        Budget budget = new Budget(maxCpuCopiesPerByte, maxCpuCopiedBytes, maxJvmCopiedBytes, maxFallbacks, maxOpportunities);
        if (maxCpuCopiesPerByte == null && maxCpuCopiedBytes == null && maxJvmCopiedBytes == null && maxFallbacks == null
                && maxOpportunities == null) {
            System.err.println("copytrace: check needs at least one --max-... budget (see copytrace check --help)");
            return CopytraceCli.EXIT_BAD_INPUT;
        }
        Recording rec = Recording.read(recording);
        // Budgets count copies, not time: no calibration needed.
        List<String> violations = new ArrayList<>();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        for (String line : budget.check(Analysis.analyze(rec, HostCost.fixed(10, 250)), violations)) out.println(line);
        if (!violations.isEmpty()) {
            System.err.println("copytrace: " + recording + " is over budget: " + String.join("; ", violations));
            return CopytraceCli.EXIT_OVER_BUDGET;
        }
        return 0;
    }
}
