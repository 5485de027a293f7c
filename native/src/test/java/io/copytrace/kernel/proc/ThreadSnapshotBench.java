// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.proc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The snapshot costs in docs/kernel-counters.md: one {@link ThreadSnapshot} (three files per thread) and
 * one {@link ThreadWindow} with N parked threads, median of the rounds, next to the older whole-process
 * {@link ProcSnapshot}. Not a test: timing is never asserted.
 *
 * <pre>
 * java -cp target/classes:target/test-classes io.copytrace.kernel.proc.ThreadSnapshotBench [threads...] [rounds=9]
 * </pre>
 */
public final class ThreadSnapshotBench {
    private ThreadSnapshotBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 9;
        List<Integer> counts = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("rounds=")) {
                rounds = Integer.parseInt(arg.substring(7));
            } else {
                counts.add(Integer.parseInt(arg));
            }
        }
        if (counts.isEmpty()) {
            counts = List.of(20, 500, 5000);
        }
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> parked = new ArrayList<>();
        int tid = ThreadSnapshot.currentTid();
        for (int target : counts) {
            for (int missing = target - ThreadSnapshot.read(ProcSnapshot.SELF, tid, true).tasks().size();
                 missing > 0; missing--) {
                Thread thread = new Thread(() -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "parked-" + parked.size());
                thread.setDaemon(true);
                thread.start();
                parked.add(thread);
            }
            long[] start = new long[rounds];
            long[] end = new long[rounds];
            long[] window = new long[rounds];
            long[] old = new long[rounds];
            int threads = 0;
            for (int round = 0; round < rounds; round++) {
                long t0 = System.nanoTime();
                ThreadSnapshot first = ThreadSnapshot.read(ProcSnapshot.SELF, tid, true);
                long t1 = System.nanoTime();
                ThreadSnapshot last = ThreadSnapshot.read(ProcSnapshot.SELF, tid, false);
                long t2 = System.nanoTime();
                ThreadWindow.toJson(first, last);
                long t3 = System.nanoTime();
                ProcSnapshot.read(ProcSnapshot.SELF);
                long t4 = System.nanoTime();
                start[round] = t1 - t0;
                end[round] = t2 - t1;
                window[round] = t3 - t2;
                old[round] = t4 - t3;
                threads = last.tasks().size();
            }
            System.out.printf("threads=%d snapshotStart=%.2f ms snapshotEnd=%.2f ms window=%.2f ms "
                            + "(ProcSnapshot, status only: %.2f ms)%n", threads, median(start), median(end),
                    median(window), median(old));
        }
        release.countDown();
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }
}
