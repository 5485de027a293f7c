// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.tools;

import io.copytrace.samples.Sample01StreamCopy;
import io.copytrace.samples.Sample02HeapBufferSend;
import io.copytrace.samples.Sample03DirectBufferSend;
import io.copytrace.samples.Sample06MappedSend;
import io.copytrace.samples.Sample07GatheringWrite;
import io.copytrace.samples.Sample09LogBroker;
import io.copytrace.samples.Sample10SplitRelay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Before/after: for each sample with a fixed variant, measures throughput and CPU time of the copy-heavy
 * and the fixed variant (in this JVM, without the agent), and prints them beside the saving the copytrace
 * report predicted for the copy-heavy variant (recorded once in a child JVM under the agent).
 *
 * <p>Each variant runs {@code --warmup} times unmeasured, then {@code --rounds} times alternating with the
 * other variant; the median round is reported. CPU time is the process's (every thread, user + kernel)
 * during the sample's timed I/O ({@code Totals.timed}), so it includes the loopback peer, which is the
 * same in both variants. The JDK reads process CPU time in 10 ms ticks, hence payloads of 1 GiB. This is a
 * small loopback benchmark on a shared machine, not JMH: read the
 * differences, not the third digit.
 *
 * <pre>
 * make bench-samples
 * java -cp samples/target/classes:analyzer/target/classes io.copytrace.samples.tools.BeforeAfterBenchmark \
 *      [--jar=dist/copytrace.jar] [--rounds=5] [--warmup=2] [--only=01,09]
 * </pre>
 */
public final class BeforeAfterBenchmark {
    /** A sample's copy-heavy and fixed variants, and the TRUTH keys whose sum is the payload. */
    record Case(String id, String name, Runner runner, String mainClass, String[] before, String[] after,
                String... payload) {}

    @FunctionalInterface
    interface Runner {
        io.copytrace.samples.Totals run(String... args) throws Exception;
    }

    /** The median measurement of one variant. */
    record Measured(double mibPerSecond, double cpuMillis, double wallMillis) {}

    static final List<Case> CASES = List.of(
            new Case("01", "java.io stream copy -> Files.copy", Sample01StreamCopy::run,
                    "io.copytrace.samples.Sample01StreamCopy",
                    new String[] {"--mib=1024"}, new String[] {"--mib=1024", "--copy=files-copy"}, "copied"),
            new Case("02", "heap-buffer loop -> transferTo", Sample02HeapBufferSend::run,
                    "io.copytrace.samples.Sample02HeapBufferSend",
                    new String[] {"--mib=1024"}, new String[] {"--mib=1024", "--send=transferTo"}, "sent"),
            new Case("03", "direct-buffer loop -> transferTo", Sample03DirectBufferSend::run,
                    "io.copytrace.samples.Sample03DirectBufferSend",
                    new String[] {"--mib=1024"}, new String[] {"--mib=1024", "--send=transferTo"}, "sent"),
            new Case("06", "mmap + write -> transferTo", Sample06MappedSend::run,
                    "io.copytrace.samples.Sample06MappedSend",
                    new String[] {"--mib=1024"}, new String[] {"--mib=1024", "--send=transferTo"}, "sent"),
            new Case("07", "tiny writes -> gathering writes", Sample07GatheringWrite::run,
                    "io.copytrace.samples.Sample07GatheringWrite",
                    new String[] {"--messages=400000"}, new String[] {"--messages=400000", "--writes=gathering"}, "sent"),
            new Case("09", "broker: heap produce + heap-loop fetch -> direct + transferTo", Sample09LogBroker::run,
                    "io.copytrace.samples.Sample09LogBroker",
                    new String[] {"--mib=256", "--tls=off", "--fetch=heap-loop"},
                    new String[] {"--mib=256", "--tls=off", "--produce-buffers=direct"},
                    "produced", "fetched.plaintext"),
            new Case("09t", "broker with TLS: heap produce -> direct produce (TLS fetch unchanged)", Sample09LogBroker::run,
                    "io.copytrace.samples.Sample09LogBroker",
                    new String[] {"--mib=128"}, new String[] {"--mib=128", "--produce-buffers=direct"},
                    "produced", "fetched.plaintext", "fetched.tls"),
            // the relay split over two threads: today's report finds nothing to save with direct buffers, and
            // only the heap copies with heap buffers, so the prediction columns show what the report misses
            new Case("10", "split relay (direct buffers, two threads) -> transferTo", Sample10SplitRelay::run,
                    "io.copytrace.samples.Sample10SplitRelay",
                    new String[] {"--mib=1024"}, new String[] {"--mib=1024", "--send=transferTo"}, "sent"),
            new Case("10h", "split relay (heap buffers, two threads) -> transferTo", Sample10SplitRelay::run,
                    "io.copytrace.samples.Sample10SplitRelay",
                    new String[] {"--mib=1024", "--buffers=heap"}, new String[] {"--mib=1024", "--send=transferTo"},
                    "sent"));

    private BeforeAfterBenchmark() {}

    public static void main(String[] args) throws Exception {
        String jar = "dist/copytrace.jar";
        int rounds = 5;
        int warmup = 2;
        List<String> only = List.of();
        for (String a : args) {
            if (a.startsWith("--jar=")) jar = a.substring(6);
            else if (a.startsWith("--rounds=")) rounds = Integer.parseInt(a.substring(9));
            else if (a.startsWith("--warmup=")) warmup = Integer.parseInt(a.substring(9));
            else if (a.startsWith("--only=")) only = List.of(a.substring(7).split(","));
            else throw new IllegalArgumentException("unknown argument " + a + " (--jar=, --rounds=, --warmup=, --only=)");
        }
        System.out.printf("Java %s, %d CPUs, %d rounds (median), %d warm-up%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), rounds, warmup);
        List<String> rows = new ArrayList<>();
        rows.add("| sample | change | payload | MiB/s before | MiB/s after | CPU ms before | CPU ms after | CPU saved (measured) "
                + "| report: copies saved | report: syscalls saved | report: CPU saved (estimate) |");
        rows.add("|---|---|---|---|---|---|---|---|---|---|---|");
        for (Case c : CASES) {
            if (!only.isEmpty() && !only.contains(c.id())) continue;
            System.out.printf("%s %s ...%n", c.id(), c.name());
            Prediction predicted = predict(jar, c);
            long payload = 0;
            for (int i = 0; i < warmup; i++) {
                c.runner().run(c.before());
                c.runner().run(c.after());
            }
            List<double[]> before = new ArrayList<>();
            List<double[]> after = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                payload = measure(c, c.before(), before);
                measure(c, c.after(), after);
            }
            Measured b = median(before);
            Measured a = median(after);
            rows.add(String.format(Locale.ROOT, "| %s | %s | %s | %.0f | %.0f | %.0f | %.0f | %.0f ms (%.0f%%) | %s | %,d | ~%.0f ms |",
                    c.id(), c.name(), ReportView.bytes(payload), b.mibPerSecond(), a.mibPerSecond(), b.cpuMillis(),
                    a.cpuMillis(), b.cpuMillis() - a.cpuMillis(), 100 * (b.cpuMillis() - a.cpuMillis()) / b.cpuMillis(),
                    ReportView.bytes(predicted.copies()), predicted.syscalls(), predicted.cpuNanos() / 1e6));
        }
        System.out.println();
        rows.forEach(System.out::println);
    }

    private static long measure(Case c, String[] args, List<double[]> into) throws Exception {
        Map<String, Long> t = c.runner().run(args).asMap();
        long payload = 0;
        for (String key : c.payload()) payload += t.getOrDefault(key, 0L);
        double wallMs = t.get("time.wall-ns") / 1e6;
        into.add(new double[] {payload / 1048576.0 / (wallMs / 1e3), t.get("time.cpu-ns") / 1e6, wallMs});
        return payload;
    }

    private static Measured median(List<double[]> runs) {
        double[] mib = runs.stream().mapToDouble(r -> r[0]).sorted().toArray();
        double[] cpu = runs.stream().mapToDouble(r -> r[1]).sorted().toArray();
        double[] wall = runs.stream().mapToDouble(r -> r[2]).sorted().toArray();
        return new Measured(mib[mib.length / 2], cpu[cpu.length / 2], wall[wall.length / 2]);
    }

    /** What the report says fixing the copy-heavy variant saves. */
    record Prediction(long copies, long syscalls, long cpuNanos) {}

    /** Records the copy-heavy variant once under the agent (kernel=off) and reads the report's potential saving. */
    static Prediction predict(String jar, Case c) throws Exception {
        Path dir = Files.createTempDirectory("copytrace-bench");
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new ArrayList<>(List.of(java, "-javaagent:" + jar + "=out=" + dir + ",kernel=off",
                    "-cp", System.getProperty("java.class.path"), c.mainClass()));
            cmd.addAll(Arrays.asList(c.before()));
            exec(cmd, dir.resolve("sample.log"));
            Path recording;
            try (Stream<Path> s = Files.list(dir)) {
                recording = s.filter(p -> p.getFileName().toString().matches("recording-\\d+\\.json")).findFirst()
                        .orElseThrow(() -> new IOException("no recording in " + dir));
            }
            Path report = dir.resolve("report.json");
            exec(List.of(java, "-jar", jar, "report", recording.toString(), "--format", "json", "--out", report.toString()),
                    dir.resolve("report.log"));
            Map<String, Object> saving = ReportView.read(report).section("potentialSaving");
            return new Prediction(ReportView.num(saving, "cpuCopiedBytes"), ReportView.num(saving, "syscalls"),
                    ReportView.num(saving, "estimatedCpuNanos"));
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private static void exec(List<String> cmd, Path log) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed:\n" + Files.readString(log));
        }
    }
}
