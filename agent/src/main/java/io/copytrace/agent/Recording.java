// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import io.copytrace.agent.profile.CpuProfiler;
import io.copytrace.agent.weave.HookTransformer;
import io.copytrace.profile.CpuSamples;
import io.copytrace.boot.Epoch;
import io.copytrace.boot.Probe;
import io.copytrace.kernel.KernelMode;
import io.copytrace.kernel.KernelMonitor;
import io.copytrace.kernel.KernelOptions;
import io.copytrace.kernel.KernelWindow;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The recording window: opened when the agent has installed, closed at JVM exit, when {@code duration}
 * elapses or on {@code copytrace attach PID stop}, whichever comes first. Closing writes the recording
 * atomically (temporary file + rename) from an agent thread whose own I/O is never recorded. While the window
 * is open the recording is rewritten every {@code checkpoint} interval (marked {@code endedBy: checkpoint}),
 * so a hard kill loses at most one interval; the final write replaces the last checkpoint and no checkpoint
 * can follow it. A window that ends before the JVM does then leaves nothing behind ({@link #release}): the
 * JDK classes get their original bytes back, the probe forgets the window, the agent's threads end and its
 * descriptors are closed, so a later attach opens a new window.
 */
final class Recording implements io.copytrace.agent.metrics.MetricsSource {
    /** How long a window's end waits for each of its threads to end after interrupting it. */
    private static final long THREAD_END_MILLIS = 10_000;
    private final AgentOptions options;
    private final boolean attached;
    private final HookTransformer hooks;
    private final Instrumentation inst;
    /** The recording file; its reports and flame graph are named after it. */
    private final Path file;
    /** Writes it (and the warm-up's throwaway sibling). */
    private final RecordingFile recordingFile;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Counted down when the window has been written and, unless the JVM is exiting, released. */
    private final CountDownLatch ended = new CountDownLatch(1);
    /** The agent threads this window started (warm-up, checkpoints, duration): ended with the window. */
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private Thread shutdownHook;
    /**
     * When the writer is warmed up after start (see {@link #warmWriter}): early, so a short-lived JVM's close is warm
     * too (a close that runs cold, in a JVM that ends before it, took ~30 ms here; warm ~4 ms), yet after the agent's
     * own start. Was 1 s: JVMs living 0.3 to 1 s paid the cold close.
     */
    private static final long WARM_AFTER_MILLIS = 250;
    /** Held while the recording file is written: a checkpoint never overwrites the final recording. */
    private final Object writing = new Object();
    /** The last checkpoint failure printed: a failure is said once, not every interval. */
    private String lastCheckpointProblem;
    private long startMillis;
    private long startNanos;
    private KernelMonitor kernel;
    /** Only with {@code profile=cpu|itimer}: with profile=off no profiler class is ever loaded. */
    private CpuProfiler profiler;
    /** Socket peers' egress interfaces and their offloads; offloads are not read with kernel=off. */
    private final NetworkFacts network;
    /** Serves /metrics while the window is open; only with {@code metrics=HOST:PORT}. */
    private io.copytrace.agent.metrics.MetricsServer metrics;
    /** Why {@code metrics} could not be served, or null. */
    private String metricsProblem;
    private volatile long checkpointsWritten;
    private volatile long checkpointsFailed;
    /** The length of the recording last written (warm-up, checkpoint), -1 before: how big the close will be. */
    private volatile long lastWriteChars = -1;

    Recording(AgentOptions options, boolean attached, HookTransformer hooks, Instrumentation inst, Path file) {
        this.options = options;
        this.network = new NetworkFacts(!options.kernel.equals("off"));
        this.attached = attached;
        this.hooks = hooks;
        this.inst = inst;
        this.file = file;
        this.recordingFile = new RecordingFile(file);
    }

    /** The recording file of this window. */
    Path file() {
        return file;
    }

    void open() {
        if (!options.kernel.equals("off")) {
            KernelMode mode = switch (options.kernel) {
                case "perf" -> KernelMode.PERF;
                case "sampled" -> KernelMode.SAMPLED;
                // ring-buffer samples are perf's: asking for them asks for perf
                default -> options.kernelSamples ? KernelMode.PERF : KernelMode.PROC;
            };
            if (mode != KernelMode.PROC) NativeAccess.enable();
            KernelOptions defaults = KernelOptions.defaults(AgentThreads::kernel);
            kernel = KernelMonitor.start(new KernelOptions(mode, options.kernelSamples, defaults.ringBufferPages(),
                    AgentThreads::kernel));
        }
        if (!options.profile.equals("off")) {
            NativeAccess.enable(); // System.load of async-profiler, like JNA's, is a restricted method
            profiler = CpuProfiler.start(options.profile, options.profileIntervalNanos);
        }
        startMillis = System.currentTimeMillis();
        startNanos = System.nanoTime();
        serveMetrics(); // before the window is active: binding is the agent's own work
        RecordingFile.prime(); // before the window is active: the write path's hooked classes, loaded in every run
        Epoch.next(); // nothing from before this window is counted in it
        Probe.active = true;
        watchJfr();
        shutdownHook = AgentThreads.named("copytrace-shutdown", () -> {
            close("exit");
            awaitEnd();
        });
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        startThread("copytrace-warm", () -> {
            warmWriter();
            network.awaitSocketWrites(closed::get); // its own frame: the rehearsal's tree is not kept alive
        });
        if (options.checkpoint != null) {
            long every = Math.max(1, options.checkpoint.toMillis());
            startThread("copytrace-checkpoint", () -> {
                try {
                    while (!closed.get()) {
                        Thread.sleep(every);
                        checkpoint();
                    }
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        if (options.duration != null) {
            long millis = options.duration.toMillis();
            startThread("copytrace-duration", () -> {
                try {
                    Thread.sleep(millis);
                    close("duration");
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    /** Binds {@code metrics=HOST:PORT} and answers scrapes on an agent thread; a failure costs the metrics only. */
    private void serveMetrics() {
        if (options.metrics == null) return;
        try {
            metrics = io.copytrace.agent.metrics.MetricsServer.bind(options.metrics, options.metricsSites, this);
            startThread("copytrace-metrics", metrics::serve);
        } catch (Exception | Error e) {
            metricsProblem = AgentOptions.problem("metrics=" + options.effective().get("metrics"), "cannot bind: " + e,
                    AgentOptions.METRICS.allowed(), AgentOptions.NO_METRICS);
        }
    }

    /** Problems that cost a feature but not the recording (a bad metrics option, a port not bound), one line each. */
    List<String> warnings() {
        List<String> all = new java.util.ArrayList<>(options.warnings);
        if (metricsProblem != null) all.add(metricsProblem);
        return all;
    }

    private void startThread(String name, Runnable body) {
        Thread t = AgentThreads.named(name, body);
        threads.add(t);
        t.start();
    }

    /** What the kernel mode costs (see {@link AgentOptions#kernelNote}), or null. */
    String kernelNote() {
        return kernel == null ? null : AgentOptions.kernelNote(options.kernel, kernel.source());
    }

    /**
     * Makes the recording once, a little after start, and throws it away: the writer's classes (the /proc
     * end reading and the kernel window the close makes of it, ended threads included, the network and
     * buffer-cache sections, the temporary file and its rename) are then loaded,
     * linked and past the interpreter's first runs when the JVM exits, so the exit costs little more than the
     * writing itself (measured in make bench's exit row). One tree built on an agent thread; with 10,000 sites
     * it takes longer.
     */
    private void warmWriter() {
        try {
            // At once, not after the wait: the first call sites' walks may cross C2's threshold within a second.
            WalkCompiles.add(inst, hooks == null ? null : hooks.cacheDir(), file);
            Thread.sleep(WARM_AFTER_MILLIS); // off the agent's and the application's first moments
            if (kernel != null) kernel.sampleThreads(); // a first reading of the threads, and their classes loaded
            network.readInterfacesOnceSocketsWrite();
            KernelWindow rehearsal = kernel == null ? null : kernel.warm(); // the close's kernel part, thrown away
            synchronized (writing) {
                if (closed.get()) return;
                java.util.Map<String, Object> tree = closingTree("checkpoint", System.currentTimeMillis(),
                        System.nanoTime() - startNanos, rehearsal, null);
                lastWriteChars = recordingFile.rehearse(tree);
            }
            // The exit's close holds the JIT back only for a launch-time window (an attached one is likelier to
            // end by stop); the command itself was looked up at start, for the walk directive (WalkCompiles).
            if (!attached && smallClose()) ExitCompiles.prepare(inst, hooks == null ? null : hooks.cacheDir());
        } catch (Throwable ignored) {
            // Only a warm-up: the real write reports its own problems.
        }
    }

    /** copytrace's JFR events whenever a JFR recording runs in this JVM (docs/jfr.md). */
    private void watchJfr() {
        try {
            io.copytrace.agent.jfr.JfrBridge.watch(this::treeSoFar, body -> AgentThreads.named("copytrace-jfr", body));
        } catch (Throwable noJfr) {
            // a runtime without jdk.jfr: no events
        }
    }

    /** The window's recording so far with its network facts, for /metrics (sendfile's copies depend on them). */
    @Override
    public java.util.Map<String, Object> recordingSoFar() {
        java.util.Map<String, Object> tree = treeSoFar();
        tree.put("network", network.section());
        return tree;
    }

    @Override
    public long checkpointsWritten() {
        return checkpointsWritten;
    }

    @Override
    public long checkpointsFailed() {
        return checkpointsFailed;
    }

    /** The window's recording so far, for JFR's periodic events (one tree at a time, as checkpoints). */
    private java.util.Map<String, Object> treeSoFar() {
        synchronized (writing) {
            return RecordingWriter.tree(options, attached, startMillis, System.currentTimeMillis(),
                    System.nanoTime() - startNanos, closed.get() ? "exit" : "checkpoint", hooks);
        }
    }

    /** Rewrites the recording of the window so far (no kernel or profile section: those are read at the close). */
    private void checkpoint() {
        // A reading of every thread's /proc counters, so threads that end before the close keep their numbers.
        if (kernel != null) kernel.sampleThreads();
        network.readInterfacesOnceSocketsWrite();
        network.lookUpPeersSoFar();
        try {
            synchronized (writing) {
                if (closed.get()) return;
                java.util.Map<String, Object> tree = RecordingWriter.tree(options, attached, startMillis,
                        System.currentTimeMillis(), System.nanoTime() - startNanos, "checkpoint", hooks);
                lastWriteChars = recordingFile.write(tree);
                checkpointsWritten++;
            }
            lastCheckpointProblem = null;
        } catch (Throwable t) {
            checkpointsFailed++;
            String problem = String.valueOf(t);
            if (!problem.equals(lastCheckpointProblem)) {
                System.err.println("copytrace: could not write the checkpoint " + file + " (next one retries): " + t);
            }
            lastCheckpointProblem = problem;
        }
    }

    /**
     * Closes the window, writes the recording and, unless the JVM is exiting ({@code endedBy} "exit"),
     * releases everything the window holds. Only the first call does it; the others return at once (the
     * duration timer's call must not wait: the window's end joins its thread). See {@link #awaitEnd}.
     */
    void close(String endedBy) {
        if (!firstClose()) return;
        // At the exit no compilation starts while the close runs (ExitCompiles), and the probe stays on: app
        // threads still doing I/O count into a window nobody reads again, and no hot compiled probe path meets its
        // first "inactive" branch (a deoptimisation and recompiles the JVM's exit would wait for). Other ends stop it.
        ExitCompiles compiles = endedBy.equals("exit") && smallClose() ? ExitCompiles.hold(inst, file) : null;
        try {
            if (!endedBy.equals("exit")) Probe.active = false;
            long endMillis = System.currentTimeMillis();
            long durationNanos = System.nanoTime() - startNanos;
            KernelWindow window = kernel == null ? null : kernel.stop();
            String name = file.getFileName().toString();
            CpuSamples profile = profiler == null ? null
                    : profiler.stop(file.resolveSibling(name.substring(0, name.length() - ".json".length()) + ".flame.html"));
            synchronized (writing) { // waits for a checkpoint being written; none starts after this
                writeFinal(endedBy, endMillis, durationNanos, window, profile);
            }
            if (metrics != null) metrics.close(); // the listener goes with the window (release joins its thread)
            if (!endedBy.equals("exit")) release();
        } finally {
            if (compiles != null) compiles.release();
            if (metrics != null) metrics.close(); // again, for a close that failed half-way
            ended.countDown();
        }
    }

    /**
     * Whether this call closes the window (the first one). A lock, not {@code compareAndSet}: the exit's close was
     * often the JVM's first caller of AtomicBoolean's, and linking its VarHandle took ~0.3 ms of it.
     */
    private boolean firstClose() {
        synchronized (closed) {
            if (closed.get()) return false;
            closed.set(true);
            return true;
        }
    }

    private boolean smallClose() {
        return ExitCompiles.small(lastWriteChars, kernel == null ? -1 : kernel.threadsLastSeen());
    }

    /** Waits until the window has been written and released (a {@code stop}, the exit hook). */
    void awaitEnd() {
        boolean interrupted = false;
        while (true) {
            try {
                ended.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /**
     * Gives back what the window took, so the app runs as it did before it: the hooked JDK classes get their
     * original bytes, the probe forgets the window, the shutdown hook goes, the window's threads end (the
     * kernel monitor's stop has closed its descriptors and ended its own), and a new window may open.
     */
    private void release() {
        try {
            for (String failed : hooks.uninstall(inst)) {
                System.err.println("copytrace: could not take the hooks out of " + failed + " (the class keeps them;"
                        + " they do nothing outside a window)");
            }
        } catch (Throwable t) {
            System.err.println("copytrace: could not take the hooks out: " + t);
        }
        try {
            io.copytrace.agent.jfr.JfrBridge.windowEnded();
        } catch (Throwable noJfr) {
            // a runtime without jdk.jfr
        }
        Epoch.next();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException exiting) {
            // The JVM is shutting down: the hook runs, finds the window closed and returns.
        }
        for (Thread t : threads) {
            if (t != Thread.currentThread()) t.interrupt();
        }
        for (Thread t : threads) {
            if (t == Thread.currentThread()) continue;
            try {
                t.join(THREAD_END_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Probe.openRecording = null;
    }

    private void writeFinal(String endedBy, long endMillis, long durationNanos, KernelWindow window, CpuSamples profile) {
        try {
            java.util.Map<String, Object> tree = closingTree(endedBy, endMillis, durationNanos, window, profile);
            recordingFile.write(tree);
            if (!options.report.isEmpty()) writeReports(file);
            emitToJfr(tree);
        } catch (Throwable t) {
            System.err.println("copytrace: could not write the recording " + file + ": " + t);
        }
    }

    /** The recording as the close writes it: the rows, the kernel window and profile when given, network, buffers. */
    private java.util.Map<String, Object> closingTree(String endedBy, long endMillis, long durationNanos,
                                                      KernelWindow window, CpuSamples profile) {
        java.util.Map<String, Object> tree = RecordingWriter.tree(options, attached, startMillis, endMillis,
                durationNanos, endedBy, hooks);
        if (window != null) tree.put("kernel", window.toJson());
        tree.put("network", network.section());
        tree.put("temporaryDirectBuffers", TemporaryBuffers.section());
        if (profile != null) tree.put("profile", profile.toJson());
        return tree;
    }

    /** The final recording's rows and findings as JFR events, when a JFR recording runs (docs/jfr.md). */
    private static void emitToJfr(java.util.Map<String, Object> tree) {
        try {
            io.copytrace.agent.jfr.JfrBridge.windowClosed(tree);
        } catch (Throwable noJfr) {
            // a runtime without jdk.jfr
        }
    }

    private void writeReports(Path recording) {
        try {
            // in the app's JVM: no socket or file of the calibration's own (the window is closed: nothing is recorded)
            io.copytrace.report.Reports.write(recording, String.join(",", options.report), options.out,
                    io.copytrace.analysis.HostCost.measureInApp());
        } catch (Throwable t) {
            System.err.println("copytrace: could not write the reports for " + recording + ": " + t);
        }
    }
}
