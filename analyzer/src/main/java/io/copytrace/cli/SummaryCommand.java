// SPDX-License-Identifier: Apache-2.0
package io.copytrace.cli;

import io.copytrace.recording.BadRecording;
import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.Recording;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code copytrace summary RECORDING}: the heaviest records, one line each. */
@Command(name = "summary", description = "Print the heaviest copy records of a recording.")
final class SummaryCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "the recording (recording-PID.json)")
    Path recording;

    @Option(names = "--top", defaultValue = "10", description = "records to show (default 10)")
    int top;

    @Override
    public Integer call() throws BadRecording {
        Recording rec = Recording.read(recording);
        PrintWriter out = new PrintWriter(System.out, true);
        Recording.Totals totals = rec.totals();
        out.printf("copytrace recording of %s (Java %s)%n", rec.jvm().mainCommand(), rec.jvm().javaVersion());
        out.printf("application: %,d calls, %,d bytes moved, %,d bytes CPU-copied (%,d by the JVM itself)%n",
                totals.calls(), totals.bytesMoved(), totals.cpuCopiedBytes(), totals.jvmCopiedBytes());
        out.printf("%-18s %-8s %-7s %14s %14s %7s  %s%n", "operation", "path", "buffer", "bytes moved",
                "CPU-copied", "copies", "call site");
        int shown = 0;
        for (CopyRecord r : rec.records()) {
            if (shown++ >= top) break;
            out.printf("%-18s %-8s %-7s %,14d %,14d %7.2f  %s%n", r.operation().wireName(), r.path().wireName(),
                    r.buffer().wireName(), r.bytesMoved(), r.cpuCopiedBytes(), r.cpuCopiesPerByte(), r.site().frame());
        }
        out.println("full report: copytrace report " + recording + " --format html --out report.html");
        return 0;
    }
}
