// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * What one thread hand-off costs on this host: two threads ping-pong through {@link LockSupport#park}/{@code unpark}
 * (what a BlockingQueue's take and put do when the queue is empty or full), both threads' CPU time over both threads'
 * voluntary context switches (their own counters, {@code /proc/self/task/TID/status}), per round of
 * {@link #HAND_OFFS}. Per counted switch, as the relay finding prices the counts the recording has: the waker's
 * unpark (the futex wake) and the sleeper's switch out and back in. Thread CPU, not wall clock: the time a thread
 * sleeps costs nothing.
 *
 * <p>Both threads are pinned to one CPU ({@code taskset}) for the rounds, and the figure is the median round. Why:
 * a round's figure depends on where the scheduler wakes the sleeper, on the waker's CPU (~2.6 µs per switch on the
 * build machine, a 2-vCPU VM) or on the other one (20–40 µs: an idle CPU woken by an interrupt), and unpinned,
 * which one a round got was the machine's phase: even the lowest of 9 rounds was sometimes the dear mode, so the
 * relay samples' prediction moved from report to report. Pinned, every round is the same-CPU mode. That is the
 * low end of what a relay's threads pay: 85–88 % of sample 10's wake-ups stayed on the waker's CPU
 * ({@code perf record -e sched:sched_wakeup}), the other 12–15 % crossed CPUs and cost ~10× more, and the counts
 * cannot tell them apart (docs/samples.md, "What the model does not know"). Where pinning is not possible (no
 * {@code taskset}, not Linux) the figure is the lowest unpinned round, the nearest to the same-CPU mode.
 *
 * <p>The two threads are this calibration's own, started and ended here, so pinning them changes no other
 * thread's affinity. Only ever run in the reporting process ({@link HostCost#measure}), never in the app's JVM.
 */
final class ContextSwitchCost {
    /** Hand-offs each way per round. */
    static final int HAND_OFFS = 2_000;
    /** Rounds: an odd number, for a median. */
    static final int ROUNDS = 9;

    /**
     * A calibration's figure and how it was taken.
     *
     * @param nanosPerSwitch CPU per voluntary context switch
     * @param pinned         both threads were pinned to one CPU (the median round), else the lowest unpinned round
     * @param measuringCpus  the CPUs the measuring thread was allowed after the rounds (from /proc)
     * @param partnerCpus    the CPUs the partner thread was allowed after the rounds (from /proc)
     */
    record Measured(double nanosPerSwitch, boolean pinned, List<Integer> measuringCpus, List<Integer> partnerCpus) {}

    private ContextSwitchCost() {}

    /** The CPU per voluntary context switch, or empty when it cannot be measured here. */
    static Optional<Measured> measure() {
        if (ThreadCpu.of(Thread.currentThread()) < 0) return Optional.empty();
        // the measuring side is a thread of its own too: pinning it cannot change the caller's affinity
        AtomicReference<Optional<Measured>> result = new AtomicReference<>(Optional.empty());
        Thread measuring = new Thread(() -> result.set(measureOnThisThread()), "copytrace-calibration-handoff-measure");
        measuring.setDaemon(true);
        measuring.start();
        try {
            measuring.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return result.get();
    }

    private static Optional<Measured> measureOnThisThread() {
        Partner partner = new Partner(Thread.currentThread());
        Thread t = new Thread(partner, "copytrace-calibration-handoff");
        t.setDaemon(true);
        t.start();
        try {
            Path self = Path.of("/proc").resolve(Files.readSymbolicLink(Path.of("/proc/thread-self")));
            handOff(partner, t, HAND_OFFS); // warm-up: the JIT, the partner's task directory
            boolean pinned = pinBoth(self, partner.task);
            if (pinned) handOff(partner, t, HAND_OFFS); // settle on the one CPU
            double[] rounds = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                long cpu0 = ThreadCpu.now() + ThreadCpu.of(t);
                long switches0 = switches(self) + switches(partner.task);
                handOff(partner, t, HAND_OFFS);
                long cpu = ThreadCpu.now() + ThreadCpu.of(t) - cpu0;
                long switches = switches(self) + switches(partner.task) - switches0;
                rounds[r] = switches > 0 ? (double) cpu / switches : Double.NaN;
            }
            List<Integer> measuringCpus = CpuAffinity.allowed(self.resolve("status"));
            List<Integer> partnerCpus = CpuAffinity.allowed(partner.task.resolve("status"));
            java.util.Arrays.sort(rounds); // NaN (no switch counted) sorts last
            double figure = pinned ? rounds[ROUNDS / 2] : rounds[0];
            return figure > 0 ? Optional.of(new Measured(figure, pinned, measuringCpus, partnerCpus)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } finally {
            partner.stop = true;
            LockSupport.unpark(t);
            try {
                t.join(1_000); // ends with this calibration: no pinned thread left behind
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Pins both threads (their {@code /proc/PID/task/TID} directories) to the first CPU the measuring thread may
     * use; true only when /proc then says each may run on that CPU alone.
     */
    private static boolean pinBoth(Path self, Path partner) {
        List<Integer> allowed = CpuAffinity.allowed(self.resolve("status"));
        if (allowed.isEmpty() || !CpuAffinity.tasksetAvailable()) return false;
        int cpu = allowed.get(0);
        List<Integer> one = List.of(cpu);
        return CpuAffinity.pin(tid(self), cpu) && CpuAffinity.pin(tid(partner), cpu)
                && one.equals(CpuAffinity.allowed(self.resolve("status")))
                && one.equals(CpuAffinity.allowed(partner.resolve("status")));
    }

    private static long tid(Path task) {
        return Long.parseLong(task.getFileName().toString());
    }

    /** {@code n} round trips: wake the partner, sleep until it wakes this thread. */
    private static void handOff(Partner partner, Thread thread, int n) {
        for (int i = 0; i < n; i++) {
            partner.turn = 1;
            LockSupport.unpark(thread);
            while (partner.turn != 0) LockSupport.park(partner);
        }
    }

    /** The voluntary context switches of the thread whose task directory this is. */
    private static long switches(Path task) throws IOException {
        Path status = task.resolve("status");
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("voluntary_ctxt_switches:")) return Long.parseLong(line.substring(24).strip());
        }
        throw new IOException("no voluntary_ctxt_switches in " + status);
    }

    /** The other thread: sleeps until it is its turn, hands the turn back and wakes the measuring thread. */
    private static final class Partner implements Runnable {
        final Thread measuring;
        volatile Path task;
        volatile int turn;
        volatile boolean stop;

        Partner(Thread measuring) {
            this.measuring = measuring;
        }

        @Override
        public void run() {
            try {
                // /proc/thread-self links to PID/task/TID: the measuring thread reads this thread's counters there
                task = Path.of("/proc").resolve(Files.readSymbolicLink(Path.of("/proc/thread-self")));
            } catch (IOException | UnsupportedOperationException e) {
                task = Path.of("/nonexistent"); // the measurement fails and keeps the typical figure
            }
            while (!stop) {
                while (turn != 1 && !stop) LockSupport.park(this);
                turn = 0;
                LockSupport.unpark(measuring);
            }
        }
    }
}
