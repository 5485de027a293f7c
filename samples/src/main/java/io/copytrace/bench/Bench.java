// SPDX-License-Identifier: Apache-2.0
package io.copytrace.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code make bench}: copytrace's cost against the same workload without it, side by side in one run,
 * and against JFR at threshold 0 and {@code strace -f -c}. Every measurement is a separate JVM; each
 * JVM warms up for a fixed time, then measures for a fixed time (the steady state); repetitions go round
 * the configurations in turn, so a slow phase of the machine hits them all alike. The table shows the
 * median of the repetitions, their spread, and the ratio to the baseline.
 *
 * <pre>How to run: java -cp samples/target/copytrace-samples.jar io.copytrace.bench.Bench \
 *     --jar dist/copytrace.jar --out docs/bench [--reps 3] [--warmup-ms 2000] [--measure-ms 4000]
 *     [--workloads a,b] [--java PATH]</pre>
 */
public final class Bench {
    static final String[] WORKLOADS = {"file-write-4k", "socket-write-64", "socket-write-64k", "transfer-1m", "broker"};
    /** Throughput loss allowed per workload for the default and the full configuration (issue 7). */
    static final Map<String, double[]> BUDGETS = Map.of(
            "file-write-4k", new double[] {0.03, 0.10}, "socket-write-64", new double[] {0.10, Double.NaN},
            "socket-write-64k", new double[] {0.03, 0.10}, "transfer-1m", new double[] {0.03, 0.10},
            "broker", new double[] {0.03, 0.10});

    private final Path jar;
    private final Path out;
    private final Path work;
    private final String javaCmd;
    private final int reps;
    private final long warmupMs;
    private final long measureMs;

    private Bench(Path jar, Path out, String java, int reps, long warmupMs, long measureMs) throws Exception {
        this.jar = jar.toAbsolutePath();
        this.out = out;
        this.javaCmd = java;
        this.reps = reps;
        this.warmupMs = warmupMs;
        this.measureMs = measureMs;
        this.work = Files.createTempDirectory("copytrace-bench");
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) a.put(args[i], args[i + 1]);
        Bench b = new Bench(Path.of(a.getOrDefault("--jar", "dist/copytrace.jar")), Path.of(a.getOrDefault("--out", "docs/bench")),
                a.getOrDefault("--java", Path.of(System.getProperty("java.home"), "bin", "java").toString()),
                Integer.parseInt(a.getOrDefault("--reps", "3")), Long.parseLong(a.getOrDefault("--warmup-ms", "2000")),
                Long.parseLong(a.getOrDefault("--measure-ms", "4000")));
        String[] workloads = a.containsKey("--workloads") ? a.get("--workloads").split(",") : WORKLOADS;
        b.run(workloads);
    }

    /** A way to run a JVM: a label, a command prefix (strace) and JVM options. */
    record Config(String name, List<String> prefix, List<String> jvm) {}

    /** The medians of one (workload, config) cell. */
    record Cell(String workload, String config, double mbPerS, double minMbPerS, double maxMbPerS,
                double cpuMsPerGiB, String note) {}

    private List<Config> configs() throws Exception {
        Path jfc = work.resolve("io-threshold-0.jfc");
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<configuration version=\"2.0\">\n");
        for (String e : new String[] {"jdk.FileRead", "jdk.FileWrite", "jdk.SocketRead", "jdk.SocketWrite"}) {
            x.append("  <event name=\"").append(e).append("\"><setting name=\"enabled\">true</setting>")
                    .append("<setting name=\"stackTrace\">true</setting><setting name=\"threshold\">0 ms</setting></event>\n");
        }
        Files.writeString(jfc, x.append("</configuration>\n").toString());
        String agent = "-javaagent:" + jar + "=out=" + work.resolve("rec");
        return List.of(
                new Config("baseline", List.of(), List.of()),
                new Config("copytrace", List.of(), List.of(agent)),
                new Config("copytrace-kernel-off", List.of(), List.of(agent + ",kernel=off")),
                // the agent alone without provenance: the difference to kernel-off is what following the bytes costs
                new Config("copytrace-flows-off", List.of(), List.of(agent + ",kernel=off,flows=off")),
                new Config("copytrace-full", List.of(), List.of(agent + ",kernel-samples=on,profile=cpu")),
                new Config("jfr-threshold-0", List.of(), List.of("-XX:StartFlightRecording=settings=" + jfc
                        + ",filename=" + work.resolve("bench.jfr"))),
                new Config("strace", List.of("strace", "-f", "-c", "-o", work.resolve("strace.txt").toString()), List.of()));
    }

    private void run(String[] workloads) throws Exception {
        List<Config> configs = configs();
        List<Cell> cells = new ArrayList<>();
        for (String w : workloads) {
            Map<String, List<double[]>> runs = new LinkedHashMap<>();
            Map<String, String> notes = new LinkedHashMap<>();
            for (int i = 0; i < reps; i++) {
                for (Config c : configs) {
                    runs.computeIfAbsent(c.name(), k -> new ArrayList<>());
                    double[] r = measureOnce(w, c, notes);
                    if (r != null) runs.get(c.name()).add(r);
                }
            }
            for (Config c : configs) {
                Cell cell = cell(w, c.name(), runs.get(c.name()), notes.getOrDefault(c.name(), ""));
                cells.add(cell);
                System.out.printf(Locale.ROOT, "%-18s %-20s %10.1f MB/s (%.1f-%.1f) %8.1f CPU ms/GiB %s%n", w, c.name(),
                        cell.mbPerS(), cell.minMbPerS(), cell.maxMbPerS(), cell.cpuMsPerGiB(), cell.note());
            }
        }
        double[] startPlain = startup(List.of());
        // A fresh cache folder for every run: the first start on a machine (or after an agent upgrade).
        double[] startCold = startup(List.of("-javaagent:" + jar + "=out=" + work.resolve("rec") + ",kernel=off,cache="
                + work.resolve("cache-cold-RUN")));
        Path warmCache = work.resolve("cache-warm");
        startup(List.of("-javaagent:" + jar + "=out=" + work.resolve("rec") + ",cache=" + warmCache)); // fills it
        double[] startAgent = startup(List.of("-javaagent:" + jar + "=out=" + work.resolve("rec") + ",cache=" + warmCache));
        Map<String, Long> mem = memory();
        write(cells, startPlain, startAgent, startCold, mem);
        try (java.util.stream.Stream<Path> files = Files.walk(work)) { // recordings, JFR files, caches
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** One JVM: {throughput MB/s, CPU ms per GiB}, or null when it failed (the note says why). */
    private double[] measureOnce(String workload, Config c, Map<String, String> notes) throws Exception {
        List<String> cmd = new ArrayList<>(c.prefix());
        cmd.add(javaCmd);
        cmd.addAll(c.jvm());
        cmd.addAll(List.of("-cp", classPath(), "io.copytrace.bench.BenchWorkload", workload, String.valueOf(warmupMs),
                String.valueOf(measureMs)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String result = null;
        StringBuilder other = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) result = line;
                else if (line.startsWith("copytrace: ")) other.append(line).append(' ');
            }
        }
        if (other.length() > 0) notes.put(c.name(), other.toString().trim());
        if (!p.waitFor(10, TimeUnit.MINUTES) || result == null) {
            notes.put(c.name(), "failed: " + other.toString().trim());
            return null;
        }
        Map<String, Long> v = new LinkedHashMap<>();
        for (String kv : result.substring(7).split(" ")) {
            String[] s = kv.split("=");
            v.put(s[0], Long.parseLong(s[1]));
        }
        return new double[] {v.get("bytes") / (v.get("nanos") / 1e9) / 1e6,
                v.get("cpuNanos") / 1e6 / (v.get("bytes") / (double) (1L << 30))};
    }

    private static Cell cell(String workload, String config, List<double[]> runs, String note) {
        if (runs.isEmpty()) return new Cell(workload, config, Double.NaN, Double.NaN, Double.NaN, Double.NaN, note);
        double[] tp = runs.stream().mapToDouble(r -> r[0]).sorted().toArray();
        double[] cpu = runs.stream().mapToDouble(r -> r[1]).sorted().toArray();
        return new Cell(workload, config, median(tp), tp[0], tp[tp.length - 1], median(cpu), note);
    }

    /**
     * Time from process start to main's first line, in ms: median, min, max over 2 × reps runs. RUN in an
     * option becomes the run's number.
     */
    private double[] startup(List<String> jvm) throws Exception {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < 2 * reps; i++) {
            List<String> cmd = new ArrayList<>(List.of(javaCmd));
            for (String o : jvm) cmd.add(o.replace("RUN", String.valueOf(i)));
            cmd.addAll(List.of("-cp", classPath(), "io.copytrace.bench.BenchWorkload", "start"));
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.equals("MAIN")) {
                        ms.add((System.nanoTime() - t0) / 1e6);
                        break;
                    }
                }
            }
            p.waitFor(2, TimeUnit.MINUTES);
        }
        double[] s = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new double[] {median(s), s[0], s[s.length - 1]};
    }

    /** Heap and RSS after 10 000 distinct call sites, with and without the agent. */
    private Map<String, Long> memory() throws Exception {
        Path classes = SitesWorkload.compile(work.resolve("sites"), 10_000);
        Map<String, Long> m = new LinkedHashMap<>();
        for (boolean agent : new boolean[] {false, true}) {
            List<String> cmd = new ArrayList<>(List.of(javaCmd));
            if (agent) cmd.add("-javaagent:" + jar + "=out=" + work.resolve("rec-mem") + ",sample-interval=1");
            cmd.addAll(List.of("-cp", classes + java.io.File.pathSeparator + classPath(), "io.copytrace.bench.SitesWorkload"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> l.startsWith("MEM ")).findFirst().orElseThrow();
            p.waitFor();
            for (String kv : line.substring(4).split(" ")) {
                String[] s = kv.split("=");
                m.put((agent ? "agent." : "plain.") + s[0], Long.parseLong(s[1]));
            }
        }
        return m;
    }

    private static String classPath() {
        return System.getProperty("java.class.path");
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private void write(List<Cell> cells, double[] startPlain, double[] startAgent, double[] startCold,
                       Map<String, Long> mem) throws Exception {
        Files.createDirectories(out);
        StringBuilder md = new StringBuilder();
        String machine = Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + ", " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version");
        md.append("# copytrace overhead benchmark\n\nMachine: ").append(machine).append(". ").append(reps)
                .append(" JVMs per cell (taken in turn across the configurations), each warming up for ").append(warmupMs)
                .append(" ms, then measured for ").append(measureMs).append(" ms; median (min–max) throughput, ratio to"
                        + " the baseline's median. copytrace = the default options (kernel counters through perf);"
                        + " copytrace-kernel-off = the agent alone; copytrace-flows-off = the agent alone without"
                        + " provenance (flows=off); copytrace-full = kernel samples and profile=cpu.\n\n");
        md.append("| workload | config | MB/s median (min–max) | ratio | CPU ms/GiB | budget |\n|---|---|---|---|---|---|\n");
        Map<String, Double> base = new LinkedHashMap<>();
        for (Cell c : cells) if (c.config().equals("baseline")) base.put(c.workload(), c.mbPerS());
        StringBuilder json = new StringBuilder("{\n  \"machine\": \"" + machine + "\",\n  \"cells\": [\n");
        for (int i = 0; i < cells.size(); i++) {
            Cell c = cells.get(i);
            double ratio = c.mbPerS() / base.get(c.workload());
            String budget = budget(c, ratio);
            md.append(String.format(Locale.ROOT, "| %s | %s | %.1f (%.1f–%.1f) | %.3f | %.0f | %s |%n", c.workload(),
                    c.config(), c.mbPerS(), c.minMbPerS(), c.maxMbPerS(), ratio, c.cpuMsPerGiB(),
                    budget + (c.note().isEmpty() ? "" : " " + c.note())));
            json.append(String.format(Locale.ROOT,
                    "    {\"workload\": \"%s\", \"config\": \"%s\", \"mbPerS\": %.2f, \"min\": %.2f, \"max\": %.2f,"
                            + " \"ratio\": %.4f, \"cpuMsPerGiB\": %.1f, \"budget\": \"%s\"}%s%n",
                    c.workload(), c.config(), c.mbPerS(), c.minMbPerS(), c.maxMbPerS(), ratio, c.cpuMsPerGiB(), budget,
                    i < cells.size() - 1 ? "," : ""));
        }
        md.append(String.format(Locale.ROOT, "%nTime to main: %.0f ms (%.0f–%.0f) without the agent, %.0f ms (%.0f–%.0f)"
                + " with it (default options, woven classes from the cache): %+.0f ms (budget: at most +400 ms)."
                + " First start on a machine (empty cache, kernel=off): %.0f ms (%.0f–%.0f), %+.0f ms.%n",
                startPlain[0], startPlain[1], startPlain[2], startAgent[0], startAgent[1], startAgent[2],
                startAgent[0] - startPlain[0], startCold[0], startCold[1], startCold[2], startCold[0] - startPlain[0]));
        long heap = mem.get("agent.heapUsed") - mem.get("plain.heapUsed");
        long rss = mem.get("agent.rss") - mem.get("plain.rss");
        md.append(String.format(Locale.ROOT, "%nAgent memory after 10 000 distinct call sites (sample-interval=1):"
                + " heap %+.1f MiB, resident set %+.1f MiB (budget: at most 32 MiB).%n", heap / 1048576.0, rss / 1048576.0));
        json.append(String.format(Locale.ROOT, "  ],%n  \"startupMs\": {\"plain\": %.1f, \"agent\": %.1f,"
                + " \"agentEmptyCache\": %.1f},%n  \"memoryBytes\": {\"heap\": %d, \"rss\": %d}%n}%n",
                startPlain[0], startAgent[0], startCold[0], heap, rss));
        Files.writeString(out.resolve("results.md"), md.toString());
        Files.writeString(out.resolve("results.json"), json.toString());
        System.out.print(md);
    }

    private static String budget(Cell c, double ratio) {
        double[] b = BUDGETS.get(c.workload());
        double loss = 1 - ratio;
        return switch (c.config()) {
            case "copytrace-kernel-off" -> "– (agent alone)";
            case "copytrace-flows-off" -> "– (agent alone, flows=off)";
            case "copytrace" -> loss <= b[0] ? "ok (≤" + pct(b[0]) + ")" : "MISSED (" + pct(loss) + " > " + pct(b[0]) + ")";
            case "copytrace-full" -> Double.isNaN(b[1]) ? "–"
                    : loss <= b[1] ? "ok (≤" + pct(b[1]) + ")" : "MISSED (" + pct(loss) + " > " + pct(b[1]) + ")";
            default -> "–";
        };
    }

    private static String pct(double d) {
        return String.format(Locale.ROOT, "%.0f %%", d * 100);
    }
}
