// SPDX-License-Identifier: Apache-2.0
package io.copytrace.bench;

import java.io.FileOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * What one hooked call costs: 64-byte writes to /dev/null (the cheapest syscall that still goes through
 * every hook) as a heap-buffer {@code FileChannel.write}, a direct-buffer one and a java.io
 * {@code FileOutputStream.write(byte[])}, in interleaved rounds. Prints the median ns per call of each
 * kind, then the fastest round's (median/min; on a shared machine the minimum is the round least disturbed
 * by others); run it with and without the agent, in alternating JVMs, and the difference is the agent's
 * price per call. {@code HookCost [rounds] [calls per round]}.
 */
public final class HookCost {
    private HookCost() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        Path devNull = Path.of("/dev/null");
        String[] kinds = {"heap-channel", "direct-channel", "java-io"};
        long[][] ns = new long[kinds.length][rounds];
        try (FileChannel ch = FileChannel.open(devNull, StandardOpenOption.WRITE);
             FileOutputStream os = new FileOutputStream(devNull.toFile())) {
            ByteBuffer heap = ByteBuffer.allocate(64);
            ByteBuffer direct = ByteBuffer.allocateDirect(64);
            byte[] array = new byte[64];
            for (int r = -3; r < rounds; r++) { // three warm-up rounds
                for (int k = 0; k < kinds.length; k++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < calls; i++) {
                        switch (k) {
                            case 0 -> {
                                heap.clear();
                                ch.write(heap);
                            }
                            case 1 -> {
                                direct.clear();
                                ch.write(direct);
                            }
                            default -> os.write(array);
                        }
                    }
                    if (r >= 0) ns[k][r] = System.nanoTime() - t0;
                }
            }
        }
        StringBuilder out = new StringBuilder("HOOKCOST");
        for (int k = 0; k < kinds.length; k++) {
            long[] sorted = ns[k].clone();
            Arrays.sort(sorted);
            out.append(' ').append(kinds[k]).append('=')
                    .append(String.format(java.util.Locale.ROOT, "%.1f/%.1f", sorted[rounds / 2] / (double) calls,
                            sorted[0] / (double) calls));
        }
        System.out.println(out);
    }
}
