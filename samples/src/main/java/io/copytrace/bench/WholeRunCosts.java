// SPDX-License-Identifier: Apache-2.0
package io.copytrace.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the agent costs a JVM as a whole, beside {@link Bench}'s per-workload cells: the time to {@code main}, the
 * JVM's exit (main's end to the process's end, the recording written) and the memory with 10,000 call sites. Each
 * repetition runs the JVM without the agent and then with it, in turn, so a slow phase of the machine meets both;
 * each pair gives a difference, and the result carries the medians, their extremes and the pairs' median and its
 * 95 % interval ({@link MedianInterval}).
 */
final class WholeRunCosts {
    /** A median and a range: the extremes it came from, or for pairs the median's 95 % interval. */
    record Spread(double median, double min, double max) {
        static Spread of(List<Double> values) {
            return of(values, 0);
        }

        /** The median and its 95 % interval ({@link MedianInterval}). */
        static Spread ofMedian(List<Double> values) {
            return of(values, MedianInterval.setAside(values.size()));
        }

        private static Spread of(List<Double> values, int setAside) {
            double[] s = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            if (s.length == 0) return new Spread(Double.NaN, Double.NaN, Double.NaN);
            int n = s.length;
            return new Spread(n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2, s[setAside], s[n - 1 - setAside]);
        }
    }

    /** Without the agent, with it, and the differences pair by pair (with minus without). */
    record Paired(Spread plain, Spread agent, Spread pairs) {
        static Paired of(List<Double> plain, List<Double> agent) {
            List<Double> pairs = new ArrayList<>();
            for (int i = 0; i < Math.min(plain.size(), agent.size()); i++) {
                if (!plain.get(i).isNaN() && !agent.get(i).isNaN()) pairs.add(agent.get(i) - plain.get(i));
            }
            return new Paired(Spread.of(finite(plain)), Spread.of(finite(agent)), Spread.ofMedian(pairs));
        }

        private static List<Double> finite(List<Double> values) {
            return values.stream().filter(v -> !v.isNaN()).toList();
        }
    }

    /**
     * The whole run's costs, in ms (start, exit) and MiB (memory).
     *
     * @param start     time to main, with the woven classes cached (the agent's usual start)
     * @param coldStart time to main on a first start on a machine (empty cache, {@code kernel=off}): with it minus without
     * @param exit      main's end to the process's end on a short service
     * @param exitSoon  the same for a JVM ending right after its I/O, before the agent's warm-up rehearsed the close
     * @param rss       resident set after 10,000 call sites ({@code sample-interval=1})
     * @param heap      heap used after a GC, same JVMs
     * @param reps      pairs of JVMs of each
     */
    record Result(Paired start, Paired coldStart, Paired exit, Paired exitSoon, Paired rss, Paired heap, int reps) {}

    private final String javaCmd;
    private final String classPath;
    private final Path jar;
    private final Path work;

    WholeRunCosts(String javaCmd, String classPath, Path jar, Path work) {
        this.javaCmd = javaCmd;
        this.classPath = classPath;
        this.jar = jar;
        this.work = work;
    }

    /** Measures each cost with {@code reps} pairs (2 × reps for the start and the exit: they are short). */
    Result measure(int reps) throws Exception {
        String agent = "-javaagent:" + jar + "=out=" + work.resolve("rec");
        Path warmCache = work.resolve("cache-warm");
        List<String> warm = List.of(agent + ",cache=" + warmCache);
        List<Double> plainExit = new ArrayList<>(), agentExit = new ArrayList<>();
        List<Double> plainStart = new ArrayList<>(), agentStart = new ArrayList<>(), coldStart = new ArrayList<>();
        exitMs(warm, "exit"); // fills the warm cache with the classes a service loads
        List<Double> plainSoon = new ArrayList<>(), agentSoon = new ArrayList<>();
        for (int i = 0; i < 2 * reps; i++) {
            plainExit.add(exitMs(List.of(), "exit"));
            agentExit.add(exitMs(warm, "exit"));
            plainSoon.add(exitMs(List.of(), "exit-soon"));
            agentSoon.add(exitMs(warm, "exit-soon"));
        }
        for (int i = 0; i < 2 * reps; i++) {
            plainStart.add(startMs(List.of()));
            agentStart.add(startMs(warm));
            // a fresh cache folder each time: the first start on a machine (or after an agent upgrade)
            coldStart.add(startMs(List.of(agent + ",kernel=off,cache=" + work.resolve("cache-cold-" + i))));
        }
        Path sites = SitesWorkload.compile(work.resolve("sites"), 10_000);
        List<Double> plainRss = new ArrayList<>(), agentRss = new ArrayList<>();
        List<Double> plainHeap = new ArrayList<>(), agentHeap = new ArrayList<>();
        for (int i = 0; i < reps; i++) {
            double[] plain = memoryMiB(sites, List.of());
            double[] with = memoryMiB(sites, List.of("-javaagent:" + jar + "=out=" + work.resolve("rec-mem")
                    + ",sample-interval=1"));
            plainHeap.add(plain[0]);
            plainRss.add(plain[1]);
            agentHeap.add(with[0]);
            agentRss.add(with[1]);
        }
        return new Result(Paired.of(plainStart, agentStart), Paired.of(plainStart, coldStart),
                Paired.of(plainExit, agentExit), Paired.of(plainSoon, agentSoon), Paired.of(plainRss, agentRss),
                Paired.of(plainHeap, agentHeap), reps);
    }

    /** Process start to main's first line, in ms; NaN when main never said so. */
    private double startMs(List<String> options) throws Exception {
        long t0 = System.nanoTime();
        Process p = start(options, classPath, "io.copytrace.bench.BenchWorkload", "start");
        double ms = Double.NaN;
        try (BufferedReader r = reader(p)) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.equals("MAIN") && Double.isNaN(ms)) ms = (System.nanoTime() - t0) / 1e6;
            }
        }
        p.waitFor(2, TimeUnit.MINUTES);
        return ms;
    }

    /**
     * A short service ({@code exit}: some I/O, a 1.5 s pause; {@code exit-soon}: no pause) from main's last line to the
     * process's end, in ms: what the JVM's exit costs (shutdown hooks, the recording written, kernel counters
     * released); NaN when main never ended.
     */
    private double exitMs(List<String> options, String workload) throws Exception {
        Process p = start(options, classPath, "io.copytrace.bench.BenchWorkload", workload, "0", "0");
        long mainEnd = 0;
        try (BufferedReader r = reader(p)) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.equals("END")) mainEnd = System.nanoTime(); // main's last act
            }
        }
        p.waitFor(2, TimeUnit.MINUTES);
        return mainEnd == 0 ? Double.NaN : (System.nanoTime() - mainEnd) / 1e6;
    }

    /** {heap used after a GC, resident set} in MiB after {@link SitesWorkload}'s 10,000 call sites. */
    private double[] memoryMiB(Path sites, List<String> options) throws Exception {
        Process p = start(options, sites + java.io.File.pathSeparator + classPath, "io.copytrace.bench.SitesWorkload");
        String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("MEM ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("SitesWorkload printed no MEM line (options " + options + ")"));
        p.waitFor();
        double[] mib = new double[2];
        for (String kv : line.substring(4).split(" ")) {
            String[] s = kv.split("=");
            int at = Arrays.asList("heapUsed", "rss").indexOf(s[0]);
            if (at >= 0) mib[at] = Long.parseLong(s[1]) / 1048576.0;
        }
        return mib;
    }

    private Process start(List<String> options, String cp, String... main) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(javaCmd));
        cmd.addAll(options);
        cmd.addAll(List.of("-cp", cp));
        cmd.addAll(List.of(main));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static BufferedReader reader(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }
}
