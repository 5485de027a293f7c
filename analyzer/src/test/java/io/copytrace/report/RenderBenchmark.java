// SPDX-License-Identifier: Apache-2.0
package io.copytrace.report;

import io.copytrace.analysis.Analysis;
import io.copytrace.analysis.Fixtures;
import io.copytrace.analysis.HostCost;
import io.copytrace.analysis.Report;
import io.copytrace.recording.Recording;
import java.util.Random;

/**
 * How long reading, analyzing and rendering a recording with 10 000 call sites takes (target: under
 * 2 s for all formats). A main class, not a timed test: timings on a shared CI machine are noise.
 *
 * <p>Run: {@code mvn -pl analyzer test-compile && java -cp analyzer/target/classes:analyzer/target/test-classes
 * io.copytrace.report.RenderBenchmark [sites [recording-file-to-keep]]}
 */
public final class RenderBenchmark {
    private static final String[] OPS = {"file.read", "file.write", "socket.read", "socket.write", "stream.read",
        "stream.write", "socket.stream.write"};
    private static final String[] BUFFERS = {"heap", "direct", "byte[]"};

    private RenderBenchmark() {}

    public static void main(String[] args) throws Exception {
        int sites = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        String json = recording(sites);
        if (args.length > 1) { // also keep it, to time the command line: copytrace report FILE --format html
            java.nio.file.Files.writeString(java.nio.file.Path.of(args[1]), json);
        }
        System.out.printf("recording: %,d sites, %,d KiB of JSON%n", sites, json.length() / 1024);
        HostCost cost = HostCost.fixed(10, 250);
        // The main thread's CPU time too: on a loaded machine wall time says more about the neighbours.
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int round = 1; round <= 3; round++) { // round 1 includes class loading and JIT warm-up
            long cpu0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            Recording rec = Recording.parse(json, "bench.json");
            long t1 = System.nanoTime();
            Report report = Analysis.analyze(rec, cost);
            long t2 = System.nanoTime();
            StringBuilder sizes = new StringBuilder();
            for (ReportFormatType type : ReportFormatType.values()) {
                long s = System.nanoTime();
                int n = ReportFormatFactory.getInstance(type).render(report).length();
                sizes.append(String.format(" %s %d ms (%,d KiB)", type.optionName(), (System.nanoTime() - s) / 1_000_000, n / 1024));
            }
            long t3 = System.nanoTime();
            long cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
            System.out.printf("round %d: total %d ms (main thread CPU %d ms) = parse %d ms + analyze %d ms (%d findings) + render%s%n", round,
                    (t3 - t0) / 1_000_000, cpu, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, report.findings().size(), sizes);
        }
    }

    /** A recording with {@code sites} app sites, two records each, of assorted operations and buffers. */
    static String recording(int sites) {
        Random random = new Random(7);
        Fixtures.Builder b = new Fixtures.Builder(21);
        for (int i = 1; i <= sites; i++) {
            b.site(i, "com.acme.service.module" + (i % 97) + ".Handler" + i + ".handle(Handler" + i + ".java:" + (10 + i % 300) + ")");
            for (int k = 0; k < 2; k++) {
                String op = OPS[random.nextInt(OPS.length)];
                String buffer = op.startsWith("stream") || op.startsWith("socket.stream") ? "byte[]" : BUFFERS[random.nextInt(2)];
                boolean in = op.endsWith("read");
                long calls = 1 + random.nextInt(5_000);
                long bytes = calls * (16 + random.nextInt(128 * 1024));
                b.record(i, op, "syscall", buffer, in ? (op.startsWith("file") || op.startsWith("stream") ? "file" : "socket") : "memory",
                        in ? "memory" : (op.startsWith("file") || op.startsWith("stream.") ? "file" : "socket"), calls, bytes,
                        buffer.equals("direct") ? 0 : bytes);
            }
        }
        return b.json();
    }
}
