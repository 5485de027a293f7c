// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The overhead numbers in docs/kernel-counters.md: 64-byte writes to a file, the cheapest syscall
 * the monitor sees, with no monitor, counting mode, sliced counting (kernel=sampled's slices without
 * its counted head, so a round shows the steady state: give it rounds of several seconds) and
 * sampling mode, interleaved rounds in one JVM; prints the median nanoseconds per write and how long
 * each mode's stop took. Not a test: timing is never asserted.
 *
 * <pre>
 * java -cp target/classes:target/test-classes:jna.jar io.copytrace.kernel.OverheadBench [writes] [rounds] [modes]
 * </pre>
 * {@code modes}: a comma-separated subset of none,counting,sliced,sampling (default all).
 */
public final class OverheadBench {
    private OverheadBench() {
    }

    public static void main(String[] args) throws Exception {
        int writes = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Path file = Files.createTempFile("copytrace-bench", ".bin");
        String[] names = args.length > 2 ? args[2].split(",") : new String[] {"none", "counting", "sliced", "sampling"};
        double[][] nanosPerWrite = new double[names.length][rounds];
        double[][] stopMillis = new double[names.length][rounds];
        KernelWindow last = null;
        try (FileOutputStream out = new FileOutputStream(file.toFile())) {
            byte[] block = new byte[64];
            run(out, block, writes, null); // warm-up: JIT, page cache
            for (int round = 0; round < rounds; round++) {
                for (int mode = 0; mode < names.length; mode++) {
                    KernelMonitor monitor = monitor(names[mode]);
                    out.getChannel().position(0);
                    nanosPerWrite[mode][round] = run(out, block, writes, monitor) / (double) writes;
                    if (monitor != null) {
                        long stopStart = System.nanoTime();
                        KernelWindow window = monitor.stop();
                        stopMillis[mode][round] = (System.nanoTime() - stopStart) / 1e6;
                        if (names[mode].equals("sampling")) {
                            last = window;
                        }
                        if (!window.source().startsWith("perf")) {
                            throw new IllegalStateException("perf not available: " + window.fallbackReason());
                        }
                        if (names[mode].equals("sliced") && round == rounds - 1) {
                            System.out.println("last sliced window: write " + window.sampling().get("syscalls")
                                    .toString().replaceAll(".*write=(\\{[^}]*}).*", "$1") + " of " + (writes + 1)
                                    + "; slices " + window.sampling().get("slices") + ", toggle us "
                                    + window.sampling().get("toggleMicrosMean"));
                        }
                    }
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
        System.out.printf("%,d writes of 64 bytes x %d rounds, %s, %d CPUs%n", writes, rounds,
                System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors());
        double base = median(nanosPerWrite[0]);
        for (int mode = 0; mode < names.length; mode++) {
            double median = median(nanosPerWrite[mode]);
            System.out.printf("%-9s median %7.0f ns/write  (%+.0f ns, %+.0f%%)  rounds %s  stop ms %s%n", names[mode],
                    median, median - base, (median / base - 1) * 100, Arrays.toString(round(nanosPerWrite[mode])),
                    Arrays.toString(round(stopMillis[mode])));
        }
        if (last != null) {
            System.out.println("last sampling window lost " + last.lostSamples() + " samples");
        }
    }

    private static KernelMonitor monitor(String name) {
        return switch (name) {
            case "none" -> null;
            case "counting" -> KernelMonitor.start(new KernelOptions(KernelMode.PERF, false, 0, Thread::new));
            // kernel=sampled's default slices, without the head: the steady state of a long window.
            case "sliced" -> KernelMonitor.start(new KernelOptions(KernelMode.SAMPLED, false, 0, Thread::new,
                    new SlicePlan(SlicePlan.DEFAULT.sliceMillis(), SlicePlan.DEFAULT.periodMillis(), 0)));
            case "sampling" -> KernelMonitor.start(new KernelOptions(KernelMode.PERF, true,
                    KernelOptions.DEFAULT_RING_BUFFER_PAGES, Thread::new));
            default -> throw new IllegalArgumentException("unknown mode " + name);
        };
    }

    private static long run(FileOutputStream out, byte[] block, int writes, KernelMonitor monitor) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < writes; i++) {
            out.write(block);
        }
        return System.nanoTime() - start;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long[] round(double[] values) {
        return Arrays.stream(values).mapToLong(Math::round).toArray();
    }
}
