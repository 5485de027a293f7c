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
 * (bytes moved, or -errno). Buffers are per CPU, so a thread that migrates mid-call leaves its enter and
 * exit in different buffers, drained in either order; a thread that migrates twice can even leave an enter
 * and a later call's exit side by side in one buffer. So samples are paired in time order across all
 * buffers: after each drain round, only samples no later than the newest one of the round before are
 * paired (perf's own "finished round" rule: anything that old has been written to its buffer by then), the
 * rest wait for the next round; at stop everything is paired. Memory is bounded by two rounds of samples,
 * one pending enter per thread, and at most {@link #MAX_DESCRIPTORS} descriptors (the rest are counted
 * in {@code descriptorsDropped}). Not thread-safe: one draining thread at a time.
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

    /** A decoded sample waiting to be paired in time order. */
    private record Event(int tid, long time, Tracepoint tracepoint, int[] fds, long ret) {
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
    private final Map<Integer, Event> pendingEnter = new HashMap<>();
    private final List<Event> waiting = new ArrayList<>();
    private long roundNewest = Long.MIN_VALUE;
    private long previousRoundNewest = Long.MIN_VALUE;
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
        int[] fds = new int[tracepoint.fdFields().size()];
        for (int i = 0; i < fds.length; i++) {
            fds[i] = (int) tracepoint.fdFields().get(i).read(record, rawOffset);
        }
        long ret = tracepoint.enter() || tracepoint.ret() == null ? 0 : tracepoint.ret().read(record, rawOffset);
        waiting.add(new Event(tid, time, tracepoint, fds, ret));
        roundNewest = Math.max(roundNewest, time);
    }

    /**
     * Ends a drain round (every buffer read once): pairs the samples no later than the newest sample of the
     * previous round, which every buffer holds by now.
     */
    void endRound() {
        pair(previousRoundNewest);
        previousRoundNewest = roundNewest;
    }

    /** Pairs the waiting samples up to {@code upTo}, in time order; later ones keep waiting. */
    private void pair(long upTo) {
        if (waiting.isEmpty()) {
            return;
        }
        waiting.sort(java.util.Comparator.comparingLong(Event::time));
        int done = 0;
        for (Event e : waiting) {
            if (e.time() > upTo) {
                break;
            }
            pair(e);
            done++;
        }
        waiting.subList(0, done).clear();
    }

    private void pair(Event e) {
        if (e.tracepoint().enter()) {
            if (pendingEnter.put(e.tid(), e) != null) {
                unmatched++; // The previous enter never saw its exit (lost sample).
            }
            return;
        }
        Event enter = pendingEnter.remove(e.tid());
        if (enter != null && enter.tracepoint().syscall().equals(e.tracepoint().syscall())) {
            complete(enter, e.ret());
        } else {
            unmatched += enter == null ? 1 : 2; // An exit whose enter was lost (and an enter whose exit was).
        }
    }

    @Override
    public void lost(long count) {
        lost += count;
    }

    private void complete(Event enter, long ret) {
        String syscall = enter.tracepoint().syscall();
        bySyscall.computeIfAbsent(syscall, name -> new Tally()).add(ret);
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
            perDescriptor.bySyscall.computeIfAbsent(syscall, name -> new Tally()).add(ret);
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

    /** Samples decoded but not yet paired. */
    int waitingSamples() {
        return waiting.size();
    }

    long lost() {
        return lost;
    }

    long samples() {
        return samples;
    }

    /** The JSON {@code samples} subtree, minus the fields {@link KernelMonitor} adds. */
    Map<String, Object> toJson(Map<String, Object> into) {
        pair(Long.MAX_VALUE); // Called after the last drain: nothing more can come.
        into.put("samples", samples);
        into.put("lost", lost);
        // Enters still waiting at the end are calls in flight (e.g. a blocked read): not errors.
        into.put("unmatched", unmatched);
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
