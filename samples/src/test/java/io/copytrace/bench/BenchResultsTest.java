// SPDX-License-Identifier: Apache-2.0
package io.copytrace.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.json.JsonReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's two windows per JVM: the budgets judged on the steady state, the first seconds beside them. */
class BenchResultsTest {

    @Test
    void eachWindowLineGivesItsOwnNumbers() {
        Bench.Run first = Bench.runOf("RESULT bytes=1073741824 ops=10 nanos=2000000000 cpuNanos=3000000000 rounds=4"
                + " peakRssKb=102400 jitMs=700");
        Bench.Run steady = Bench.runOf("STEADY bytes=2147483648 ops=20 nanos=2000000000 cpuNanos=3000000000 rounds=8"
                + " peakRssKb=204800 jitMs=5");
        assertEquals(1073.741824 / 2, first.mbPerS(), 1e-6);
        assertEquals(3000, first.cpuMsPerGiB(), 1e-9, "3 s of CPU for 1 GiB");
        assertEquals(500, first.msPerRound(), 1e-9);
        assertEquals(700, first.jitMs(), 1e-9);
        assertEquals(1500, steady.cpuMsPerGiB(), 1e-9, "the same CPU for twice the bytes");
        assertEquals(250, steady.msPerRound(), 1e-9);
        assertEquals(200, steady.peakRssMiB(), 1e-9);
        assertEquals(5, steady.jitMs(), 1e-9);
    }

    @Test
    void theBudgetIsJudgedOnTheSteadyStateAndTheFirstSecondsGetTheirOwnTable(@TempDir Path out) throws Exception {
        // the agent costs 20 % while the JIT still compiles, 2 % once it is done: the budget (3 %) is met
        List<Bench.Cell> steady = cells(100, 98);
        List<Bench.Cell> first = cells(100, 80);
        new BenchResults(out, 5, 2000, 4000, 10000, "java", Map.of()).write(steady, first, null);

        String md = Files.readString(out.resolve("results.md"));
        int steadyTable = md.indexOf("## The steady state (10000–14000 ms)");
        int firstTable = md.indexOf("## The first seconds (2000–6000 ms");
        assertTrue(steadyTable > 0 && firstTable > steadyTable, md);
        assertTrue(md.substring(steadyTable, firstTable).contains("ok (2 % ≤ 3 %)"), md);
        String firstPart = md.substring(firstTable);
        assertTrue(firstPart.contains("+20.0 %"), firstPart);
        assertFalse(firstPart.contains("MISSED") || firstPart.contains("ok ("), "no budget in the first seconds: " + firstPart);

        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) JsonReader.parse(Files.readString(out.resolve("results.json")));
        assertEquals(0.02, pairedCost(json, "cells"), 1e-9);
        assertEquals(0.20, pairedCost(json, "firstSecondsCells"), 1e-9);
        @SuppressWarnings("unchecked")
        Map<String, Object> windows = (Map<String, Object>) json.get("windows");
        assertEquals(10000, ((Number) windows.get("steadyFromMs")).intValue());
    }

    @Test
    void withoutASteadyWindowTheOneTableIsJudgedAsBefore(@TempDir Path out) throws Exception {
        new BenchResults(out, 5, 2000, 4000, 0, "java", Map.of()).write(cells(100, 80), List.of(), null);
        String md = Files.readString(out.resolve("results.md"));
        assertFalse(md.contains("## The first seconds") || md.contains("## The steady state"), md);
        assertTrue(md.contains("MISSED (20 % > 3 %)"), md);
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) JsonReader.parse(Files.readString(out.resolve("results.json")));
        assertFalse(json.containsKey("firstSecondsCells"));
    }

    /** The broker's baseline and default cells, 5 pairs each losing {@code 100 - agent} per cent. */
    private static List<Bench.Cell> cells(double base, double agent) {
        List<Bench.Run> b = runs(base);
        List<Bench.Run> a = runs(agent);
        return List.of(cell("baseline", base, b, PairedCost.NONE, PairedCost.NONE),
                cell("copytrace", agent, a, PairedCost.of(b, a, false), PairedCost.ofCpu(b, a)));
    }

    private static List<Bench.Run> runs(double mbPerS) {
        Bench.Run r = new Bench.Run(mbPerS, 1000, 10, 100, 50);
        return List.of(r, r, r, r, r);
    }

    private static Bench.Cell cell(String config, double mbPerS, List<Bench.Run> reps, PairedCost paired,
                                   PairedCost cpu) {
        return new Bench.Cell("broker", config, mbPerS, mbPerS, mbPerS, 1000, 10, 10, 10, 100, 50, paired, cpu, reps, "");
    }

    @SuppressWarnings("unchecked")
    private static double pairedCost(Map<String, Object> json, String table) {
        for (Object o : (List<Object>) json.get(table)) {
            Map<String, Object> c = (Map<String, Object>) o;
            if (c.get("config").equals("copytrace")) return ((Number) c.get("pairedCost")).doubleValue();
        }
        throw new AssertionError("no copytrace cell in " + table);
    }
}
