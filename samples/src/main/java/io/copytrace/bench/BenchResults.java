// SPDX-License-Identifier: Apache-2.0
package io.copytrace.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link Bench} run's table (results.md) and its numbers (results.json), and prints the table.
 *
 * @param out      the folder written to
 * @param reps     JVMs per cell
 * @param warmupMs each JVM's warm-up before its first window
 * @param measureMs each window's measured time
 * @param steadyMs when the steady window begins, counted from the warm-up's start (0: none)
 * @param javaCmd  the java command of the run
 * @param javaUsed per workload, the java command it ran on
 */
record BenchResults(Path out, int reps, long warmupMs, long measureMs, long steadyMs, String javaCmd,
                    Map<String, String> javaUsed) {

    /**
     * Writes the cells (the steady state's, or the first seconds' when the run had no steady window), the first
     * seconds' cells when there was one (else empty), and, when measured ({@code whole} not null), the start, exit
     * and memory costs.
     */
    void write(List<Bench.Cell> cells, List<Bench.Cell> firstCells, WholeRunCosts.Result whole) throws Exception {
        Files.createDirectories(out);
        StringBuilder md = new StringBuilder();
        String machine = Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + ", " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version");
        String windows = steadyMs > 0 ? String.format(Locale.ROOT, "each measured twice for %d ms: its first seconds"
                + " (from %d ms after the workload's start, the JIT still compiling) and the steady state (from %d ms;"
                + " the budgets are judged on it, the first table)", measureMs, warmupMs, steadyMs)
                : String.format(Locale.ROOT, "each warming up for %d ms, then measured for %d ms", warmupMs, measureMs);
        md.append("# copytrace overhead benchmark\n\nMachine: ").append(machine).append(". ").append(reps)
                .append(" JVMs per cell (taken in turn across the configurations), ").append(windows)
                .append("; median (min–max) throughput, ratio to"
                        + " the baseline's median, median ms per round (min–max) and median peak resident set (VmHWM)."
                        + " copytrace = the default options; copytrace-kernel-perf = the audit mode (kernel=perf: exact"
                        + " per-syscall counts through tracepoints); copytrace-kernel-off = the agent alone; copytrace-flows-off = the agent alone without"
                        + " provenance (flows=off); copytrace-full = kernel samples and profile=cpu. Cost per pair:"
                        + " each repetition runs the baseline and each configuration in turn, and each pair gives a cost"
                        + " (throughput lost, or time per round added); its median, and the median's 95 % interval"
                        + " (distribution-free: the pairs left when as many are set aside at each end as keep 95 %"
                        + " confidence; all of them up to 8 pairs, all but the lowest and the highest of 9 to 11, 5 of"
                        + " each end of 20). Budgets are judged on that median; a budget inside the interval is"
                        + " unresolved by the run: more pairs narrow it. CPU per pair: the same for the process's CPU"
                        + " time per GiB moved, which the host's stolen time does not inflate. JIT ms in window: the"
                        + " median JVM's JIT compile time (its compiler threads' time summed) inside the measured window:"
                        + " warm-up the window did not leave behind. Peak RSS: the JVM's peak resident set up to the"
                        + " window's end.");
        for (Map.Entry<String, String> e : javaUsed.entrySet()) {
            if (!e.getValue().equals(javaCmd)) md.append(" ").append(e.getKey()).append(" ran on ").append(e.getValue()).append('.');
        }
        md.append(" Budgets are on throughput loss, for ").append(String.join(", ", new java.util.TreeSet<>(BenchBudgets.TIMED_BY_ROUND)))
                .append(" on the time per round; peak RSS budgets compare the default configuration's median with the"
                        + " baseline's.\n\n");
        StringBuilder json = new StringBuilder("{\n  \"machine\": \"" + machine + "\",\n  \"cells\": [\n");
        if (steadyMs > 0) md.append("## The steady state (").append(steadyMs).append("–").append(steadyMs + measureMs)
                .append(" ms)\n\n");
        table(cells, true, md, json);
        json.append("  ]");
        if (!firstCells.isEmpty()) {
            md.append("\n## The first seconds (").append(warmupMs).append("–").append(warmupMs + measureMs)
                    .append(" ms; the same JVMs)\n\nThe JIT still compiles here, more with the agent (its hooks make the"
                            + " JDK's I/O methods larger to compile): what a service pays once after each start, beside"
                            + " its time to main. No budget is judged on this table.\n\n");
            json.append(",\n  \"firstSecondsCells\": [\n");
            table(firstCells, false, md, json);
            json.append("  ]");
        }
        json.append(String.format(Locale.ROOT, ",%n  \"windows\": {\"firstFromMs\": %d, \"steadyFromMs\": %d,"
                + " \"measureMs\": %d}", warmupMs, steadyMs, measureMs));
        if (whole != null) {
            md.append(wholeRun(whole));
            json.append(String.format(Locale.ROOT, ",%n  \"startupMs\": {\"plain\": %s, \"agent\": %s, \"agentEmptyCache\": %s,"
                    + " \"pairs\": %s, \"pairsLow\": %s, \"pairsHigh\": %s},%n  \"exitMs\": {\"plain\": %s, \"agent\": %s,"
                    + " \"pairs\": %s, \"pairsLow\": %s, \"pairsHigh\": %s},"
                    + "%n  \"exitSoonMs\": {\"plain\": %s, \"agent\": %s,"
                    + " \"pairs\": %s, \"pairsLow\": %s, \"pairsHigh\": %s},%n  \"memoryMiB\": {\"heap\": %s, \"rss\": %s,"
                    + " \"rssLow\": %s, \"rssHigh\": %s, \"pairs\": %d}",
                    num(whole.start().plain().median()), num(whole.start().agent().median()),
                    num(whole.coldStart().agent().median()), num(whole.start().pairs().median()),
                    num(whole.start().pairs().min()), num(whole.start().pairs().max()),
                    num(whole.exit().plain().median()), num(whole.exit().agent().median()),
                    num(whole.exit().pairs().median()), num(whole.exit().pairs().min()), num(whole.exit().pairs().max()),
                    num(whole.exitSoon().plain().median()), num(whole.exitSoon().agent().median()),
                    num(whole.exitSoon().pairs().median()), num(whole.exitSoon().pairs().min()),
                    num(whole.exitSoon().pairs().max()),
                    num(whole.heap().pairs().median()), num(whole.rss().pairs().median()), num(whole.rss().pairs().min()),
                    num(whole.rss().pairs().max()), whole.reps()));
        }
        json.append("\n}\n");
        Files.writeString(out.resolve("results.md"), md.toString());
        Files.writeString(out.resolve("results.json"), json.toString());
        System.out.print(md);
        System.out.println("\nWrote " + out.resolve("results.md") + " and results.json");
    }

    /** One table's rows and their JSON objects; {@code budgets}: with the budget column. */
    private static void table(List<Bench.Cell> cells, boolean budgets, StringBuilder md, StringBuilder json) {
        md.append("| workload | config | MB/s median (min–max) | ratio | ms/round median (min–max) | CPU ms/GiB"
                + " | JIT ms in window | peak RSS MiB | cost per pair | CPU per pair | " + (budgets ? "budget" : "against JFR")
                + " |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        Map<String, Bench.Cell> base = new LinkedHashMap<>();
        for (Bench.Cell c : cells) if (c.config().equals("baseline")) base.put(c.workload(), c);
        Map<String, Bench.Cell> jfr = new LinkedHashMap<>();
        for (Bench.Cell c : cells) if (c.config().equals("jfr-threshold-0")) jfr.put(c.workload(), c);
        for (int i = 0; i < cells.size(); i++) {
            Bench.Cell c = cells.get(i);
            Bench.Cell b = base.get(c.workload());
            double ratio = b == null ? Double.NaN : c.mbPerS() / b.mbPerS();
            String budget = budgets ? BenchBudgets.verdict(c, b) : "–";
            Bench.Cell j = jfr.get(c.workload());
            if (c.config().equals("copytrace") && j != null && !Double.isNaN(j.mbPerS())) {
                boolean cheaper = BenchBudgets.TIMED_BY_ROUND.contains(c.workload()) ? c.msPerRound() < j.msPerRound()
                        : c.mbPerS() > j.mbPerS();
                String than = cheaper ? "cheaper than JFR" : "NOT cheaper than JFR";
                budget = budgets ? budget + "; " + than : than;
            }
            md.append(String.format(Locale.ROOT, "| %s | %s | %.1f (%.1f–%.1f) | %.3f | %.1f (%.1f–%.1f) | %.0f | %.0f | %.0f | %s | %s | %s |%n",
                    c.workload(), c.config(), c.mbPerS(), c.minMbPerS(), c.maxMbPerS(), ratio, c.msPerRound(),
                    c.minMsPerRound(), c.maxMsPerRound(), c.cpuMsPerGiB(), c.jitMs(), c.peakRssMiB(), c.paired().text(),
                    c.pairedCpu().text(), budget + (c.note().isEmpty() ? "" : " " + c.note())));
            json.append(String.format(Locale.ROOT,
                    "    {\"workload\": \"%s\", \"config\": \"%s\", \"mbPerS\": %s, \"min\": %s, \"max\": %s,"
                            + " \"ratio\": %s, \"msPerRound\": %s, \"minMsPerRound\": %s, \"maxMsPerRound\": %s,"
                            + " \"cpuMsPerGiB\": %s, \"jitMsInWindow\": %s, \"peakRssMiB\": %s, \"pairedCost\": %s, \"pairedCostLow\": %s,"
                            + " \"pairedCostHigh\": %s, \"pairs\": %d, \"pairedCpu\": %s, \"pairedCpuLow\": %s,"
                            + " \"pairedCpuHigh\": %s, \"budget\": \"%s\", \"reps\": %s}%s%n",
                    c.workload(), c.config(), num(c.mbPerS()), num(c.minMbPerS()), num(c.maxMbPerS()), num(ratio),
                    num(c.msPerRound()), num(c.minMsPerRound()), num(c.maxMsPerRound()), num(c.cpuMsPerGiB()),
                    num(c.jitMs()), num(c.peakRssMiB()), num(c.paired().median()), num(c.paired().low()), num(c.paired().high()),
                    c.paired().pairs(), num(c.pairedCpu().median()), num(c.pairedCpu().low()), num(c.pairedCpu().high()),
                    budget, reps(c.reps()), i < cells.size() - 1 ? "," : ""));
        }
    }

    /** The start, exit and memory paragraph: medians without and with the agent, and the pairs' differences. */
    private static String wholeRun(WholeRunCosts.Result w) {
        return String.format(Locale.ROOT, "%nTime to main (%d JVMs of each in turn): %s without the agent, %s with it"
                        + " (default options, woven classes from the cache): %s by the median pair (budget: at most +300 ms)."
                        + " First start on a machine (empty cache, kernel=off): %s, %s by the median pair.%n",
                2 * w.reps(), ms(w.start().plain()), ms(w.start().agent()), added(w.start().pairs(), "ms"),
                ms(w.coldStart().agent()), added(w.coldStart().pairs(), "ms"))
                + String.format(Locale.ROOT, "%nJVM exit (main's end to the process's end; a main that wrote 64 MiB and"
                        + " paused 1.5 s; %d JVMs of each in turn): %s without the agent, %s with it (default options, the"
                        + " recording written): %s by the median pair (budget: nothing added).%n",
                2 * w.reps(), ms(w.exit().plain()), ms(w.exit().agent()), added(w.exit().pairs(), "ms"))
                + String.format(Locale.ROOT, "%nJVM exit soon after start (the same main without the pause: it ends"
                        + " before the agent's warm-up has rehearsed the close, as a command-line tool may): %s without"
                        + " the agent, %s with it: %s by the median pair.%n",
                ms(w.exitSoon().plain()), ms(w.exitSoon().agent()), added(w.exitSoon().pairs(), "ms"))
                + String.format(Locale.ROOT, "%nAgent memory after 10 000 distinct call sites (sample-interval=1; %d JVMs"
                        + " of each in turn): resident set %s by the median pair, heap %s (budget: at most 32 MiB).%n",
                w.reps(), added(w.rss().pairs(), "MiB"), added(w.heap().pairs(), "MiB"));
    }

    private static String ms(WholeRunCosts.Spread s) {
        return String.format(Locale.ROOT, "%.0f ms (%.0f–%.0f)", s.median(), s.min(), s.max());
    }

    private static String added(WholeRunCosts.Spread s, String unit) {
        return String.format(Locale.ROOT, "%+.1f %s (95 %% interval %+.1f … %+.1f)", s.median(), unit, s.min(), s.max());
    }

    /** Each repetition's numbers in turn ({mbPerS, cpuMsPerGiB, msPerRound, peakRssMiB, jitMs}; null: that JVM failed). */
    private static String reps(java.util.List<Bench.Run> reps) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (Bench.Run r : reps) {
            out.add(r == null ? "null" : String.format(Locale.ROOT,
                    "{\"mbPerS\": %s, \"cpuMsPerGiB\": %s, \"msPerRound\": %s, \"peakRssMiB\": %s, \"jitMs\": %s}",
                    num(r.mbPerS()), num(r.cpuMsPerGiB()), num(r.msPerRound()), num(r.peakRssMiB()), num(r.jitMs())));
        }
        return "[" + String.join(", ", out) + "]";
    }

    /** A JSON number, or null for NaN. */
    private static String num(double d) {
        return Double.isNaN(d) || Double.isInfinite(d) ? "null" : String.format(Locale.ROOT, "%.4f", d);
    }
}
