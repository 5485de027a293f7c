// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

import io.copytrace.kernel.perf.PerfRefusedException;
import io.copytrace.kernel.proc.ProcIo;
import io.copytrace.kernel.proc.ProcSnapshot;
import io.copytrace.kernel.proc.ThreadHistory;
import io.copytrace.kernel.proc.ThreadSnapshot;
import io.copytrace.kernel.proc.ThreadWindow;
import io.copytrace.kernel.tracefs.TracefsUnavailableException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Records, for one window, what the whole process did at the syscall level: syscall counts from
 * perf tracepoints (or, when perf is refused, /proc counters and the reason), optionally bytes per
 * syscall and descriptor from sampled tracepoints.
 *
 * <p>Never harms the host application: {@link #start} and {@link #stop} do not throw, every
 * descriptor and buffer is released at stop, and the only thread made comes from the caller's
 * {@link java.util.concurrent.ThreadFactory}.
 */
public final class KernelMonitor {
    private final KernelOptions options;
    private final ProcSnapshot procStart;
    private final PerfRecording perf;
    private final String fallbackReason;
    private final long startEpochNanos;
    private KernelWindow window;
    /** Per-thread /proc counters from the start on; null with kernel=off or when unreadable. */
    private ThreadHistory threads;
    /** The window end's thread snapshot, read by {@link #finish} (under stop's lock) for the proc and threads parts. */
    private ThreadSnapshot threadsEnd;

    private KernelMonitor(KernelOptions options, ProcSnapshot procStart, PerfRecording perf, String fallbackReason,
                          long startEpochNanos) {
        this.options = options;
        this.procStart = procStart;
        this.perf = perf;
        this.fallbackReason = fallbackReason;
        this.startEpochNanos = startEpochNanos;
    }

    /** Starts counting now. Never throws; on refusal falls back to /proc and records why. */
    public static KernelMonitor start(KernelOptions options) {
        KernelOptions effective = options == null ? KernelOptions.defaults(null) : options;
        if (effective.mode() == KernelMode.OFF) {
            return new KernelMonitor(effective, null, null, null, epochNanos());
        }
        // /proc first: its own read() calls then fall before the perf window opens.
        ProcSnapshot procStart = safeProcSnapshot();
        ThreadSnapshot threadsStart = safeThreadSnapshot(null);
        PerfRecording perf = null;
        String reason;
        if (effective.mode() == KernelMode.PROC) {
            reason = "kernel=proc was requested; perf was not tried";
        } else {
            try {
                perf = PerfRecording.start(effective);
                reason = null;
            } catch (PerfRefusedException | TracefsUnavailableException e) {
                reason = e.getMessage() + "; using /proc counters instead";
            } catch (Throwable t) {
                reason = "perf set-up failed unexpectedly (" + t + "); using /proc counters instead";
            }
        }
        KernelMonitor monitor = new KernelMonitor(effective, procStart, perf, reason, epochNanos());
        monitor.threads = threadsStart == null ? null : new ThreadHistory(threadsStart);
        return monitor;
    }

    /** Stops counting (idempotent) and returns what the kernel saw in the window. Never throws. */
    public synchronized KernelWindow stop() {
        if (window != null) {
            return window;
        }
        long endEpochNanos = epochNanos();
        try {
            window = finish(endEpochNanos);
            // After finish(): perf has stopped counting, so these reads are not in its counts.
            window = window.withThreads(threadsJson(threadsEnd));
        } catch (Throwable t) {
            if (perf != null) {
                try {
                    perf.abort();
                } catch (Throwable ignored) {
                    // Already failing; nothing more to release.
                }
            }
            window = new KernelWindow(source(), "stop failed unexpectedly (" + t + ")", startEpochNanos, endEpochNanos,
                    Map.of(), Map.of(), null, null, null, samplesOff("stop failed"));
        }
        return window;
    }

    private KernelWindow finish(long endEpochNanos) {
        if (options.mode() == KernelMode.OFF) {
            return new KernelWindow("off", null, startEpochNanos, endEpochNanos, Map.of(), Map.of(), null, null, null,
                    samplesOff("kernel=off"));
        }
        PerfRecording.Result result = perf == null ? null : perf.finish();
        // After the counters stopped, so our /proc reads are not in them; each thread's files are read once.
        threadsEnd = threads == null ? null : safeThreadSnapshot(threads.latest());
        Map<String, Object> proc = procUntil(threadsEnd);
        if (result == null) {
            return procWindow(endEpochNanos, proc);
        }
        if (result.error() != null) {
            return new KernelWindow("proc", result.error() + "; using /proc counters instead", startEpochNanos,
                    endEpochNanos, Map.of(), Map.of(), proc, result.perf(), null, result.samples());
        }
        return new KernelWindow(source(), null, startEpochNanos, endEpochNanos, result.syscalls(), result.counters(),
                proc, result.perf(), result.sampling(), result.samples());
    }

    /** The /proc subtree from the start to {@code end} (its process files), or to a reading of them now when null. */
    private Map<String, Object> procUntil(ThreadSnapshot end) {
        return procDelta(procStart, end == null ? safeProcSnapshot() : end.processSnapshot());
    }

    /** The window /proc alone saw (no perf, or perf refused at start). */
    private KernelWindow procWindow(long endEpochNanos, Map<String, Object> proc) {
        return new KernelWindow("proc", fallbackReason, startEpochNanos, endEpochNanos, Map.of(), Map.of(), proc,
                null, null, samplesOff(options.samples() ? "sampling needs perf: " + fallbackReason
                : "not requested (option samples=false)"));
    }

    /** "perf", "perf-sampled", "proc" or "off" as decided at start. */
    public String source() {
        if (options.mode() == KernelMode.OFF) {
            return "off";
        }
        if (perf == null) {
            return "proc";
        }
        return options.mode() == KernelMode.SAMPLED ? "perf-sampled" : "perf";
    }

    /** Why perf is not used, or null. Known from start on, so the agent can log it early. */
    public String fallbackReason() {
        return fallbackReason;
    }

    private static Map<String, Object> samplesOff(String reason) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("enabled", false);
        json.put("reason", reason);
        return json;
    }

    /**
     * Reads every thread's /proc counters now, on the calling thread (the agent's, never an application
     * thread), so a thread that ends before {@link #stop} keeps what it did up to here instead of leaving it
     * to the ended-threads remainder. Optional, e.g. at checkpoints; costs ~17 µs per thread. A no-op while
     * perf counts (its counts would include these reads) and after stop. Never throws.
     */
    public void sampleThreads() {
        ThreadHistory history = threads;
        if (history == null || perf != null) {
            return;
        }
        try {
            ThreadSnapshot now = safeThreadSnapshot(history.latest());
            if (now != null) {
                history.sample(now);
            }
        } catch (Throwable t) {
            // The window keeps the readings it has.
        }
    }

    /** Live threads at the latest per-thread reading; -1 when there is none (kernel=off, perf, unreadable). */
    public int threadsLastSeen() {
        ThreadHistory history = threads;
        return history == null || perf != null ? -1 : history.threadsLastSeen();
    }

    /**
     * Does the work {@link #stop} will do with /proc once and returns the window it would make, to be thrown away,
     * so that its classes are loaded, its lambdas linked and its code past the interpreter's first runs when the
     * JVM exits (the default {@code kernel=proc} reads every thread's counters at the close and folds the threads
     * that ended; the caller writes the window into a throwaway recording). The threads part comes from a history
     * of its own: the window's is not touched. Null while perf counts (its counts would include these reads), with
     * {@code kernel=off}, after stop, or on failure. Never throws.
     */
    public KernelWindow warm() {
        if (perf != null || options.mode() == KernelMode.OFF || window != null) {
            return null;
        }
        try {
            ThreadSnapshot now = threads == null ? null : safeThreadSnapshot(threads.latest());
            KernelWindow rehearsal = procWindow(epochNanos(), procUntil(now));
            return now == null ? rehearsal : rehearsal.withThreads(ThreadWindow.toJson(threads.fromStart(), now));
        } catch (Throwable t) {
            return null; // only a warm-up
        }
    }

    /** The {@code threads} subtree (see {@link ThreadWindow}) at {@code end}, or null without a start snapshot. */
    private Map<String, Object> threadsJson(ThreadSnapshot end) {
        try {
            return end == null || threads == null ? null : ThreadWindow.toJson(threads, end);
        } catch (Throwable t) {
            return null; // A failure here must not cost the window its other counts.
        }
    }

    /**
     * Every thread's reading now: the window's start when {@code latest} is null, else a later one, keeping from
     * {@code latest} (the history's latest reading) the threads that have not run since.
     */
    private static ThreadSnapshot safeThreadSnapshot(ThreadSnapshot latest) {
        try {
            return latest == null ? ThreadSnapshot.read(ProcSnapshot.SELF, ThreadSnapshot.currentTid(), true)
                    : ThreadSnapshot.read(ProcSnapshot.SELF, ThreadSnapshot.currentTid(), latest);
        } catch (Throwable t) {
            return null;
        }
    }

    private static ProcSnapshot safeProcSnapshot() {
        try {
            return ProcSnapshot.read(ProcSnapshot.SELF);
        } catch (Throwable t) {
            return new ProcSnapshot(null, -1, -1, null, 0);
        }
    }

    /** The /proc subtree: end minus start, -1 where either side is unknown. */
    static Map<String, Object> procDelta(ProcSnapshot start, ProcSnapshot end) {
        Map<String, Object> json = new LinkedHashMap<>();
        ProcIo io = start.io() != null && end.io() != null ? end.io().minus(start.io()) : new ProcIo(-1, -1, -1, -1);
        json.put("rchar", io.rchar());
        json.put("wchar", io.wchar());
        json.put("syscr", io.syscr());
        json.put("syscw", io.syscw());
        // Summed over live threads: a thread that exits takes its switches along, so clamp at zero.
        json.put("voluntaryContextSwitches", clampedDelta(end.voluntaryContextSwitches(), start.voluntaryContextSwitches()));
        json.put("nonvoluntaryContextSwitches",
                clampedDelta(end.nonvoluntaryContextSwitches(), start.nonvoluntaryContextSwitches()));
        boolean stats = start.stat() != null && end.stat() != null;
        json.put("pageFaultsMinor", stats ? end.stat().minorFaults() - start.stat().minorFaults() : -1L);
        json.put("pageFaultsMajor", stats ? end.stat().majorFaults() - start.stat().majorFaults() : -1L);
        json.put("threadsAtStart", (long) start.tasks());
        json.put("threadsAtEnd", (long) end.tasks());
        return json;
    }

    private static long clampedDelta(long end, long start) {
        return end < 0 || start < 0 ? -1 : Math.max(0, end - start);
    }

    private static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
