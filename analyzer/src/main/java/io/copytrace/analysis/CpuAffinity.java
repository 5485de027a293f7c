// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Which CPUs a thread may run on (Linux: {@code Cpus_allowed_list} in {@code /proc/.../status}) and pinning one
 * thread to one CPU with util-linux {@code taskset}. Only for threads and processes a calibration or benchmark made
 * itself: never the app's.
 */
public final class CpuAffinity {
    private CpuAffinity() {}

    /** The CPUs this process may run on, in order; empty when unknown (not Linux). */
    public static List<Integer> allowed() {
        return allowed(Path.of("/proc/self/status"));
    }

    /** The CPUs of the thread or process whose status file this is, in order; empty when unknown. */
    static List<Integer> allowed(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("Cpus_allowed_list:")) return parseList(line.substring(18).strip());
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the thread is gone
        }
        return List.of();
    }

    /** A kernel CPU list ({@code 0-3,6}) as its CPUs. */
    static List<Integer> parseList(String list) {
        List<Integer> cpus = new ArrayList<>();
        for (String part : list.split(",")) {
            if (part.isBlank()) continue;
            int dash = part.indexOf('-');
            int from = Integer.parseInt(part.substring(0, dash < 0 ? part.length() : dash).strip());
            int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1).strip());
            for (int cpu = from; cpu <= to; cpu++) cpus.add(cpu);
        }
        return cpus;
    }

    /** True when {@code taskset} is on the path. */
    public static boolean tasksetAvailable() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "taskset"))) return true;
        }
        return false;
    }

    /** Pins the one thread (or single-threaded process) {@code tid} to {@code cpu}; true when taskset succeeded. */
    static boolean pin(long tid, int cpu) {
        try {
            Process p = new ProcessBuilder("taskset", "-p", "-c", String.valueOf(cpu), String.valueOf(tid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code command} run pinned to {@code cpu} ({@code taskset -c CPU command...}). */
    public static List<String> pinned(int cpu, List<String> command) {
        List<String> all = new ArrayList<>(List.of("taskset", "-c", String.valueOf(cpu)));
        all.addAll(command);
        return all;
    }
}
