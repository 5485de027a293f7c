// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code make demo} prices its Markdown and HTML reports with the JSON report's figures: {@code ReportDigest --cost}. */
class ReportDigestTest {
    @TempDir
    Path dir;

    private static final String COST = "\"memcpyBytesPerNanosecond\": 11.0, \"syscallNanoseconds\": 400.0,"
            + " \"socketSendNanoseconds\": 1500.0, \"minorFaultNanoseconds\": 3000.0,"
            + " \"fileCopyOverheadNanosecondsPerKib\": 20.0, \"contextSwitchNanoseconds\": 4000.0,"
            + " \"crossCoreNanosecondsPerKib\": 90.0";

    @Test
    void theCostFlagsCarryTheShortDistanceCopyWhenTheReportMeasuredIt() throws Exception {
        String measured = cost(COST + ", \"shortDistanceCopy\": {\"aheadNanosecondsPerKib\": 324.5,"
                + " \"apartNanosecondsPerKib\": 40.8}");
        String none = cost(COST + ", \"shortDistanceCopy\": null");

        String flags = "--memcpy-gbps 11.000 --syscall-ns 400.0 --socket-send-ns 1500.0 --minor-fault-ns 3000.0"
                + " --file-copy-overhead-ns 20.0 --context-switch-ns 4000.0 --cross-core-ns-per-kib 90.0";
        assertEquals(flags + " --short-distance-copy-ns-per-kib 324.5,40.8", measured.strip());
        assertEquals(flags, none.strip());
    }

    private String cost(String hostCost) throws Exception {
        Path report = dir.resolve("r" + System.nanoTime() + ".json");
        Files.writeString(report, "{\"hostCost\": {" + hostCost + "}}");
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            ReportDigest.main(new String[] {"--cost", report.toString()});
        } finally {
            System.setOut(out);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }
}
