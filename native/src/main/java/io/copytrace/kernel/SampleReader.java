// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

import io.copytrace.kernel.perf.PerfEvents;
import io.copytrace.kernel.perf.PerfRefusedException;
import io.copytrace.kernel.perf.PerfSampler;
import io.copytrace.kernel.perf.RefusalAdvice;
import io.copytrace.kernel.proc.Descriptor;
import io.copytrace.kernel.proc.SocketTable;
import io.copytrace.kernel.tracefs.TracepointFormat;
import io.copytrace.kernel.tracefs.Tracefs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Sampling mode: the per-CPU ring buffers of the data syscalls' enter/exit tracepoints, and the
 * daemon thread that drains them into {@link SyscallSamples}.
 */
final class SampleReader {
    /** Drain period. A 256 KiB buffer holds about 3,500 samples: a few milliseconds of a write loop. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final Set<String> FD_FIELDS = Set.of("fd", "out_fd", "in_fd", "fd_in", "fd_out");

    private final PerfSampler sampler;
    private final SyscallSamples samples;
    private final int ringBufferPages;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;
    /** Guards the hand-over of the buffers between the reader thread and {@link #finish}. */
    private final Object lock = new Object();
    private boolean threadDone;
    private boolean closeByThread;

    private SampleReader(PerfSampler sampler, SyscallSamples samples, int ringBufferPages, KernelOptions options) {
        this.sampler = sampler;
        this.samples = samples;
        this.ringBufferPages = ringBufferPages;
        this.thread = options.threadFactory().newThread(this::drainLoop);
        if (thread == null) {
            throw new IllegalStateException("the ThreadFactory returned no thread");
        }
        thread.setDaemon(true);
    }

    /** The tracepoints to sample: enter and exit of every data syscall tracefs knows. */
    static Map<Integer, SyscallSamples.Tracepoint> tracepoints(Tracefs tracefs) throws IOException {
        Map<Integer, SyscallSamples.Tracepoint> tracepoints = new LinkedHashMap<>();
        for (TracedSyscall syscall : TracedSyscall.values()) {
            if (!syscall.data() || tracefs.eventId("syscalls", "sys_enter_" + syscall.syscallName()) < 0) {
                continue;
            }
            TracepointFormat enter = tracefs.format("syscalls", "sys_enter_" + syscall.syscallName());
            TracepointFormat exit = tracefs.format("syscalls", "sys_exit_" + syscall.syscallName());
            List<TracepointFormat.Field> fdFields = new ArrayList<>();
            for (TracepointFormat.Field field : enter.fields()) {
                if (FD_FIELDS.contains(field.name())) {
                    fdFields.add(field);
                }
            }
            tracepoints.put(enter.id(), new SyscallSamples.Tracepoint(syscall.syscallName(), true, fdFields, null));
            tracepoints.put(exit.id(), new SyscallSamples.Tracepoint(syscall.syscallName(), false, List.of(),
                    exit.field("ret")));
        }
        return tracepoints;
    }

    /** Opens (disabled) and starts the reader thread; throws with advice when the kernel refuses. */
    static SampleReader open(long syscallNumber, Map<Integer, SyscallSamples.Tracepoint> tracepoints,
                             List<Integer> tids, List<Integer> cpus, KernelOptions options, RefusalAdvice advice)
            throws PerfRefusedException {
        PerfSampler sampler = PerfSampler.open(syscallNumber, new ArrayList<>(tracepoints.keySet()), tids, cpus,
                options.ringBufferPages(), advice);
        try {
            SampleReader reader = new SampleReader(sampler, new SyscallSamples(tracepoints, SampleReader::classify),
                    options.ringBufferPages(), options);
            reader.thread.start();
            return reader;
        } catch (RuntimeException | Error e) {
            sampler.close();
            throw e;
        }
    }

    void enable() {
        sampler.enable();
    }

    /** Stops sampling; the buffers keep what they hold until {@link #finish}. */
    void disable() {
        sampler.disable();
    }

    private void drainLoop() {
        try {
            long gettid = PerfEvents.gettidNumber(System.getProperty("os.arch"));
            if (gettid > 0) {
                samples.ignoreThread(PerfEvents.gettid(gettid));
            }
            while (running) {
                sampler.drain(samples);
                samples.endRound();
                LockSupport.parkNanos(POLL_NANOS);
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            synchronized (lock) {
                threadDone = true;
                if (closeByThread) {
                    sampler.close(); // finish() gave up waiting: unmapping under our feet would crash the JVM.
                }
            }
        }
    }

    /** Stops sampling, drains what is left, frees every buffer and descriptor, and returns the JSON subtree. */
    Map<String, Object> finish() {
        sampler.disable();
        running = false;
        LockSupport.unpark(thread);
        join();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("enabled", true);
        json.put("reason", failure == null ? null : "the reader thread failed: " + failure);
        json.put("ringBufferPages", (long) ringBufferPages);
        json.put("buffers", (long) sampler.buffers());
        json.put("descriptors", (long) sampler.descriptors());
        json.put("throttled", sampler.throttled());
        synchronized (lock) {
            if (threadDone) {
                // Only now is this thread the sole reader of the buffers.
                sampler.drain(samples);
                sampler.close();
            } else {
                closeByThread = true;
                json.put("reason", "the reader thread did not stop within 2 s; no sample results");
                return json;
            }
        }
        // After the counters stopped: reading /proc/net costs read() calls we must not count.
        samples.resolveSockets(SocketTable.read(Path.of("/proc/self/net")));
        return samples.toJson(json);
    }

    /** Frees everything without results (start failed after the reader was opened). */
    void abort() {
        sampler.disable();
        running = false;
        LockSupport.unpark(thread);
        join();
        synchronized (lock) {
            if (threadDone) {
                sampler.close();
            } else {
                closeByThread = true;
            }
        }
    }

    private void join() {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Descriptor classify(int fd) {
        try {
            return Descriptor.classify(fd, Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString());
        } catch (IOException | RuntimeException e) {
            return Descriptor.classify(fd, null);
        }
    }
}
