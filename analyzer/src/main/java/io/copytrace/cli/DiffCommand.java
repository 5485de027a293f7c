// SPDX-License-Identifier: Apache-2.0
package io.copytrace.cli;

import io.copytrace.analysis.Analysis;
import io.copytrace.analysis.HostCost;
import io.copytrace.recording.BadRecording;
import io.copytrace.recording.Recording;
import io.copytrace.report.RecordingDiff;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code copytrace diff BEFORE AFTER}: what changed between two recordings. */
@Command(name = "diff", description = "Show what changed between two recordings (totals, rows, findings).")
final class DiffCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "the recording before the change")
    Path before;

    @Parameters(index = "1", description = "the recording after the change")
    Path after;

    @Mixin
    CostOptions cost;

    @Override
    public Integer call() throws BadRecording, java.io.IOException {
        Recording a = Recording.read(before);
        Recording b = Recording.read(after);
        HostCost hostCost = cost.hostCost();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.print(RecordingDiff.text(Analysis.analyze(a, hostCost), Analysis.analyze(b, hostCost)));
        out.flush();
        return 0;
    }
}
