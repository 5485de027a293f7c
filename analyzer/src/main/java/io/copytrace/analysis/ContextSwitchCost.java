// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.concurrent.locks.LockSupport;

/**
 * What one thread hand-off costs on this host: two threads of this process ping-pong through
 * {@link LockSupport#park}/{@code unpark} (what a BlockingQueue's take and put do when the queue is empty or full),
 * and the lowest of {@link #ROUNDS} rounds of both threads' CPU time over both threads' voluntary context switches
 * (their own counters, {@code /proc/self/task/TID/status}). Per counted switch, as the relay finding prices the
 * counts the recording has: the waker's unpark (the futex wake) and the sleeper's switch out and back in. Thread
 * CPU, not wall clock: the time a thread sleeps costs nothing. The lowest round, not the median: a round's figure
 * depends on where the scheduler woke the sleeper, on the waker's CPU (~2.7 µs per switch on the build machine, a
 * 2-vCPU VM) or on the other one (33–40 µs: an idle CPU woken by an interrupt; measured with the threads pinned
 * apart), and which one a round gets is the machine's phase: the median flipped between the two from one report to
 * the next. The same-CPU figure is what a relay's threads pay for most hand-offs there (85–88 % of sample 10's
 * wake-ups stayed on the waker's CPU, {@code perf record -e sched:sched_wakeup}); the rest cost ~10× more and the
 * counts cannot tell them apart, so the price is the low end (docs/samples.md, "What the model does not know").
 * Only ever run in the reporting process ({@link HostCost#measure}), never in the app's JVM.
 */
final class ContextSwitchCost {
    /** Hand-offs each way per round. */
    static final int HAND_OFFS = 2_000;
    /** Rounds: an odd number, for a median. */
    static final int ROUNDS = 9;

    private ContextSwitchCost() {}

    /** The lowest round's CPU per voluntary context switch, in ns, or empty when it cannot be measured here. */
    static OptionalDouble measure() {
        if (ThreadCpu.of(Thread.currentThread()) < 0) return OptionalDouble.empty();
        Partner partner = new Partner(Thread.currentThread());
        Thread t = new Thread(partner, "copytrace-calibration-handoff");
        t.setDaemon(true);
        t.start();
        try {
            handOff(partner, t, HAND_OFFS); // warm-up: the JIT, the partner's tid
            double[] rounds = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                long cpu0 = ThreadCpu.now() + ThreadCpu.of(t);
                long switches0 = switches(Path.of("/proc/thread-self/status")) + switches(partner.status);
                handOff(partner, t, HAND_OFFS);
                long cpu = ThreadCpu.now() + ThreadCpu.of(t) - cpu0;
                long switches = switches(Path.of("/proc/thread-self/status")) + switches(partner.status) - switches0;
                rounds[r] = switches > 0 ? (double) cpu / switches : Double.NaN;
            }
            java.util.Arrays.sort(rounds); // NaN (no switch counted) sorts last
            double lowest = rounds[0];
            return lowest > 0 ? OptionalDouble.of(lowest) : OptionalDouble.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalDouble.empty();
        } finally {
            partner.stop = true;
            LockSupport.unpark(t);
        }
    }

    /** {@code n} round trips: wake the partner, sleep until it wakes this thread. */
    private static void handOff(Partner partner, Thread thread, int n) {
        for (int i = 0; i < n; i++) {
            partner.turn = 1;
            LockSupport.unpark(thread);
            while (partner.turn != 0) LockSupport.park(partner);
        }
    }

    /** The voluntary context switches of the thread whose status file this is. */
    private static long switches(Path status) throws IOException {
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("voluntary_ctxt_switches:")) return Long.parseLong(line.substring(24).strip());
        }
        throw new IOException("no voluntary_ctxt_switches in " + status);
    }

    /** The other thread: sleeps until it is its turn, hands the turn back and wakes the measuring thread. */
    private static final class Partner implements Runnable {
        final Thread measuring;
        volatile Path status;
        volatile int turn;
        volatile boolean stop;

        Partner(Thread measuring) {
            this.measuring = measuring;
        }

        @Override
        public void run() {
            try {
                // /proc/thread-self links to PID/task/TID: the measuring thread reads this thread's counters there
                status = Path.of("/proc").resolve(Files.readSymbolicLink(Path.of("/proc/thread-self"))).resolve("status");
            } catch (IOException | UnsupportedOperationException e) {
                status = Path.of("/nonexistent"); // the measurement fails and keeps the typical figure
            }
            while (!stop) {
                while (turn != 1 && !stop) LockSupport.park(this);
                turn = 0;
                LockSupport.unpark(measuring);
            }
        }
    }
}
