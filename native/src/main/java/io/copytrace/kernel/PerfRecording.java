// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

import io.copytrace.kernel.perf.Errno;
import io.copytrace.kernel.perf.PerfCounters;
import io.copytrace.kernel.perf.JnaStart;
import io.copytrace.kernel.perf.PerfEventAttr;
import io.copytrace.kernel.perf.PerfEvents;
import io.copytrace.kernel.perf.PerfRefusedException;
import io.copytrace.kernel.perf.PerfSampler;
import io.copytrace.kernel.perf.RefusalAdvice;
import io.copytrace.kernel.proc.CpuList;
import io.copytrace.kernel.proc.KernelSettings;
import io.copytrace.kernel.proc.ProcLimits;
import io.copytrace.kernel.proc.ProcSnapshot;
import io.copytrace.kernel.tracefs.Tracefs;
import io.copytrace.kernel.tracefs.TracefsUnavailableException;
import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The perf side of a window: counters always, samples when asked for and allowed. */
final class PerfRecording {
    /** Software events, in JSON order. */
    private static final List<PerfCounters.Spec> SOFTWARE = List.of(
            new PerfCounters.Spec("contextSwitches", PerfEventAttr.PERF_TYPE_SOFTWARE,
                    PerfEventAttr.PERF_COUNT_SW_CONTEXT_SWITCHES),
            new PerfCounters.Spec("pageFaultsMinor", PerfEventAttr.PERF_TYPE_SOFTWARE,
                    PerfEventAttr.PERF_COUNT_SW_PAGE_FAULTS_MIN),
            new PerfCounters.Spec("pageFaultsMajor", PerfEventAttr.PERF_TYPE_SOFTWARE,
                    PerfEventAttr.PERF_COUNT_SW_PAGE_FAULTS_MAJ));
    /** Perf descriptors may take at most this share of the open-files limit; the rest is the application's. */
    private static final double DESCRIPTOR_SHARE = 0.5;

    private final Tracefs tracefs;
    private final PerfCounters counters;
    private final List<String> missing;
    private final SampleReader sampler;
    private final Map<String, Object> samplesUnavailable;
    /** Null when counting the whole window (kernel=perf). */
    private final CountSlicer slicer;
    private final SlicePlan plan;

    private PerfRecording(Tracefs tracefs, PerfCounters counters, List<String> missing, SampleReader sampler,
                          Map<String, Object> samplesUnavailable, CountSlicer slicer, SlicePlan plan) {
        this.tracefs = tracefs;
        this.counters = counters;
        this.missing = missing;
        this.sampler = sampler;
        this.samplesUnavailable = samplesUnavailable;
        this.slicer = slicer;
        this.plan = plan;
    }

    /**
     * Opens everything disabled, then enables it: the window starts when this returns.
     *
     * @throws PerfRefusedException or {@link TracefsUnavailableException} with advice; nothing stays open
     */
    static PerfRecording start(KernelOptions options) throws PerfRefusedException, TracefsUnavailableException {
        String arch = System.getProperty("os.arch");
        long syscallNumber = PerfEvents.perfEventOpenNumber(arch);
        if (syscallNumber < 0) {
            throw new PerfRefusedException(0, "perf_event_open's syscall number is not known for os.arch=" + arch
                    + " (copytrace knows x86-64 and aarch64)");
        }
        RefusalAdvice advice = new RefusalAdvice(KernelSettings.perfEventParanoid(KernelSettings.PERF_EVENT_PARANOID),
                KernelSettings.mayBypassParanoid(ProcSnapshot.SELF));
        JnaStart.init();
        probe(syscallNumber, advice);
        Tracefs tracefs = Tracefs.locate();

        List<PerfCounters.Spec> specs = new ArrayList<>(SOFTWARE);
        List<String> missing = new ArrayList<>();
        try {
            for (TracedSyscall syscall : TracedSyscall.values()) {
                int id = tracefs.eventId("syscalls", "sys_enter_" + syscall.syscallName());
                if (id < 0) {
                    missing.add(syscall.syscallName());
                } else {
                    specs.add(new PerfCounters.Spec(syscall.syscallName(), PerfEventAttr.PERF_TYPE_TRACEPOINT, id));
                }
            }
        } catch (IOException e) {
            throw new TracefsUnavailableException("reading tracepoint ids under " + tracefs.root() + " failed: " + e);
        }
        if (missing.size() == TracedSyscall.values().length) {
            throw new TracefsUnavailableException("no syscalls:sys_enter_* tracepoints under " + tracefs.root()
                    + ": the kernel was built without CONFIG_FTRACE_SYSCALLS");
        }

        List<Integer> tids = KernelSettings.taskIds(ProcSnapshot.SELF);
        // Sampled: one group per thread, so a slice edge costs one ioctl per thread.
        PerfCounters counters = PerfCounters.open(syscallNumber, specs, tids.isEmpty() ? List.of(0) : tids, advice,
                options.mode() == KernelMode.SAMPLED);
        SampleReader sampler = null;
        CountSlicer slicer = null;
        Map<String, Object> samplesUnavailable = null;
        try {
            if (options.samples()) {
                try {
                    sampler = openSampler(syscallNumber, tracefs, tids, options, advice, counters.descriptors());
                } catch (PerfRefusedException e) {
                    samplesUnavailable = unavailable(e.getMessage() + "; counters still work");
                } catch (IOException e) {
                    samplesUnavailable = unavailable("reading tracepoint formats failed: " + e);
                } catch (RuntimeException e) {
                    // Typically the caller's ThreadFactory: costs the samples, not the counters.
                    samplesUnavailable = unavailable("starting the sample reader thread failed: " + e);
                }
            } else {
                samplesUnavailable = unavailable("not requested (option samples=false)");
            }
            if (sampler != null) {
                sampler.enable();
            }
            if (options.mode() == KernelMode.SAMPLED) {
                slicer = CountSlicer.start(counters, options.slicePlan(), options.threadFactory());
            } else {
                counters.enable();
            }
        } catch (PerfRefusedException | RuntimeException | Error e) {
            if (sampler != null) {
                sampler.abort();
            }
            counters.close();
            throw e;
        }
        return new PerfRecording(tracefs, counters, missing, sampler, samplesUnavailable, slicer,
                options.slicePlan());
    }

    /** One throw-away counter on this thread: the clearest place to learn that perf is refused. */
    private static void probe(long syscallNumber, RefusalAdvice advice) throws PerfRefusedException {
        PerfEventAttr attr = new PerfEventAttr();
        attr.type = PerfEventAttr.PERF_TYPE_SOFTWARE;
        attr.config = PerfEventAttr.PERF_COUNT_SW_CONTEXT_SWITCHES;
        attr.flags = PerfEventAttr.FLAG_DISABLED | PerfEventAttr.FLAG_EXCLUDE_HV;
        try {
            PerfEvents.closeQuietly(PerfEvents.open(syscallNumber, attr, 0, -1, -1));
        } catch (LastErrorException e) {
            throw new PerfRefusedException(e.getErrorCode(), advice.forOpen("software context-switches",
                    e.getErrorCode(), 1));
        } catch (LinkageError e) {
            throw new PerfRefusedException(0, "JNA could not call libc (" + e
                    + "): check that the JNA jar matches this platform and that java.io.tmpdir is writable and not "
                    + "mounted noexec (or set -Djna.tmpdir)");
        }
    }

    private static SampleReader openSampler(long syscallNumber, Tracefs tracefs, List<Integer> tids,
                                            KernelOptions options, RefusalAdvice advice, int counterDescriptors)
            throws PerfRefusedException, IOException {
        Map<Integer, SyscallSamples.Tracepoint> tracepoints = SampleReader.tracepoints(tracefs);
        List<Integer> cpus = CpuList.online();
        long needed = PerfSampler.descriptorsNeeded(tracepoints.size(), tids.size(), cpus.size());
        long limit = ProcLimits.maxOpenFiles(ProcSnapshot.SELF);
        if (limit > 0 && counterDescriptors + needed > limit * DESCRIPTOR_SHARE) {
            throw new PerfRefusedException(Errno.EMFILE, "sampling needs " + needed + " descriptors (" + tracepoints.size()
                    + " tracepoints x " + tids.size() + " threads x " + cpus.size() + " CPUs) on top of "
                    + counterDescriptors + " for counters, more than half the open-files limit of " + limit
                    + ": raise it (ulimit -n, LimitNOFILE=) or sample a process with fewer threads");
        }
        return SampleReader.open(syscallNumber, tracepoints, tids, cpus, options, advice);
    }

    private static Map<String, Object> unavailable(String reason) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("enabled", false);
        json.put("reason", reason);
        return json;
    }

    /** Ends the window: counters off first (so nothing below is counted), then samples; frees everything. */
    Result finish() {
        CountSlicer.Slices slices = null;
        if (slicer != null) {
            slices = slicer.finish(); // Leaves the counters disabled and read.
        } else {
            try {
                counters.disable();
            } catch (PerfRefusedException e) {
                // Reading still works; the values may include a few of our own calls.
            }
        }
        if (sampler != null) {
            sampler.disable(); // Before reading the counters: those read() calls are ours, not the application's.
        }
        Map<String, Long> syscalls = new LinkedHashMap<>();
        Map<String, Long> software = new LinkedHashMap<>();
        Map<String, Object> sampling = null;
        String error = null;
        if (slices != null) {
            if (slices.headCounts() == null) {
                error = "counting in slices failed: " + slices.failure();
            } else {
                Map<String, Long> estimates = new LinkedHashMap<>();
                sampling = slices.toJson(counters.specs(), plan, estimates);
                for (PerfCounters.Spec spec : counters.specs()) {
                    (spec.type() == PerfEventAttr.PERF_TYPE_SOFTWARE ? software : syscalls)
                            .put(spec.name(), estimates.get(spec.name()));
                }
            }
        } else {
            try {
                long[] totals = counters.read();
                List<PerfCounters.Spec> specs = counters.specs();
                for (int i = 0; i < specs.size(); i++) {
                    (specs.get(i).type() == PerfEventAttr.PERF_TYPE_SOFTWARE ? software : syscalls)
                            .put(specs.get(i).name(), totals[i]);
                }
            } catch (PerfRefusedException e) {
                error = e.getMessage();
            }
        }
        Map<String, Object> samples;
        if (sampler != null) {
            try {
                samples = sampler.finish();
            } catch (RuntimeException e) {
                samples = unavailable("sampling failed at stop: " + e);
            }
        } else {
            samples = samplesUnavailable;
        }
        Map<String, Object> perf = new LinkedHashMap<>();
        perf.put("tracefs", tracefs.root().toString());
        perf.put("threads", (long) counters.tasks());
        perf.put("descriptors", (long) counters.descriptors());
        perf.put("inheritThreadOnly", counters.threadOnlyInheritance());
        perf.put("missingTracepoints", new ArrayList<Object>(missing));
        // Slow part of stop: closing the last descriptor of a tracepoint waits for an RCU grace
        // period under the kernel's event_mutex (~30 ms here), once per tracepoint, serially.
        if (slices == null || !slices.slicerClosesCounters()) {
            counters.close();
        }
        return new Result(error, syscalls, software, perf, samples, sampling);
    }

    /** Frees everything without results. */
    void abort() {
        boolean slicerCloses = slicer != null && slicer.finish().slicerClosesCounters();
        if (sampler != null) {
            sampler.abort();
        }
        if (!slicerCloses) {
            counters.close();
        }
    }

    /**
     * What {@link #finish} read; {@code error} is non-null when the counters could not be read; {@code sampling}
     * is null unless the counters counted in slices (then the counts are estimates).
     */
    record Result(String error, Map<String, Long> syscalls, Map<String, Long> counters, Map<String, Object> perf,
                  Map<String, Object> samples, Map<String, Object> sampling) {
    }
}
