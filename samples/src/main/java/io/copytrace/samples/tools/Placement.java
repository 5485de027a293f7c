// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.tools;

import io.copytrace.analysis.CpuAffinity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Which CPUs the benchmark's processes run on. Over veth the receiving TCP stack runs in a softirq, and unsteered
 * the kernel often runs it on the sending CPU, in the sender's context, where it is charged to the sending JVM, and
 * sometimes not: the measured CPU of one variant moved by ~200 ms per GiB with that. Pinned, the sending JVMs run on
 * one CPU ({@code taskset}), the sink on another, and the veth pair's receive processing is steered to the sink's CPU
 * (RPS, {@link NetNamespace#steerReceiveCommands}), so no sender is charged the receiver's work; it pays an IPI per
 * packet batch instead (on a VM a VM exit: ~100 ms per GiB on the build machine, where pinned rows measured a
 * smaller saving than free ones; docs/bench/session11-samples.md). Free: wherever the scheduler puts them
 * (loopback, one CPU, or no {@code taskset}).
 *
 * @param senderCpu the sending JVMs' CPU, -1 when free
 * @param sinkCpu   the sink's CPU and the receive processing's, -1 when free
 * @param why       why free, when it is
 */
record Placement(int senderCpu, int sinkCpu, String why) {
    /** What {@code --placement} asks for: {@code auto} pins when possible. */
    enum Request { AUTO, PINNED, FREE }

    static Placement free(String why) {
        return new Placement(-1, -1, why);
    }

    boolean pinned() {
        return senderCpu >= 0;
    }

    /**
     * The placement for {@code request} when the sink runs in a network namespace ({@code netns}) or not.
     *
     * @throws IllegalStateException when pinning was asked for and is not possible
     */
    static Placement choose(Request request, boolean netns, List<Integer> allowedCpus, boolean taskset) {
        String why = request == Request.FREE ? "--placement=free"
                : !netns ? "the receiver is on loopback, which has no receive queue to steer"
                : allowedCpus.size() < 2 ? "fewer than 2 CPUs"
                : !taskset ? "no taskset (util-linux)" : null;
        if (why == null) return new Placement(allowedCpus.get(0), allowedCpus.get(1), null);
        if (request == Request.PINNED) throw new IllegalStateException("--placement=pinned is not possible: " + why);
        return free(why);
    }

    /** {@code command} as a sending JVM runs it. */
    List<String> sender(List<String> command) {
        return pinned() ? CpuAffinity.pinned(senderCpu, command) : command;
    }

    /** {@code command} as the sink runs it. */
    List<String> sink(List<String> command) {
        return pinned() ? CpuAffinity.pinned(sinkCpu, command) : command;
    }

    /** For the results' header. */
    String describe() {
        return pinned()
                ? "placement pinned: sending JVMs on CPU " + senderCpu + ", the receiver and both veth ends' receive "
                  + "processing (RPS) on CPU " + sinkCpu
                : "placement free (" + why + ")";
    }

    /** The NET_RX softirqs each CPU has run so far ({@code /proc/softirqs}), empty when unknown. */
    static long[] netRxPerCpu() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/softirqs"))) {
                String[] f = line.strip().split("\\s+");
                if (f[0].equals("NET_RX:")) return Arrays.stream(f, 1, f.length).mapToLong(Long::parseLong).toArray();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return new long[0];
    }

    /**
     * The time each CPU has spent in softirqs so far ({@code /proc/stat}, its 7th column, in ms), empty when
     * unknown: a NET_RX count is not work (with RPS the sending CPU runs one per packet only to signal the other).
     */
    static long[] softirqMillisPerCpu() {
        try {
            long msPerTick = 1000 / 100; // USER_HZ is 100 on Linux
            return Files.readAllLines(Path.of("/proc/stat")).stream().filter(l -> l.matches("cpu\\d+ .*"))
                    .mapToLong(l -> Long.parseLong(l.split("\\s+")[7]) * msPerTick).toArray();
        } catch (IOException | RuntimeException e) {
            return new long[0];
        }
    }

    /** Per CPU, the difference between two readings of {@link #netRxPerCpu} or the like, as {@code cpu0 +N, cpu1 +M}. */
    static String perCpuDelta(long[] before, long[] after) {
        StringBuilder s = new StringBuilder();
        for (int cpu = 0; cpu < Math.min(before.length, after.length); cpu++) {
            s.append(s.isEmpty() ? "" : ", ").append("cpu").append(cpu).append(" +").append(after[cpu] - before[cpu]);
        }
        return s.isEmpty() ? "unknown" : s.toString();
    }
}
