// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What a copy, a syscall, a small socket send and a page fault cost on this host, to turn what a fix saves into
 * an estimated CPU time. Reports label the result an estimate: the recorded host may differ from the reporting
 * one.
 *
 * <p>Two copy rates: a copy that streams through memory in no CPU cache (the kernel's copy out of the page cache,
 * into a socket buffer: {@link StreamingCopyCost}) and one whose memory is already in the CPU cache (the JVM's copy
 * of a chunk the syscall just wrote or is about to read, {@link io.copytrace.model.CopyModel#jvmCopyInCache}). Two
 * syscall costs: any syscall (a 1-byte /dev/null write) and a small TCP send, which also pays the TCP stack's
 * per-segment work (and, on loopback or veth, the receiving stack's softirq on the sending CPU): {@code make
 * bench-samples} measured both
 * differences (docs/samples.md, "The predicted saving, checked"). What a thread hand-off costs: a voluntary context
 * switch, priced per switch the recording counted on the threads of a relay that a fix puts on one thread
 * ({@link ContextSwitchCost}). And what a kernel file → file copy (the fix of a
 * file → file loop) costs beyond its one page copy: the splice through a pipe, 64 KiB at a time
 * ({@link FileCopyCost}); a fix's saving is what it removes less that. And what a byte costs when one thread fills
 * it and another uses it: the memory travels between the cores' caches ({@link CrossCoreCost}), which a relay across
 * threads pays and its one-thread fix does not. A socket write of bytes in no cache (a mapped send's copy, which
 * sendfile does not make) is a copy at the streaming rate: no figure of its own (docs/samples.md, "Session 24").
 * And, not a price but advice, whether the kernel copies slowly into memory 1–15 bytes ahead of its source
 * ({@link ShortDistanceCopy}).
 *
 * @param memcpyBytesPerNano     bandwidth of a copy of memory in no CPU cache, in bytes per nanosecond (= GB/s)
 * @param syscallNanos           cost of one small write syscall through the JDK, in nanoseconds
 * @param cachedCopyBytesPerNano bandwidth of a copy whose memory is in the CPU cache (= GB/s)
 * @param socketSendNanos        sending thread's CPU for one small (64-byte) TCP send, in nanoseconds
 * @param minorFaultNanos        CPU of one minor page fault on a file mapping (pages in the page cache), in ns
 * @param fileCopyOverheadNanosPerKib CPU per KiB of a kernel file → file copy beyond its one page copy and the
 *                               page-cache work a read/write loop does too, in ns
 * @param contextSwitchNanos     CPU of one thread hand-off (a voluntary context switch, the wake-up that ends it
 *                               included; both threads' CPU), in ns
 * @param crossCoreNanosPerKib   CPU per KiB filled by one thread and used by another, beyond the same on one thread
 *                               (both sides), in ns
 * @param shortDistanceCopy      what a kernel copy into user memory 1–15 bytes ahead of its source's page offset
 *                               costs against one further apart ({@link ShortDistanceCopy}), or null when not measured
 *                               (given costs, the app's JVM): no typical figure, it depends on the CPU
 * @param calibration            which figures were measured here and which were given or typical
 */
public record HostCost(double memcpyBytesPerNano, double syscallNanos, double cachedCopyBytesPerNano,
                       double socketSendNanos, double minorFaultNanos, double fileCopyOverheadNanosPerKib,
                       double contextSwitchNanos, double crossCoreNanosPerKib,
                       ShortDistanceCopy.Measured shortDistanceCopy, Calibration calibration) {
    /**
     * A copy of memory in no CPU cache, in bytes per nanosecond (= GB/s), where none is measured (in the app's JVM):
     * the build machine's kernel copy ({@link StreamingCopyCost}), which read 6.2–9.5 GB/s in sessions 24 and 25. Until
     * session 25 it was 12, that machine's {@code System.arraycopy} figure before session 24 (11–16).
     */
    public static final double TYPICAL_MEMCPY_BYTES_PER_NANO = 8;
    /** A small TCP send's cost where none is given or measured: loopback on the build machine ({@link #measure}). */
    public static final double TYPICAL_SOCKET_SEND_NANOS = 450;
    /** A minor fault's cost where none is given or measured: the build machine's ({@link #measure}). */
    public static final double TYPICAL_MINOR_FAULT_NANOS = 4_000;
    /** A kernel file copy's overhead where none is given or measured: the build machine's ({@link #measure}). */
    public static final double TYPICAL_FILE_COPY_OVERHEAD_NANOS_PER_KIB = 15;
    /** A thread hand-off's cost where none is given or measured: the build machine's ({@link #measure}). */
    public static final double TYPICAL_CONTEXT_SWITCH_NANOS = 3_500;
    /** Memory handed between cores where none is given or measured: the build machine's ({@link #measure}). */
    public static final double TYPICAL_CROSS_CORE_NANOS_PER_KIB = 80;

    /** Where the figures came from. */
    public enum Calibration {
        /** All given (the command line, tests, golden reports); send, fault, file copy and hand-off typical unless given. */
        GIVEN("as given"),
        /** Measured in the reporting process (the {@code report} CLI), each figure not given on the command line. */
        MEASURED("measured on this host at report time"),
        /**
         * Measured inside the app's JVM (the agent writing its reports at window close): copies and syscalls; the
         * agent opens no socket or file, starts no thread and makes no large array there, so copies of memory in no
         * cache, socket sends, page faults, file copies and thread hand-offs are the typical figures.
         */
        MEASURED_IN_APP("measured on this host at report time, in the app's JVM: copies of memory in no CPU cache,"
                + " socket sends, page faults, kernel file copies, thread hand-offs and memory between cores at typical"
                + " figures (no socket, file, thread or large array is made in the app)");

        private final String text;

        Calibration(String text) {
            this.text = text;
        }

        /** How a report says where the figures came from. */
        public String text() {
            return text;
        }
    }

    /** True when calibrated on this host at report time, false when given. */
    public boolean measured() {
        return calibration != Calibration.GIVEN;
    }

    /**
     * Fixed costs, e.g. from the command line or for reproducible (golden) reports: one copy rate for both; a
     * small socket send, a page fault, a kernel file copy's overhead and a thread hand-off at the typical figures.
     */
    public static HostCost fixed(double memcpyGigabytesPerSecond, double syscallNanos) {
        return fixed(memcpyGigabytesPerSecond, syscallNanos, TYPICAL_SOCKET_SEND_NANOS, TYPICAL_MINOR_FAULT_NANOS,
                TYPICAL_FILE_COPY_OVERHEAD_NANOS_PER_KIB);
    }

    /** Fixed costs, a thread hand-off at the typical figure: one copy rate for both kinds of copy. */
    public static HostCost fixed(double memcpyGigabytesPerSecond, double syscallNanos, double socketSendNanos,
                                 double minorFaultNanos, double fileCopyOverheadNanosPerKib) {
        return fixed(memcpyGigabytesPerSecond, syscallNanos, socketSendNanos, minorFaultNanos,
                fileCopyOverheadNanosPerKib, TYPICAL_CONTEXT_SWITCH_NANOS);
    }

    /** Fixed costs, memory between cores at the typical figure: one copy rate for both kinds of copy. */
    public static HostCost fixed(double memcpyGigabytesPerSecond, double syscallNanos, double socketSendNanos,
                                 double minorFaultNanos, double fileCopyOverheadNanosPerKib, double contextSwitchNanos) {
        return fixed(memcpyGigabytesPerSecond, syscallNanos, socketSendNanos, minorFaultNanos,
                fileCopyOverheadNanosPerKib, contextSwitchNanos, TYPICAL_CROSS_CORE_NANOS_PER_KIB);
    }

    /** Fixed costs, every figure given: one copy rate for both kinds of copy. */
    public static HostCost fixed(double memcpyGigabytesPerSecond, double syscallNanos, double socketSendNanos,
                                 double minorFaultNanos, double fileCopyOverheadNanosPerKib, double contextSwitchNanos,
                                 double crossCoreNanosPerKib) {
        return new HostCost(memcpyGigabytesPerSecond, syscallNanos, memcpyGigabytesPerSecond, socketSendNanos,
                minorFaultNanos, fileCopyOverheadNanosPerKib, contextSwitchNanos, crossCoreNanosPerKib, null,
                Calibration.GIVEN);
    }

    /**
     * Calibrates on this host, in the reporting process (~1 s): the in-cache copy rate and the syscall as
     * {@link #measureInApp}, plus the kernel's copy of memory in no cache ({@link StreamingCopyCost}: a page-cached
     * file of 64–256 MiB),
     * a small TCP send ({@link SocketSendCost}: a loopback pair of this process), a
     * minor fault ({@link PageFaultCost}: a temporary file mapped and touched), a kernel file copy's overhead
     * ({@link FileCopyCost}: a temporary file copied by Files.copy and by a loop), a thread hand-off
     * ({@link ContextSwitchCost}: two threads of this process ping-ponging) and memory handed between cores
     * ({@link CrossCoreCost}: two threads of this process passing buffers round a ring); and the kernel's copy
     * 1–15 bytes ahead of its source ({@link ShortDistanceCopy}: the temporary file read at two offsets). A figure that
     * cannot be measured here keeps its typical value (the short-distance copy none).
     */
    public static HostCost measure() {
        return measure(SocketSendCost.measure().orElse(TYPICAL_SOCKET_SEND_NANOS));
    }

    /**
     * As {@link #measure}, with the small send measured by sending to {@code peer} (a service that discards what it
     * receives, on the path whose sends are to be priced) instead of over loopback.
     *
     * @throws IOException when {@code peer} cannot be reached
     */
    public static HostCost measureSendingTo(InetSocketAddress peer) throws IOException {
        return measure(SocketSendCost.measureTo(peer));
    }

    private static HostCost measure(double socketSendNanos) {
        HostCost app = measureInApp();
        double streaming = StreamingCopyCost.measure(app.syscallNanos).orElse(TYPICAL_MEMCPY_BYTES_PER_NANO);
        HostCost in = new HostCost(streaming, app.syscallNanos, Math.max(streaming, app.cachedCopyBytesPerNano),
                app.socketSendNanos, app.minorFaultNanos, app.fileCopyOverheadNanosPerKib, app.contextSwitchNanos,
                app.crossCoreNanosPerKib, null, Calibration.MEASURED);
        double fault = TYPICAL_MINOR_FAULT_NANOS, fileCopy = TYPICAL_FILE_COPY_OVERHEAD_NANOS_PER_KIB;
        ShortDistanceCopy.Measured shortDistance = null;
        try (CalibrationFile file = CalibrationFile.create(Path.of(System.getProperty("java.io.tmpdir")))) {
            fault = PageFaultCost.measure(file).orElse(fault);
            fileCopy = FileCopyCost.measure(in, file).map(FileCopyCost.Measured::overheadNanosPerKib).orElse(fileCopy);
            shortDistance = ShortDistanceCopy.measure(file).orElse(null);
        } catch (IOException | RuntimeException e) {
            // no temporary file here: these keep their typical figures (the short-distance copy none)
        }
        return new HostCost(in.memcpyBytesPerNano, in.syscallNanos, in.cachedCopyBytesPerNano, socketSendNanos, fault,
                fileCopy,
                ContextSwitchCost.measure().map(ContextSwitchCost.Measured::nanosPerSwitch).orElse(TYPICAL_CONTEXT_SWITCH_NANOS),
                CrossCoreCost.measure().orElse(TYPICAL_CROSS_CORE_NANOS_PER_KIB), shortDistance, Calibration.MEASURED);
    }

    /**
     * These costs with the small TCP send measured by sending to {@code peer} (a service that discards what it
     * receives, on the path whose sends are to be priced: loopback's are cheaper) instead of over loopback.
     *
     * @throws IOException when {@code peer} cannot be reached
     */
    public HostCost withSmallSendMeasuredTo(InetSocketAddress peer) throws IOException {
        return new HostCost(memcpyBytesPerNano, syscallNanos, cachedCopyBytesPerNano, SocketSendCost.measureTo(peer),
                minorFaultNanos, fileCopyOverheadNanosPerKib, contextSwitchNanos, crossCoreNanosPerKib,
                shortDistanceCopy, calibration == Calibration.GIVEN ? Calibration.MEASURED : calibration);
    }

    /** These costs with this short-distance copy ({@link ShortDistanceCopy}: given, or measured elsewhere). */
    public HostCost withShortDistanceCopy(ShortDistanceCopy.Measured measured) {
        return new HostCost(memcpyBytesPerNano, syscallNanos, cachedCopyBytesPerNano, socketSendNanos, minorFaultNanos,
                fileCopyOverheadNanosPerKib, contextSwitchNanos, crossCoreNanosPerKib, measured, calibration);
    }

    /**
     * Calibrates what can be measured without opening a socket or a file or making a large array: the JVM's copy of
     * a 64 KiB chunk between heap and native memory ({@link CachedCopyCost}) and the best round of 1-byte writes to
     * /dev/null (~30 ms). Best, not mean:
     * on a busy host a mean prices the other processes' time slices too. For the agent, which writes reports inside
     * the app's JVM: copies of memory in no cache, socket sends, page faults, file copies and thread hand-offs at
     * the typical figures.
     */
    public static HostCost measureInApp() {
        double bytesPerNano = TYPICAL_MEMCPY_BYTES_PER_NANO;
        double cachedBytesPerNano = Math.max(bytesPerNano, CachedCopyCost.measure());
        double syscall = 250; // a typical figure when /dev/null is not writable
        try (FileChannel devNull = FileChannel.open(Path.of("/dev/null"), StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocateDirect(1);
            for (int i = 0; i < 2_000; i++) devNull.write(one.clear());
            long bestRound = Long.MAX_VALUE;
            for (int r = 0; r < ROUNDS; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < SYSCALLS; i++) devNull.write(one.clear());
                bestRound = Math.min(bestRound, System.nanoTime() - t0);
            }
            syscall = (double) bestRound / SYSCALLS;
        } catch (IOException | UnsupportedOperationException ignored) {
            // keep the typical figure
        }
        return new HostCost(bytesPerNano, syscall, cachedBytesPerNano, TYPICAL_SOCKET_SEND_NANOS,
                TYPICAL_MINOR_FAULT_NANOS, TYPICAL_FILE_COPY_OVERHEAD_NANOS_PER_KIB, TYPICAL_CONTEXT_SWITCH_NANOS,
                TYPICAL_CROSS_CORE_NANOS_PER_KIB, null, Calibration.MEASURED_IN_APP);
    }

    private static final int SYSCALLS = 4_000;
    /** Rounds of every measurement: the best counts. */
    static final int ROUNDS = 5;

    /** Estimated CPU nanoseconds for copying {@code bytes} (streaming) and making {@code syscalls} syscalls. */
    public long nanos(long bytes, long syscalls) {
        return nanos(bytes, 0, syscalls);
    }

    /**
     * Estimated CPU nanoseconds for copying {@code bytes}, of which {@code inCache} run in the CPU cache (at most
     * {@code bytes}), and making {@code syscalls} syscalls.
     */
    public long nanos(long bytes, long inCache, long syscalls) {
        long all = Math.max(0, bytes);
        long cached = Math.min(all, Math.max(0, inCache));
        return Math.round((all - cached) / memcpyBytesPerNano + cached / cachedCopyBytesPerNano
                + Math.max(0, syscalls) * syscallNanos);
    }

    /**
     * Estimated CPU nanoseconds a kernel file → file copy of {@code bytes} costs beyond its one page copy (which a
     * saving counts as a copy left, not saved) and the page-cache work any copy of them does.
     */
    public long fileCopyOverheadNanos(long bytes) {
        return Math.round(Math.max(0, bytes) / 1024.0 * fileCopyOverheadNanosPerKib);
    }

    /** Estimated CPU nanoseconds of {@code switches} thread hand-offs (voluntary context switches). */
    public long handOffNanos(long switches) {
        return Math.round(Math.max(0, switches) * contextSwitchNanos);
    }

    /** Estimated CPU nanoseconds of {@code bytes} filled on one core and used on another, beyond one core's. */
    public long crossCoreNanos(long bytes) {
        return Math.round(Math.max(0, bytes) / 1024.0 * crossCoreNanosPerKib);
    }
}
