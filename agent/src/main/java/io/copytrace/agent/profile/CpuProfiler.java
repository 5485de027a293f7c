// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.profile;

import io.copytrace.profile.CollapsedStacks;
import io.copytrace.profile.CpuProfile;
import io.copytrace.profile.CpuSamples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import one.profiler.AsyncProfiler;

/**
 * CPU sampling for the recording window with async-profiler: started when the window opens, stopped when it
 * closes, turned into the recording's {@code profile} section and a flame graph next to the recording.
 * {@code profile=cpu} asks for perf events with kernel stacks (async-profiler falls back to its
 * {@code ctimer} engine, user frames only, when perf events are refused); {@code profile=itimer} uses
 * {@code setitimer}, user frames only. A failure never reaches the application: {@link #start} returns a
 * profiler whose {@link #stop} reports the error.
 */
public final class CpuProfiler {
    private final String mode;
    private final long intervalNanos;
    private final AsyncProfiler profiler;
    private final String engine;
    private final Path log;
    private final String error;

    private CpuProfiler(String mode, long intervalNanos, AsyncProfiler profiler, String engine, Path log,
                        String error) {
        this.mode = mode;
        this.intervalNanos = intervalNanos;
        this.profiler = profiler;
        this.engine = engine;
        this.log = log;
        this.error = error;
    }

    /**
     * Starts sampling every thread. Never throws: a failure is printed as one line on stderr and kept for the
     * recording's {@code profile.error}.
     *
     * @param mode          {@code cpu} or {@code itimer}
     * @param intervalNanos CPU time between two samples
     */
    public static CpuProfiler start(String mode, long intervalNanos) {
        Path log = null;
        try {
            AsyncProfiler p = ProfilerLibrary.load();
            log = Files.createTempFile("copytrace-asyncProfiler-", ".log");
            // async-profiler warns on the application's stderr unless given a log file; its argument parser
            // splits on commas, so a path with one cannot be passed.
            String logArg = log.toString().contains(",") ? ",loglevel=none" : ",log=" + log;
            int perfBefore = PerfEventFds.count();
            p.execute("start,event=" + (mode.equals("itimer") ? "itimer" : "cpu") + ",interval=" + intervalNanos + logArg);
            // The cpu engine silently falls back to ctimer when perf_event_open is refused: perf events show as
            // new anon_inode:[perf_event] descriptors, one per thread.
            String engine = mode.equals("itimer") ? "itimer" : PerfEventFds.count() > perfBefore ? "perf_events" : "ctimer";
            return new CpuProfiler(mode, intervalNanos, p, engine, log, null);
        } catch (Throwable t) {
            deleteQuietly(log);
            String why = t.getMessage() == null ? t.toString() : t.getMessage();
            System.err.println("copytrace: CPU profiling is off for this run: " + why);
            return new CpuProfiler(mode, intervalNanos, null, null, null, why);
        }
    }

    /**
     * Stops sampling and returns the window's samples (the analyzer attributes them to sites when it reads
     * the recording); writes the flame graph {@code flameGraph} (a file name next to the recording, or null
     * for none). Never throws.
     */
    public CpuSamples stop(Path flameGraph) {
        if (error != null) return CpuSamples.failed(mode, error);
        try {
            profiler.execute("stop");
            String collapsed = profiler.execute("collapsed,ann,dot");
            List<String> warnings = new ArrayList<>(logWarnings());
            String flameName = null;
            if (flameGraph != null) {
                try {
                    String html = profiler.execute("flamegraph,dot,title=copytrace: CPU of the recording window (pid "
                            + ProcessHandle.current().pid() + ")");
                    writeAtomically(flameGraph, FlameGraphFile.withCopySearch(html));
                    flameName = flameGraph.getFileName().toString();
                } catch (IOException | RuntimeException x) {
                    warnings.add("the flame graph could not be written: " + x.getMessage());
                }
            }
            if (engine.equals("ctimer")) {
                warnings.add("perf events were refused (perf_event_paranoid above 1 without CAP_PERFMON, or a seccomp"
                        + " filter): async-profiler sampled with ctimer, user frames only; run as root or with"
                        + " sysctl kernel.perf_event_paranoid=1 for kernel copy time");
            }
            CpuProfile.Run run = new CpuProfile.Run(mode, engine, engine.equals("perf_events"), intervalNanos,
                    "async-profiler " + version(), flameName, List.copyOf(warnings));
            return new CpuSamples(run, null, CollapsedStacks.parse(collapsed));
        } catch (Throwable t) {
            return CpuSamples.failed(mode, "profiling failed when the window closed: " + t);
        } finally {
            deleteQuietly(log);
        }
    }

    private String version() {
        try {
            return profiler.getVersion().trim();
        } catch (Throwable t) {
            return "?";
        }
    }

    /** async-profiler's warnings and errors from its log, one line each. */
    private List<String> logWarnings() {
        List<String> out = new ArrayList<>();
        try {
            if (log != null && Files.exists(log)) {
                for (String line : Files.readAllLines(log)) {
                    if ((line.startsWith("[WARN]") || line.startsWith("[ERROR]")) && out.size() < 10) out.add(line.trim());
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // warnings are a courtesy
        }
        return out;
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        io.copytrace.files.AtomicFile.write(file, text);
    }

    private static void deleteQuietly(Path p) {
        try {
            if (p != null) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a stray temporary log file is harmless
        }
    }
}
