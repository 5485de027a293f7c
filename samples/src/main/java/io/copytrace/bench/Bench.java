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
 * JVM warms up for a fixed time, then measures for a fixed time (its first seconds, the JIT still at work), runs
 * on and measures the same length again from {@code --steady-ms} after the warm-up began (the steady state, which
 * the budgets are judged on; 0: no second window); repetitions go round the configurations in turn, so a slow
 * phase of the machine hits them all alike. The tables show the median of the repetitions, their spread, and the
 * ratio to the baseline.
 *
 * <pre>How to run: java -cp samples/target/copytrace-samples.jar io.copytrace.bench.Bench \
 *     --jar dist/copytrace.jar --out docs/bench [--reps 5] [--warmup-ms 2000] [--measure-ms 4000]
 *     [--steady-ms 10000] [--workloads a,b|none] [--configs baseline,copytrace] [--whole on|off] [--java PATH]
 *     [--java21 PATH]</pre>
 *
 * {@code --reps} is the number of JVMs per cell. A targeted run ({@code --workloads} or {@code --configs})
 * measures only those cells ({@code --workloads none}: none), skips the start, exit and memory measurements
 * ({@link WholeRunCosts}) unless {@code --whole on}, and writes results.md and results.json to {@code --out} (a
 * fresh temporary folder when none is given, never docs/bench by default).
 * Workloads that need a newer JDK than {@code --java} (vthreads-512: 21) run with {@code --java21} (default
 * Temurin 25 where installed), every configuration of the cell alike; without one they are skipped.
 * A config {@code baseline-spin-N} runs without the agent but spins N ns after each write of the socket
 * workloads: how much a fixed price per call costs the workload, to read the agent's ratio against.
 * A config {@code copytrace@PATH} runs another build of the agent (the jar at PATH) with default options, so
 * two builds are measured in turn in one run.
 */
public final class Bench {
    static final String[] WORKLOADS = {"file-write-4k", "socket-write-64", "socket-write-64k", "transfer-1m", "broker",
            "vthreads-512", "netty-chunked-nio"};
    /** The lowest JDK feature release a workload runs on. */
    static final Map<String, Integer> MIN_JAVA = Map.of("vthreads-512", 21);
    /** The configurations of a full run; the others (flows-off, full, strace) are there for targeted runs. */
    static final List<String> DEFAULT_CONFIGS = List.of("baseline", "copytrace", "copytrace-kernel-perf",
            "copytrace-kernel-off", "jfr-threshold-0");
    static final String DEFAULT_JAVA21 = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";

    private final Path jar;
    private final Path out;
    private final Path work;
    private final String javaCmd;
    private final String java21Cmd;
    private final int reps;
    private final long warmupMs;
    private final long measureMs;
    /** When the steady window begins, counted from the warm-up's start; 0: no steady window. */
    private final long steadyMs;

    /** Whether the run measures start, exit and memory too ({@link WholeRunCosts}). */
    private final boolean wholeRun;
    private final List<String> configFilter;
    /** The java command each workload ran with, for the table's header. */
    private final Map<String, String> javaUsed = new LinkedHashMap<>();

    private Bench(Path jar, Path out, String java, String java21, int reps, long warmupMs, long measureMs,
                  long steadyMs, boolean wholeRun, List<String> configFilter) throws Exception {
        this.jar = jar.toAbsolutePath();
        this.out = out;
        this.javaCmd = java;
        this.java21Cmd = java21;
        this.wholeRun = wholeRun;
        this.configFilter = configFilter;
        this.reps = reps;
        this.warmupMs = warmupMs;
        this.measureMs = measureMs;
        this.steadyMs = steadyMs > 0 ? Math.max(steadyMs, warmupMs + measureMs) : 0;
        this.work = Files.createTempDirectory("copytrace-bench");
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) a.put(args[i], args[i + 1]);
        boolean targeted = a.containsKey("--workloads") || a.containsKey("--configs");
        Path out = a.containsKey("--out") ? Path.of(a.get("--out"))
                : targeted ? Files.createTempDirectory("copytrace-bench-out") : Path.of("docs/bench");
        String java21 = a.getOrDefault("--java21", Files.isExecutable(Path.of(DEFAULT_JAVA21)) ? DEFAULT_JAVA21 : "");
        List<String> configs = a.containsKey("--configs") ? List.of(a.get("--configs").split(",")) : null;
        Bench b = new Bench(Path.of(a.getOrDefault("--jar", "dist/copytrace.jar")), out,
                a.getOrDefault("--java", Path.of(System.getProperty("java.home"), "bin", "java").toString()), java21,
                Integer.parseInt(a.getOrDefault("--reps", "5")), Long.parseLong(a.getOrDefault("--warmup-ms", "2000")),
                Long.parseLong(a.getOrDefault("--measure-ms", "4000")),
                Long.parseLong(a.getOrDefault("--steady-ms", "10000")),
                a.getOrDefault("--whole", targeted ? "off" : "on").equals("on"), configs);
        String[] workloads = !a.containsKey("--workloads") ? WORKLOADS
                : a.get("--workloads").equals("none") ? new String[0] : a.get("--workloads").split(",");
        b.run(workloads);
    }

    /** A way to run a JVM: a label, a command prefix (strace) and JVM options. */
    record Config(String name, List<String> prefix, List<String> jvm) {}

    /**
     * A calibration config, {@code baseline-spin-N}: no agent, and N ns of busy work after each I/O call of the
     * socket workloads, to see what a fixed price per call costs a workload (its sensitivity to per-call work).
     */
    static final String SPIN = "baseline-spin-";
    /** A config {@code copytrace@PATH}: the agent jar at PATH with default options, beside {@code --jar}'s. */
    static final String OTHER_JAR = "copytrace@";

    /** The medians of one (workload, config) cell. */
    record Cell(String workload, String config, double mbPerS, double minMbPerS, double maxMbPerS,
                double cpuMsPerGiB, double msPerRound, double minMsPerRound, double maxMsPerRound, double peakRssMiB,
                double jitMs, PairedCost paired, PairedCost pairedCpu, List<Run> reps, String note) {}

    /** One JVM's numbers in one window; {@code jitMs}: the JIT compilers' time in that window (NaN: not known). */
    record Run(double mbPerS, double cpuMsPerGiB, double msPerRound, double peakRssMiB, double jitMs) {}

    /** One JVM's windows: its first seconds, and the steady state (null when the run measures none). */
    record Windows(Run first, Run steady) {}

    private List<Config> configs() throws Exception {
        Path jfc = work.resolve("io-threshold-0.jfc");
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<configuration version=\"2.0\">\n");
        for (String e : new String[] {"jdk.FileRead", "jdk.FileWrite", "jdk.SocketRead", "jdk.SocketWrite"}) {
            x.append("  <event name=\"").append(e).append("\"><setting name=\"enabled\">true</setting>")
                    .append("<setting name=\"stackTrace\">true</setting><setting name=\"threshold\">0 ms</setting></event>\n");
        }
        Files.writeString(jfc, x.append("</configuration>\n").toString());
        String agent = "-javaagent:" + jar + "=out=" + work.resolve("rec");
        List<Config> all = List.of(
                new Config("baseline", List.of(), List.of()),
                new Config("copytrace", List.of(), List.of(agent)),
                // the audit mode: exact per-syscall counts through perf tracepoints
                new Config("copytrace-kernel-perf", List.of(), List.of(agent + ",kernel=perf")),
                // kernel counters in slices, extrapolated (issue 13): the cheaper opt-in
                new Config("copytrace-kernel-sampled", List.of(), List.of(agent + ",kernel=sampled")),
                new Config("copytrace-kernel-off", List.of(), List.of(agent + ",kernel=off")),
                // the agent alone without provenance: the difference to kernel-off is what following the bytes costs
                new Config("copytrace-flows-off", List.of(), List.of(agent + ",kernel=off,flows=off")),
                new Config("copytrace-full", List.of(), List.of(agent + ",kernel-samples=on,profile=cpu")),
                new Config("jfr-threshold-0", List.of(), List.of("-XX:StartFlightRecording=settings=" + jfc
                        + ",filename=" + work.resolve("bench.jfr"))),
                new Config("strace", List.of("strace", "-f", "-c", "-o", work.resolve("strace.txt").toString()), List.of()));
        if (configFilter == null) {
            return all.stream().filter(c -> DEFAULT_CONFIGS.contains(c.name())).toList();
        }
        List<Config> chosen = new ArrayList<>();
        for (String name : configFilter) {
            if (name.startsWith(OTHER_JAR)) { // another build of the agent, default options: A/B of two builds
                chosen.add(new Config(name, List.of(), List.of("-javaagent:" + name.substring(OTHER_JAR.length())
                        + "=out=" + work.resolve("rec"))));
                continue;
            }
            if (name.startsWith(SPIN)) { // calibration: no agent, N ns of busy work after each call instead
                long ns = Long.parseLong(name.substring(SPIN.length()));
                chosen.add(new Config(name, List.of(), List.of("-D" + BenchWorkload.SPIN_PROPERTY + "=" + ns)));
                continue;
            }
            chosen.add(all.stream().filter(c -> c.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown config " + name)));
        }
        return chosen;
    }

    /** The java command for a workload: --java, or --java21 when the workload needs a newer JDK; null: none. */
    private String javaFor(String workload) throws Exception {
        int needs = MIN_JAVA.getOrDefault(workload, 0);
        if (needs == 0 || feature(javaCmd) >= needs) return javaCmd;
        return !java21Cmd.isEmpty() && feature(java21Cmd) >= needs ? java21Cmd : null;
    }

    private final Map<String, Integer> features = new LinkedHashMap<>();

    /** The JDK feature release of a java command (17, 21, 25), from {@code java -version}. */
    private int feature(String cmd) throws Exception {
        Integer f = features.get(cmd);
        if (f != null) return f;
        Process p = new ProcessBuilder(cmd, "-version").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("version \"(1\\.)?(\\d+)").matcher(text);
        f = m.find() ? Integer.parseInt(m.group(2)) : 0;
        features.put(cmd, f);
        return f;
    }

    private void run(String[] workloads) throws Exception {
        List<Config> configs = configs();
        List<Cell> cells = new ArrayList<>(); // the steady state's, or with no steady window the first seconds'
        List<Cell> firstCells = new ArrayList<>();
        for (String w : workloads) {
            String jvm = javaFor(w);
            Map<String, List<Run>> firstRuns = new LinkedHashMap<>();
            Map<String, List<Run>> steadyRuns = new LinkedHashMap<>();
            Map<String, String> notes = new LinkedHashMap<>();
            if (jvm == null) {
                for (Config c : configs) notes.put(c.name(), "skipped: needs JDK " + MIN_JAVA.get(w) + "+ (--java21)");
            } else {
                javaUsed.put(w, jvm);
            }
            for (int i = 0; jvm != null && i < reps; i++) {
                for (Config c : configs) {
                    // null kept for a failed JVM: index i is repetition i in every config, for the pairs
                    Windows once = measureOnce(jvm, w, c, notes);
                    firstRuns.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(once == null ? null : once.first());
                    steadyRuns.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(once == null ? null : once.steady());
                }
            }
            if (steadyMs > 0) {
                firstCells.addAll(cells(w, "first seconds", configs, firstRuns, notes));
                cells.addAll(cells(w, "steady state", configs, steadyRuns, notes));
            } else {
                cells.addAll(cells(w, "", configs, firstRuns, notes));
            }
        }
        // Start, exit and memory are whole-run measurements: a targeted run leaves them out unless --whole on.
        WholeRunCosts.Result whole = wholeRun ? new WholeRunCosts(javaCmd, classPath(), jar, work).measure(reps) : null;
        new BenchResults(out, reps, warmupMs, measureMs, steadyMs, javaCmd, javaUsed).write(cells, firstCells, whole);
        try (java.util.stream.Stream<Path> files = Files.walk(work)) { // recordings, JFR files, caches
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /**
     * A workload's cells in one window, one per config, from each config's runs (repetition i at index i), and prints
     * them labelled with the window.
     */
    private static List<Cell> cells(String w, String window, List<Config> configs, Map<String, List<Run>> runs,
                                    Map<String, String> notes) {
        List<Cell> cells = new ArrayList<>();
        List<Run> base = runs.getOrDefault("baseline", List.of());
        for (Config c : configs) {
            List<Run> mine = runs.getOrDefault(c.name(), List.of());
            PairedCost paired = c.name().equals("baseline") ? PairedCost.NONE
                    : PairedCost.of(base, mine, BenchBudgets.TIMED_BY_ROUND.contains(w));
            PairedCost pairedCpu = c.name().equals("baseline") ? PairedCost.NONE : PairedCost.ofCpu(base, mine);
            Cell cell = cell(w, c.name(), mine, paired, pairedCpu, notes.getOrDefault(c.name(), ""));
            cells.add(cell);
            System.out.printf(Locale.ROOT, "%-18s %-13s %-20s %10.1f MB/s (%.1f-%.1f) %8.1f CPU ms/GiB %8.1f ms/round"
                    + " %7.1f MiB peak RSS %s%n", w, window, c.name(), cell.mbPerS(), cell.minMbPerS(), cell.maxMbPerS(),
                    cell.cpuMsPerGiB(), cell.msPerRound(), cell.peakRssMiB(), cell.note());
        }
        return cells;
    }

    /** One JVM, or null when it failed or could not run the workload (the note says why). */
    private Windows measureOnce(String java, String workload, Config c, Map<String, String> notes) throws Exception {
        List<String> cmd = new ArrayList<>(c.prefix());
        cmd.add(java);
        cmd.addAll(c.jvm());
        cmd.addAll(List.of("-cp", classPath(), "io.copytrace.bench.BenchWorkload", workload, String.valueOf(warmupMs),
                String.valueOf(measureMs), String.valueOf(steadyMs)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String result = null;
        String steady = null;
        StringBuilder other = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) result = line;
                else if (line.startsWith("STEADY ")) steady = line;
                else if (line.startsWith("SKIP ")) other.append("skipped: ").append(line.substring(5)).append(' ');
                else if (line.startsWith("copytrace: ") && !line.contains("kernel=perf is the audit mode")
                        && !line.contains("kernel=sampled counts")) other.append(line).append(' '); // expected notes
            }
        }
        if (other.length() > 0) notes.put(c.name(), other.toString().trim());
        if (!p.waitFor(10, TimeUnit.MINUTES) || result == null || steadyMs > 0 && steady == null) {
            notes.put(c.name(), "failed: " + other.toString().trim());
            return null;
        }
        return new Windows(runOf(result), steady == null ? null : runOf(steady));
    }

    /** One window's numbers from its line, {@code RESULT|STEADY bytes=... jitMs=...}. */
    static Run runOf(String line) {
        Map<String, Long> v = new LinkedHashMap<>();
        for (String kv : line.substring(line.indexOf(' ') + 1).split(" ")) {
            String[] s = kv.split("=");
            v.put(s[0], Long.parseLong(s[1]));
        }
        long rounds = v.getOrDefault("rounds", 0L);
        long rssKb = v.getOrDefault("peakRssKb", -1L);
        long jitMs = v.getOrDefault("jitMs", -1L);
        return new Run(v.get("bytes") / (v.get("nanos") / 1e9) / 1e6,
                v.get("cpuNanos") / 1e6 / (v.get("bytes") / (double) (1L << 30)),
                rounds > 0 ? v.get("nanos") / 1e6 / rounds : Double.NaN, rssKb > 0 ? rssKb / 1024.0 : Double.NaN,
                jitMs >= 0 ? jitMs : Double.NaN);
    }

    /** The cell of {@code reps} (repetition i at index i, null where that JVM failed). */
    private static Cell cell(String workload, String config, List<Run> reps, PairedCost paired, PairedCost pairedCpu,
                             String note) {
        List<Run> runs = reps.stream().filter(java.util.Objects::nonNull).toList();
        if (runs.isEmpty()) {
            return new Cell(workload, config, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, paired, pairedCpu, reps, note);
        }
        double[] tp = runs.stream().mapToDouble(Run::mbPerS).sorted().toArray();
        double[] cpu = runs.stream().mapToDouble(Run::cpuMsPerGiB).sorted().toArray();
        double[] ms = runs.stream().mapToDouble(Run::msPerRound).sorted().toArray();
        double[] rss = runs.stream().mapToDouble(Run::peakRssMiB).sorted().toArray();
        double[] jit = runs.stream().mapToDouble(Run::jitMs).sorted().toArray();
        return new Cell(workload, config, median(tp), tp[0], tp[tp.length - 1], median(cpu), median(ms), ms[0],
                ms[ms.length - 1], median(rss), median(jit), paired, pairedCpu, reps, note);
    }

    private static String classPath() {
        return System.getProperty("java.class.path");
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
