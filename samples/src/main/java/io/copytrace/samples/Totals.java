// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a sample moved, counted by the sample itself: the truth a recording is checked against. Printed as
 * {@code TRUTH key=value} lines, one per key, in the order the keys were first added.
 */
public final class Totals {
    private final Map<String, Long> values = new LinkedHashMap<>();

    /** Adds {@code n} to {@code key}; returns this. */
    public synchronized Totals add(String key, long n) {
        values.merge(key, n, Long::sum);
        return this;
    }

    /** The value of {@code key}, 0 when never added. */
    public synchronized long get(String key) {
        return values.getOrDefault(key, 0L);
    }

    /** A copy of every value. */
    public synchronized Map<String, Long> asMap() {
        return new LinkedHashMap<>(values);
    }

    /** The I/O a sample times: returns the bytes it moved. */
    @FunctionalInterface
    public interface Io {
        long run() throws Exception;
    }

    /**
     * Runs {@code io} and adds its wall-clock time and the process's CPU time during it (every thread, user
     * and kernel: the peer's too) as {@code time.wall-ns} and {@code time.cpu-ns}, and when it started
     * ({@code System.nanoTime}, the kernel's monotonic clock) as {@code time.start-ns}; returns what {@code io}
     * returned. The benchmark compares these between a sample's copy-heavy and zero-copy variants.
     */
    public long timed(Io io) throws Exception {
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long wall = System.nanoTime();
        add("time.start-ns", wall);
        long moved = io.run();
        add("time.wall-ns", System.nanoTime() - wall);
        add("time.cpu-ns", os.getProcessCpuTime() - cpu);
        return moved;
    }

    /** Prints the {@code TRUTH key=value} lines. */
    public synchronized void print() {
        values.forEach((k, v) -> System.out.println("TRUTH " + k + "=" + v));
    }
}
