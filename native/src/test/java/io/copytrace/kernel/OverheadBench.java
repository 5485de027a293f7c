// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The overhead numbers in docs/kernel-counters.md: 64-byte writes to a file, the cheapest syscall
 * the monitor sees, with no monitor, counting mode and sampling mode, interleaved rounds in one
 * JVM; prints the median nanoseconds per write. Not a test: timing is never asserted.
 *
 * <pre>
 * java -cp target/classes:target/test-classes:jna.jar io.copytrace.kernel.OverheadBench [writes] [rounds]
 * </pre>
 */
public final class OverheadBench {
    private OverheadBench() {
    }

    public static void main(String[] args) throws Exception {
        int writes = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Path file = Files.createTempFile("copytrace-bench", ".bin");
        String[] names = {"none", "counting", "sampling"};
        double[][] nanosPerWrite = new double[names.length][rounds];
        KernelWindow last = null;
        try (FileOutputStream out = new FileOutputStream(file.toFile())) {
            byte[] block = new byte[64];
            run(out, block, writes, null); // warm-up: JIT, page cache
            for (int round = 0; round < rounds; round++) {
                for (int mode = 0; mode < names.length; mode++) {
                    KernelMonitor monitor = mode == 0 ? null : KernelMonitor.start(new KernelOptions(KernelMode.PERF,
                            mode == 2, KernelOptions.DEFAULT_RING_BUFFER_PAGES, Thread::new));
                    out.getChannel().position(0);
                    nanosPerWrite[mode][round] = run(out, block, writes, monitor) / (double) writes;
                    if (monitor != null) {
                        last = monitor.stop();
                        if (!last.source().equals("perf")) {
                            throw new IllegalStateException("perf not available: " + last.fallbackReason());
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
            System.out.printf("%-9s median %7.0f ns/write  (%+.0f ns, %+.0f%%)  rounds %s%n", names[mode], median,
                    median - base, (median / base - 1) * 100, Arrays.toString(round(nanosPerWrite[mode])));
        }
        System.out.println("last sampling window lost " + last.lostSamples() + " samples");
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
