// SPDX-License-Identifier: Apache-2.0
package io.copytrace.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Windows opened again and again on one service: its throughput and resident set before the first
 * {@code copytrace attach}, during a window, and after the last of {@code --windows} attach/stop cycles
 * (issue 16: a window that ends must give the app its full speed back). One service JVM runs a benchmark
 * workload without pause ({@code target} below); this program attaches and stops through the real
 * {@code copytrace attach} command and asks the service for its rate between round boundaries.
 *
 * <pre>How to run: java -cp samples/target/copytrace-samples.jar io.copytrace.bench.WindowsBench \
 *     --jar dist/copytrace.jar [--out docs/bench] [--windows 20] [--window-ms 2000] [--warmup-ms 20000]
 *     [--measure-ms 5000] [--reps 3] [--workload socket-write-64] [--java PATH]</pre>
 *
 * Writes {@code windows.md} and {@code windows.json} to {@code --out} (a fresh temporary folder when none is
 * given). Each rate is the median of {@code --reps} measurements of {@code --measure-ms}; after the last window
 * the service gets {@code --warmup-ms} again first (the un-weaving deoptimised the JDK methods it runs).
 */
public final class WindowsBench {
    private final Map<String, String> args;
    private final Process service;
    private final BufferedReader answers;
    private final OutputStream commands;
    private final String pid;

    private WindowsBench(Map<String, String> args, Process service) throws Exception {
        this.args = args;
        this.service = service;
        this.answers = new BufferedReader(new InputStreamReader(service.getInputStream(), StandardCharsets.UTF_8));
        this.commands = service.getOutputStream();
        this.pid = String.valueOf(service.pid());
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length > 0 && argv[0].equals("target")) {
            target(argv[1]);
            return;
        }
        Map<String, String> a = new LinkedHashMap<>(Map.of("--windows", "20", "--window-ms", "2000", "--warmup-ms",
                "20000", "--measure-ms", "5000", "--reps", "3", "--workload", "socket-write-64", "--java",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--jar", "dist/copytrace.jar"));
        for (int i = 0; i + 1 < argv.length; i += 2) a.put(argv[i], argv[i + 1]);
        Path out = a.containsKey("--out") ? Path.of(a.get("--out")) : Files.createTempDirectory("copytrace-windows");
        String cp = Path.of(WindowsBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        // A fixed heap, touched at start: the resident set then shows what windows add, not the service's heap
        // being touched region by region as it allocates (+19 MB in 25 s of this workload without any agent).
        Process p = new ProcessBuilder(a.get("--java"), "-XX:+IgnoreUnrecognizedVMOptions", "-XX:+EnableDynamicAgentLoading",
                "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch", "-cp", cp, WindowsBench.class.getName(), "target",
                a.get("--workload"))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            new WindowsBench(a, p).run(out);
        } finally {
            p.destroyForcibly();
        }
    }

    /** One phase's numbers: median ops per second, its measurements, and the resident set. */
    record Phase(String name, double opsPerS, double[] runs, long rssKb) {}

    private void run(Path out) throws Exception {
        Path recordings = Files.createTempDirectory("copytrace-windows-rec");
        int windows = Integer.parseInt(args.get("--windows"));
        long windowMs = Long.parseLong(args.get("--window-ms"));
        Thread.sleep(Long.parseLong(args.get("--warmup-ms")));
        List<Phase> phases = new ArrayList<>();
        phases.add(measure("before the first window"));
        long[] rssAfter = new long[windows + 1]; // [i]: just after window i ended
        for (int i = 1; i <= windows; i++) {
            copytrace("attach", pid, "out=" + recordings);
            Thread.sleep(windowMs);
            if (i == 1) phases.add(measure("during window 1 (default options)"));
            copytrace("attach", pid, "stop");
            rssAfter[i] = rssKb();
        }
        Thread.sleep(Long.parseLong(args.get("--warmup-ms")));
        phases.add(measure("after window " + windows));
        report(out, phases, windows, rssAfter);
    }

    private Phase measure(String name) throws Exception {
        int reps = Integer.parseInt(args.get("--reps"));
        double[] runs = new double[reps];
        for (int r = 0; r < reps; r++) {
            commands.write(("measure " + args.get("--measure-ms") + "\n").getBytes(StandardCharsets.UTF_8));
            commands.flush();
            String line = answers.readLine();
            if (line == null || !line.startsWith("RATE ")) throw new IllegalStateException("the service said " + line);
            runs[r] = Double.parseDouble(line.substring(5));
        }
        double[] sorted = runs.clone();
        Arrays.sort(sorted);
        return new Phase(name, sorted[reps / 2], runs, rssKb());
    }

    private long rssKb() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc", pid, "status"))) {
            if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
        return -1;
    }

    /** {@code java -jar copytrace.jar ARGS}; fails unless it exits 0. */
    private void copytrace(String... cmd) throws Exception {
        List<String> c = new ArrayList<>(List.of(args.get("--java"), "-jar", args.get("--jar")));
        c.addAll(List.of(cmd));
        Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("copytrace " + String.join(" ", cmd) + ": " + said);
        }
    }

    private void report(Path out, List<Phase> phases, int windows, long[] rssAfter) throws Exception {
        Files.createDirectories(out);
        double before = phases.get(0).opsPerS();
        StringBuilder md = new StringBuilder("# Windows opened again: the service's speed and memory\n\n");
        md.append(String.format(Locale.ROOT, "`WindowsBench` (issue 16): one JVM (%s) runs the `%s` workload without"
                + " pause; %d times `copytrace attach PID out=…` (default options), %d ms, `copytrace attach PID stop`."
                + " Rates are ops/s, median of %s runs of %s ms, between round boundaries; after the last window the"
                + " service first runs %s ms again. The service's heap is fixed and touched at start (-Xms256m -Xmx256m"
                + " -XX:+AlwaysPreTouch); RSS is VmRSS when the phase was measured.%n%n",
                Runtime.version(), args.get("--workload"), windows, Long.parseLong(args.get("--window-ms")),
                args.get("--reps"), args.get("--measure-ms"), args.get("--warmup-ms")));
        md.append("| phase | ops/s | vs before | runs | RSS MiB |\n|---|---:|---:|---|---:|\n");
        StringBuilder json = new StringBuilder("{\"workload\": \"" + args.get("--workload") + "\", \"windows\": "
                + windows + ", \"phases\": [");
        for (int i = 0; i < phases.size(); i++) {
            Phase p = phases.get(i);
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %.3f | %s | %.1f |%n", p.name(), p.opsPerS(),
                    p.opsPerS() / before, Arrays.stream(p.runs()).mapToObj(r -> String.format(Locale.ROOT, "%.0f", r))
                            .toList(), p.rssKb() / 1024.0));
            json.append(String.format(Locale.ROOT, "%s%n  {\"phase\": \"%s\", \"opsPerS\": %.1f, \"ratio\": %.4f,"
                    + " \"rssKb\": %d}", i == 0 ? "" : ",", p.name(), p.opsPerS(), p.opsPerS() / before, p.rssKb()));
        }
        md.append(String.format(Locale.ROOT, "%nRSS just after each window ended, MiB: %s.%n",
                Arrays.stream(rssAfter, 1, windows + 1).mapToObj(k -> String.format(Locale.ROOT, "%.0f", k / 1024.0))
                        .toList()));
        json.append("\n], \"rssKbAfterWindow\": ").append(Arrays.toString(Arrays.copyOfRange(rssAfter, 1, windows + 1)))
                .append("}\n");
        Files.writeString(out.resolve("windows.md"), md);
        Files.writeString(out.resolve("windows.json"), json);
        System.out.print(md);
    }

    /**
     * The service: runs rounds of {@code workload} on a thread of its own without pause, and answers
     * {@code measure MS} with {@code RATE <ops/s>} over the rounds that ended in the next MS milliseconds.
     */
    static void target(String workload) throws Exception {
        BenchWorkload.Workload w = switch (workload) {
            case "socket-write-64" -> ops -> BenchWorkload.socketWrites(ops, 64, 200_000);
            case "file-write-4k" -> BenchWorkload::fileWrites4k;
            default -> throw new IllegalArgumentException("unknown workload " + workload);
        };
        long[] progress = new long[2]; // ops, nanos at the last round's end; guarded by progress
        Thread worker = new Thread(() -> {
            long[] ops = new long[1];
            try {
                while (true) {
                    w.run(ops);
                    synchronized (progress) {
                        progress[0] = ops[0];
                        progress[1] = System.nanoTime();
                        progress.notifyAll();
                    }
                }
            } catch (Exception e) {
                e.printStackTrace();
                System.exit(1);
            }
        }, "service");
        worker.setDaemon(true);
        worker.start();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            long ms = Long.parseLong(line.substring("measure ".length()));
            long[] start = nextRound(progress, 0);
            long[] end = nextRound(progress, start[1] + ms * 1_000_000);
            System.out.println("RATE " + (end[0] - start[0]) * 1e9 / (end[1] - start[1]));
        }
    }

    /** The progress at the end of the first round that ends after {@code notBefore} (nanoTime; 0: the next). */
    private static long[] nextRound(long[] progress, long notBefore) throws InterruptedException {
        synchronized (progress) {
            long last = progress[1];
            while (progress[1] == last || progress[1] < notBefore) progress.wait();
            return progress.clone();
        }
    }
}
