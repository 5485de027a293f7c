// SPDX-License-Identifier: Apache-2.0
package io.copytrace.bench;

import java.io.FileOutputStream;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * What one hooked call costs: 64-byte writes to /dev/null (the cheapest syscall that still goes through
 * every hook) as a heap-buffer {@code FileChannel.write}, a direct-buffer one and a java.io
 * {@code FileOutputStream.write(byte[])}, in interleaved rounds. Prints the median ns per call of each
 * kind, then the fastest round's (median/min; on a shared machine the minimum is the round least disturbed
 * by others); run it with and without the agent, in alternating JVMs, and the difference is the agent's
 * price per call. {@code HookCost [rounds] [calls per round]}.
 *
 * <p>With the agent loaded it also times every round a second time with the probe switched off
 * ({@code Probe.active}: the woven hooks then return at their first check), the two in alternating order, and
 * prints the median of the rounds' differences ({@code INPLACE}): the probe's price in place, with the same
 * compiled code and the same phase of a shared host on both sides (between JVMs this host's speed moves by
 * more than the probe costs).
 */
public final class HookCost {
    private static final String[] KINDS = {"heap-channel", "direct-channel", "java-io"};

    private HookCost() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        Field active = probeSwitch();
        int sides = active == null ? 1 : 2;
        long[][][] ns = new long[sides][KINDS.length][rounds]; // [probe on, off][kind][round]
        Path devNull = Path.of("/dev/null");
        try (FileChannel ch = FileChannel.open(devNull, StandardOpenOption.WRITE);
             FileOutputStream os = new FileOutputStream(devNull.toFile())) {
            ByteBuffer heap = ByteBuffer.allocate(64);
            ByteBuffer direct = ByteBuffer.allocateDirect(64);
            byte[] array = new byte[64];
            for (int r = -3; r < rounds; r++) { // three warm-up rounds
                for (int i = 0; i < sides; i++) {
                    int side = (r & 1) == 0 ? i : sides - 1 - i; // on first in even rounds, off first in odd ones
                    if (active != null) active.setBoolean(null, side == 0);
                    for (int k = 0; k < KINDS.length; k++) {
                        long t = time(k, calls, ch, os, heap, direct, array);
                        if (r >= 0) ns[side][k][r] = t;
                    }
                }
            }
        } finally {
            if (active != null) active.setBoolean(null, true);
        }
        StringBuilder out = new StringBuilder("HOOKCOST");
        for (int k = 0; k < KINDS.length; k++) {
            long[] sorted = ns[0][k].clone();
            Arrays.sort(sorted);
            out.append(' ').append(KINDS[k]).append('=').append(String.format(Locale.ROOT, "%.1f/%.1f",
                    sorted[rounds / 2] / (double) calls, sorted[0] / (double) calls));
        }
        System.out.println(out);
        if (active == null) return;
        StringBuilder inPlace = new StringBuilder("INPLACE");
        for (int k = 0; k < KINDS.length; k++) {
            long[] added = new long[rounds];
            long[] off = ns[1][k].clone();
            for (int r = 0; r < rounds; r++) added[r] = ns[0][k][r] - ns[1][k][r];
            Arrays.sort(added);
            Arrays.sort(off);
            inPlace.append(' ').append(KINDS[k]).append(String.format(Locale.ROOT, "=+%.1f(off %.1f)",
                    added[rounds / 2] / (double) calls, off[rounds / 2] / (double) calls));
        }
        System.out.println(inPlace);
    }

    private static long time(int kind, int calls, FileChannel ch, FileOutputStream os, ByteBuffer heap,
                             ByteBuffer direct, byte[] array) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            switch (kind) {
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
        return System.nanoTime() - t0;
    }

    /** The probe's on/off switch when the agent is loaded (its core is on the boot class path), else null. */
    static Field probeSwitch() {
        try {
            return Class.forName("io.copytrace.boot.Probe", true, null).getField("active");
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}
