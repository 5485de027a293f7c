// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.proc;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every thread's {@code task/<tid>/{io,stat,status}} plus the process-wide {@code io} and {@code stat}
 * (which also hold the threads that have exited), at one instant. Two snapshots make a
 * {@link ThreadWindow}. Read on the calling thread only; costs three small files per thread, and a fourth first
 * ({@code schedstat}) at a later reading, which is all it reads of a thread that has not run since the earlier
 * reading given ({@link #carried()}).
 *
 * <p>The order of the reads makes "process minus live threads" in a window hold only the threads that
 * ended: at the window start the process files are read first, at the end last, and the reading
 * thread's own task in between; the reader's few {@code read()} calls that still fall between the
 * two ({@link #ownReads()}, {@link #ownReadBytes()}) are counted here so the window can subtract them.
 */
public final class ThreadSnapshot {
    /**
     * One live thread. {@code startTime} (stat field 22, clock ticks after boot) tells a reused tid; {@code sched}
     * is its {@code schedstat} line when read (run time, wait time, times run), else null.
     */
    public record Task(int tid, String name, long startTime, ThreadCounters counters, String sched) {
        public Task(int tid, String name, long startTime, ThreadCounters counters) {
            this(tid, name, startTime, counters, null);
        }
    }

    /**
     * Whether a thread whose {@code schedstat} did not move keeps its earlier reading. Its counters move only
     * while it runs (its own calls, faults and switches count to the running task), and its run time and
     * times-run move whenever it runs, except on a {@code nohz_full} CPU, where a thread running without a break
     * may see no tick for up to a second: there every thread is read in full.
     */
    static final boolean CARRY_IDLE = !tickless(Path.of("/sys/devices/system/cpu/nohz_full"));
    /**
     * How old an earlier reading must be for threads to be carried from it: a thread running without a break
     * has its run time brought up to date only at scheduler ticks (every 10 ms at the lowest tick rate, HZ=100),
     * so two readings inside one tick could both see its old run time.
     */
    static final long CARRY_AFTER_NANOS = 50_000_000;

    static {
        // Load and link the parsing classes now: class loading reads jars, and on the first snapshot those
        // reads would fall between the process and the task reads, into the ended-threads remainder.
        ThreadCounters.parse("syscr: 0\n", new ProcStat(ProcStat.fields("1 (x) S", 3)[0], -1), "Name:\tx\n");
        new Task(0, name("Name:\tx\n", "1 (x) S"), 0, ThreadCounters.ZERO).tid(); // not hashCode: its bootstrap
        new Reader().read("/proc/self/does-not-exist");
    }

    private final ThreadCounters process;
    private final Map<Integer, Task> tasks;
    private final int unreadable;
    private final long ownReads;
    private final long ownReadBytes;
    /** This reader's read() calls and bytes before it read the process files (all but those two at the end). */
    private final long readsBeforeProcess;
    private final long bytesBeforeProcess;
    private final long nanos;
    private final long readAt;
    private final int carried;

    ThreadSnapshot(ThreadCounters process, Map<Integer, Task> tasks, int unreadable, long ownReads,
                   long ownReadBytes, long readsBeforeProcess, long bytesBeforeProcess, long readAt, long nanos,
                   int carried) {
        this.process = process;
        this.tasks = Collections.unmodifiableMap(tasks);
        this.unreadable = unreadable;
        this.ownReads = ownReads;
        this.ownReadBytes = ownReadBytes;
        this.readsBeforeProcess = readsBeforeProcess;
        this.bytesBeforeProcess = bytesBeforeProcess;
        this.readAt = readAt;
        this.nanos = nanos;
        this.carried = carried;
    }

    /** The thread calling this, as its tid from {@code /proc/thread-self}; -1 when unknown. */
    public static int currentTid() {
        try {
            return Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Reads {@code procPid} (normally {@link ProcSnapshot#SELF}; a fixture directory in tests). Never throws:
     * an unreadable process file gives -1s, a thread whose files vanish (it exited) is left out and counted.
     *
     * @param selfTid     the calling thread (see {@link #currentTid()}), or -1
     * @param windowStart true at a window's start (process files first), false at its end (process files last)
     */
    public static ThreadSnapshot read(Path procPid, int selfTid, boolean windowStart) {
        return read(procPid, selfTid, windowStart, null, CARRY_AFTER_NANOS);
    }

    /**
     * As {@link #read(Path, int, boolean)} for a later reading: a thread (other than the caller) whose
     * {@code schedstat} line is the one it had in {@code earlier} (the latest reading; null: none) did not run
     * since, so that reading is kept for it and its other files are not read ({@link #CARRY_IDLE},
     * {@link #CARRY_AFTER_NANOS}). A line of zeros (the kernel keeps no schedstat, or the thread never ran) is
     * never taken as idle.
     */
    public static ThreadSnapshot read(Path procPid, int selfTid, ThreadSnapshot earlier) {
        return read(procPid, selfTid, false, earlier, CARRY_AFTER_NANOS);
    }

    static ThreadSnapshot read(Path procPid, int selfTid, boolean windowStart, ThreadSnapshot earlier,
                               long carryAfterNanos) {
        long began = System.nanoTime();
        Map<Integer, Task> idleFrom = CARRY_IDLE && earlier != null && began - earlier.readAt >= carryAfterNanos
                ? earlier.tasks : Map.of();
        int carried = 0;
        Reader reader = new Reader();
        ThreadCounters process = null;
        long gapReads = 0;
        long gapBytes = 0;
        long readsBefore = 0;
        long bytesBefore = 0;
        List<Integer> tids = KernelSettings.taskIds(procPid);
        String dir = procPid.toString();
        Map<Integer, Task> tasks = new LinkedHashMap<>(tids.size() * 2);
        int unreadable = 0;
        if (windowStart) {
            long reads = reader.reads;
            long bytes = reader.bytes;
            process = readProcess(reader, dir);
            if (tids.contains(selfTid)) {
                // Our reads of the process files: in its totals from now on, in no thread's delta.
                gapReads = reader.reads - reads;
                gapBytes = reader.bytes - bytes;
            }
        }
        Task self = null;
        if (tids.contains(selfTid)) {
            self = readTask(reader, dir, selfTid, null);
        }
        if (self != null && windowStart) {
            tasks.put(selfTid, self);
        }
        for (int tid : tids) {
            if (tid == selfTid) {
                continue;
            }
            Task before = idleFrom.get(tid);
            Task task = readTask(reader, dir, tid, before);
            if (task == null) {
                unreadable++;
            } else {
                tasks.put(tid, task);
                if (task == before) {
                    carried++;
                }
            }
        }
        if (!windowStart) {
            // Our own task last, just before the process files: only its own reads fall between the two.
            long reads = reader.reads;
            long bytes = reader.bytes;
            if (selfTid >= 0 && tids.contains(selfTid)) {
                self = readTask(reader, dir, selfTid, null);
                if (self != null) {
                    tasks.put(selfTid, self);
                    gapReads = reader.reads - reads;
                    gapBytes = reader.bytes - bytes;
                }
            }
            readsBefore = reader.reads;
            bytesBefore = reader.bytes;
            process = readProcess(reader, dir);
        }
        if (self == null && tids.contains(selfTid)) {
            unreadable++;
        }
        return new ThreadSnapshot(process, tasks, unreadable, gapReads, gapBytes, readsBefore, bytesBefore,
                began, System.nanoTime() - began, carried);
    }

    /** Process-wide io and stat faults; context switches are -1 (no process-wide file has them). */
    private static ThreadCounters readProcess(Reader reader, String procPid) {
        String io = reader.read(procPid + "/io");
        String stat = reader.read(procPid + "/stat");
        return ThreadCounters.parse(io, stat == null ? null : ProcStat.parse(stat), null);
    }

    /**
     * The thread's files under {@code procPid}; {@code before} itself when its schedstat shows it has not run since
     * (may be null). Paths are plain strings: at the JVM's exit this runs interpreted, per file.
     */
    private static Task readTask(Reader reader, String procPid, int tid, Task before) {
        String dir = procPid + "/task/" + tid + "/";
        String sched = reader.read(dir + "schedstat");
        if (before != null && sched != null && !sched.startsWith("0 ") && sched.equals(before.sched())) {
            return before;
        }
        String io = reader.read(dir + "io");
        String stat = reader.read(dir + "stat");
        String status = reader.read(dir + "status");
        if (io == null || stat == null || status == null) {
            return null; // Exited between the listing and the read: its numbers are in the process totals.
        }
        long[] fields = ProcStat.fields(stat, 10, 12, 22); // minflt, majflt, starttime
        return new Task(tid, name(status, stat), fields[2],
                ThreadCounters.parse(io, new ProcStat(fields[0], fields[1]), status), sched);
    }

    /** Whether the kernel runs some CPU without a regular tick ({@code nohz_full=}); false when it cannot tell. */
    static boolean tickless(Path nohzFull) {
        try {
            String cpus = Files.readString(nohzFull).trim();
            return !cpus.isEmpty() && !cpus.equals("(null)");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The kernel's comm: {@code Name:} of status (escaped), else the parenthesised part of stat. */
    static String name(String status, String stat) {
        if (status.startsWith("Name:")) {
            int end = status.indexOf('\n');
            return status.substring(5, end < 0 ? status.length() : end).trim();
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        return open >= 0 && close > open ? stat.substring(open + 1, close) : "";
    }

    /** Process-wide io and fault counters (context switches -1: no process-wide file has them). */
    public ThreadCounters process() {
        return process;
    }

    /** Live threads by tid, in listing order. */
    public Map<Integer, Task> tasks() {
        return tasks;
    }

    /** Threads listed but not readable (they exited while being read). */
    public int unreadable() {
        return unreadable;
    }

    /** {@code read()} calls of this reader that the process counters hold but no thread's window delta. */
    public long ownReads() {
        return ownReads;
    }

    /** Bytes those calls returned (their rchar). */
    public long ownReadBytes() {
        return ownReadBytes;
    }

    /**
     * The process-wide view ({@link ProcSnapshot}) of this snapshot, so a window's end reads each thread's files
     * once: io and faults from the process files, context switches summed over the threads read. This reader's
     * own reads before the process files are taken out of io, as if io had been read first (as
     * {@link ProcSnapshot#read} does).
     */
    public ProcSnapshot processSnapshot() {
        ProcIo io = process.get(ThreadCounters.RCHAR) < 0 || process.get(ThreadCounters.SYSCR) < 0 ? null
                : new ProcIo(process.get(ThreadCounters.RCHAR) - bytesBeforeProcess, process.get(ThreadCounters.WCHAR),
                process.get(ThreadCounters.SYSCR) - readsBeforeProcess, process.get(ThreadCounters.SYSCW));
        ProcStat stat = process.get(ThreadCounters.MINOR_FAULTS) < 0 ? null
                : new ProcStat(process.get(ThreadCounters.MINOR_FAULTS), process.get(ThreadCounters.MAJOR_FAULTS));
        long voluntary = 0;
        long nonvoluntary = 0;
        int counted = 0;
        for (Task task : tasks.values()) {
            long v = task.counters().get(ThreadCounters.VOLUNTARY);
            long n = task.counters().get(ThreadCounters.NONVOLUNTARY);
            if (v >= 0 && n >= 0) {
                voluntary += v;
                nonvoluntary += n;
                counted++;
            }
        }
        return counted == 0 ? new ProcSnapshot(io, -1, -1, stat, 0)
                : new ProcSnapshot(io, voluntary, nonvoluntary, stat, counted);
    }

    /** Threads kept from the earlier reading given because they had not run since (their files not read). */
    public int carried() {
        return carried;
    }

    /** What this snapshot took, wall clock. */
    public long nanos() {
        return nanos;
    }

    /**
     * Reads small /proc files with one reused buffer and counts its own {@code read()} calls: a
     * {@code /proc} file reports 0 bytes in size, so one call that fills less than the buffer is the whole file.
     */
    private static final class Reader {
        private byte[] buffer = new byte[8192]; // FileInputStream copies through the stack up to 8 KiB
        long reads;
        long bytes;

        String read(String file) {
            try (FileInputStream in = new FileInputStream(file)) {
                int length = 0;
                while (true) {
                    int n = in.read(buffer, length, buffer.length - length);
                    reads++;
                    if (n < 0) {
                        break;
                    }
                    bytes += n;
                    length += n;
                    if (length < buffer.length) {
                        break;
                    }
                    buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
                }
                return new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }
}
