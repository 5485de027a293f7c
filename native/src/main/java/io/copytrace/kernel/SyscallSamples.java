// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

import io.copytrace.kernel.perf.SampleRing;
import io.copytrace.kernel.proc.Descriptor;
import io.copytrace.kernel.proc.SocketTable;
import io.copytrace.kernel.tracefs.TracepointFormat;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Turns raw sys_enter/sys_exit samples into calls and bytes per syscall and per descriptor.
 *
 * <p>An enter carries the descriptor(s), the matching exit of the same thread carries the result
 * (bytes moved, or -errno). Buffers are per CPU, so an exit can be drained before its enter when
 * the thread migrated mid-call; a lone exit therefore waits for its enter. Memory is bounded: one
 * pending enter and exit per thread, at most {@link #MAX_DESCRIPTORS} descriptors (the rest are
 * counted in {@code descriptorsDropped}). Not thread-safe: one draining thread at a time.
 */
final class SyscallSamples implements SampleRing.Sink {
    /** Descriptors tracked individually. */
    static final int MAX_DESCRIPTORS = 4096;
    /** Descriptors listed in the JSON, largest byte count first. */
    static final int MAX_LISTED = 200;

    /** What one tracepoint id means. */
    record Tracepoint(String syscall, boolean enter, List<TracepointFormat.Field> fdFields,
                      TracepointFormat.Field ret) {
    }

    private record Enter(String syscall, long time, int[] fds) {
    }

    private record Exit(String syscall, long time, long ret) {
    }

    /** calls, bytes, errors. */
    private static final class Tally {
        long calls;
        long bytes;
        long errors;

        void add(long ret) {
            calls++;
            if (ret >= 0) {
                bytes += ret;
            } else {
                errors++;
            }
        }

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("calls", calls);
            json.put("bytes", bytes);
            json.put("errors", errors);
            return json;
        }
    }

    private static final class PerDescriptor {
        Descriptor descriptor;
        final Map<String, Tally> bySyscall = new LinkedHashMap<>();
        long bytes;
    }

    private final Map<Integer, Tracepoint> tracepoints;
    private final IntFunction<Descriptor> classifier;
    private final Map<Integer, Enter> pendingEnter = new HashMap<>();
    private final Map<Integer, Exit> pendingExit = new HashMap<>();
    private final Map<String, Tally> bySyscall = new LinkedHashMap<>();
    private final Map<Integer, PerDescriptor> byDescriptor = new HashMap<>();
    private volatile int ignoredTid = -1;
    private long samples;
    private long lost;
    private long unmatched;
    private long ignored;
    private long descriptorsDropped;

    /**
     * @param tracepoints by tracepoint id (the raw record's {@code common_type})
     * @param classifier names a descriptor when it is first seen
     */
    SyscallSamples(Map<Integer, Tracepoint> tracepoints, IntFunction<Descriptor> classifier) {
        this.tracepoints = tracepoints;
        this.classifier = classifier;
        for (Tracepoint tracepoint : tracepoints.values()) {
            bySyscall.putIfAbsent(tracepoint.syscall(), new Tally());
        }
    }

    /** Samples of this thread (copytrace's reader) are counted as ignored, not as the application's. */
    void ignoreThread(int tid) {
        ignoredTid = tid;
    }

    @Override
    public void sample(int pid, int tid, long time, ByteBuffer record, int rawOffset, int rawSize) {
        samples++;
        if (tid == ignoredTid) {
            ignored++;
            return;
        }
        if (rawSize < 2) {
            return;
        }
        Tracepoint tracepoint = tracepoints.get(record.getShort(rawOffset) & 0xffff);
        if (tracepoint == null) {
            return;
        }
        if (tracepoint.enter()) {
            int[] fds = new int[tracepoint.fdFields().size()];
            for (int i = 0; i < fds.length; i++) {
                fds[i] = (int) tracepoint.fdFields().get(i).read(record, rawOffset);
            }
            Enter enter = new Enter(tracepoint.syscall(), time, fds);
            Exit exit = pendingExit.get(tid);
            if (exit != null && exit.syscall().equals(enter.syscall()) && exit.time() >= time) {
                pendingExit.remove(tid);
                complete(enter, exit.ret());
            } else if (pendingEnter.put(tid, enter) != null) {
                unmatched++; // The previous enter never saw its exit (lost sample).
            }
        } else {
            long ret = tracepoint.ret() == null ? 0 : tracepoint.ret().read(record, rawOffset);
            Enter enter = pendingEnter.get(tid);
            if (enter != null && enter.syscall().equals(tracepoint.syscall()) && enter.time() <= time) {
                pendingEnter.remove(tid);
                complete(enter, ret);
            } else if (pendingExit.put(tid, new Exit(tracepoint.syscall(), time, ret)) != null) {
                unmatched++;
            }
        }
    }

    @Override
    public void lost(long count) {
        lost += count;
    }

    private void complete(Enter enter, long ret) {
        bySyscall.computeIfAbsent(enter.syscall(), name -> new Tally()).add(ret);
        for (int fd : enter.fds()) {
            PerDescriptor perDescriptor = byDescriptor.get(fd);
            if (perDescriptor == null) {
                if (byDescriptor.size() >= MAX_DESCRIPTORS) {
                    descriptorsDropped++;
                    continue;
                }
                perDescriptor = new PerDescriptor();
                perDescriptor.descriptor = classifier.apply(fd);
                byDescriptor.put(fd, perDescriptor);
            }
            perDescriptor.bySyscall.computeIfAbsent(enter.syscall(), name -> new Tally()).add(ret);
            if (ret > 0) {
                perDescriptor.bytes += ret;
            }
        }
    }

    /** Names socket descriptors after their peers; call once, after sampling stopped. */
    void resolveSockets(SocketTable sockets) {
        for (PerDescriptor perDescriptor : byDescriptor.values()) {
            Descriptor descriptor = perDescriptor.descriptor;
            if (descriptor.kind().equals("socket") && descriptor.inode() > 0) {
                perDescriptor.descriptor = descriptor.withSocket(sockets.find(descriptor.inode()));
            }
        }
    }

    long lost() {
        return lost;
    }

    long samples() {
        return samples;
    }

    /** The JSON {@code samples} subtree, minus the fields {@link KernelMonitor} adds. */
    Map<String, Object> toJson(Map<String, Object> into) {
        into.put("samples", samples);
        into.put("lost", lost);
        // Enters still waiting at the end are calls in flight (e.g. a blocked read): not errors.
        into.put("unmatched", unmatched + pendingExit.size());
        into.put("inFlightAtStop", (long) pendingEnter.size());
        into.put("ignoredOwnThread", ignored);
        Map<String, Object> syscalls = new LinkedHashMap<>();
        bySyscall.forEach((name, tally) -> syscalls.put(name, tally.toJson()));
        into.put("bySyscall", syscalls);
        List<Map.Entry<Integer, PerDescriptor>> sorted = new ArrayList<>(byDescriptor.entrySet());
        sorted.sort((a, b) -> a.getValue().bytes != b.getValue().bytes
                ? Long.compare(b.getValue().bytes, a.getValue().bytes) : Integer.compare(a.getKey(), b.getKey()));
        List<Object> descriptors = new ArrayList<>();
        for (Map.Entry<Integer, PerDescriptor> entry : sorted.subList(0, Math.min(MAX_LISTED, sorted.size()))) {
            Descriptor descriptor = entry.getValue().descriptor;
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("fd", entry.getKey());
            json.put("kind", descriptor.kind());
            json.put("name", descriptor.name());
            json.put("bytes", entry.getValue().bytes);
            Map<String, Object> perSyscall = new LinkedHashMap<>();
            entry.getValue().bySyscall.forEach((name, tally) -> perSyscall.put(name, tally.toJson()));
            json.put("syscalls", perSyscall);
            descriptors.add(json);
        }
        into.put("byDescriptor", descriptors);
        into.put("descriptorsNotListed", (long) Math.max(0, sorted.size() - MAX_LISTED) + descriptorsDropped);
        return into;
    }
}
