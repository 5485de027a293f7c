// SPDX-License-Identifier: Apache-2.0
package io.copytrace.cli;

import io.copytrace.analysis.Analysis;
import io.copytrace.analysis.Report;
import io.copytrace.jfr.JfrRecording;
import io.copytrace.recording.BadRecording;
import io.copytrace.recording.Recording;
import io.copytrace.report.ReportFormatFactory;
import io.copytrace.report.ReportFormatType;
import io.copytrace.report.Reports;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code copytrace report RECORDING [--format text|md|html|json] [--out PATH]}. */
@Command(name = "report", description = "Turn a recording into a zero-copy opportunity report.")
final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "the recording (recording-PID.json), or a JDK Flight Recorder file (.jfr)")
    Path recording;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "text (default), md, html or json")
    String format;

    @Option(names = "--out", paramLabel = "PATH", description = "write to this file instead of standard output")
    Path out;

    @Mixin
    CostOptions cost;

    @Override
    public Integer call() throws BadRecording, IOException {
        ReportFormatType type;
        try {
            type = ReportFormatType.of(format);
        } catch (IllegalArgumentException x) {
            System.err.println("copytrace: " + x.getMessage());
            return CopytraceCli.EXIT_BAD_INPUT;
        }
        // A .jfr made without the agent: the JDK's own I/O events, with what they cannot show (docs/jfr.md).
        Recording read = JfrRecording.isJfr(recording) ? JfrRecording.read(recording) : Recording.read(recording);
        Report report = Analysis.analyze(read, cost.hostCost());
        String text = ReportFormatFactory.getInstance(type).render(report);
        if (out == null) {
            PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            stdout.print(text);
            stdout.flush();
        } else {
            Reports.writeAtomically(out, text);
            System.err.println("copytrace: wrote " + out);
        }
        return 0;
    }
}
