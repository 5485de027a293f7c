// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The sending JVM's CPU with the receiver's share taken out, from a {@code perf record} of that JVM.
 *
 * <p>Over veth (as over loopback) the receiving TCP stack runs in the NET_RX softirq, and this kernel (no
 * {@code CONFIG_IRQ_TIME_ACCOUNTING}) charges a softirq to whichever task it interrupts: the sender's process CPU
 * took the receiver's work in some runs and not in others (~200 ms per GiB; docs/samples.md). Here every thread
 * of the JVM is sampled on its own CPU clock ({@code cpu-clock}, one sample per {@link #PERIOD_NANOS} of CPU, with
 * the kernel's call chain), and a sample counts as the sender's unless it was taken in the NET_RX softirq's action
 * ({@code net_rx_action} in its chain). So the figure leaves out the receive processing wherever it ran, and with
 * it the sender's own ACK processing when that ran in the same softirq (~2 % of those samples in the runs of
 * session 20: {@code tcp_ack}). Samples taken while interrupts were off land where they are switched back on: those
 * on the softirq loop's own frames ({@code handle_softirqs}, mostly entered on a timer interrupt's exit) stay the
 * sender's. Of the sender's samples, those whose chain holds {@code tcp_write_xmit} switching interrupts back on are
 * counted apart ({@link Split#heldOffSamples}): a sender TCP paces in the kernel (BBR without fq) arms its pacing
 * timer there, and in this VM a sendfile sender piled up samples there (docs/samples.md, session 23); each row prints
 * them. One sample per millisecond: at ten per millisecond perf's own work added ~30 % to the copy-heavy sender's CPU
 * (sample 02) and little to the fixed one's.
 */
final class SenderCpu {
    /** CPU time per sample: 1 ms. */
    static final long PERIOD_NANOS = 1_000_000;

    /** The NET_RX softirq's action: the receive processing runs under it. */
    private static final String RECEIVE = "net_rx_action";
    /** A sample taken where {@link #HELD_OFF_IN} switched interrupts back on has this frame right below it. */
    private static final String INTERRUPTS_ON = "_raw_spin_unlock_irqrestore";
    private static final String HELD_OFF_IN = "tcp_write_xmit";

    /** The key prefix of a run's sender CPU by thread group ({@link #measure}): {@code time.sender-cpu-ns@broker-fetch-}. */
    static final String BY_THREADS = "time.sender-cpu-ns@";
    /** The key of a run's sender CPU in samples taken where {@code tcp_write_xmit} switched interrupts back on. */
    static final String HELD_OFF_KEY = "time.xmit-held-off-ns";

    /**
     * A measured run's samples: all of them, those taken in the receive processing, the sender's (the others) by
     * thread group (the thread's name less its trailing digits, as perf gives it: 15 characters at most), and the
     * sender's taken where {@code tcp_write_xmit} switched interrupts back on (the sample on the unlock itself or on
     * the softirqs a timer interrupt held off until then ran).
     */
    record Split(long samples, long receiveSamples, Map<String, Long> senderByThreads, long heldOffSamples) {
        Split(long samples, long receiveSamples) {
            this(samples, receiveSamples, Map.of(), 0);
        }

        long cpuNanos() {
            return samples * PERIOD_NANOS;
        }

        long receiveNanos() {
            return receiveSamples * PERIOD_NANOS;
        }

        long heldOffNanos() {
            return heldOffSamples * PERIOD_NANOS;
        }

        /** The sender's CPU: every sample not taken in the receive processing. */
        long senderNanos() {
            return (samples - receiveSamples) * PERIOD_NANOS;
        }
    }

    private SenderCpu() {}

    /** True when {@code perf record} can sample a command's kernel call chains here (root, perf installed). */
    static boolean usable() {
        try {
            Path data = Files.createTempFile("copytrace-perf", ".data");
            try {
                Process p = new ProcessBuilder(wrap(List.of("true"), data)).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
            } finally {
                Files.deleteIfExists(data);
            }
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** {@code command} run under {@code perf record}, its samples written to {@code data}. */
    static List<String> wrap(List<String> command, Path data) {
        List<String> cmd = new ArrayList<>(List.of("perf", "record", "-q", "-e", "cpu-clock", "-c",
                String.valueOf(PERIOD_NANOS), "-g", "--kernel-callchains", "--clockid", "monotonic", "-o",
                data.toString(), "--"));
        cmd.addAll(command);
        return cmd;
    }

    /**
     * The runs' totals with the sender's CPU added from {@code data}: {@code time.sampled-cpu-ns} (every sample
     * in the run's window: the process CPU again, sampled), {@code time.net-rx-ns}, {@code time.sender-cpu-ns} and
     * {@code time.xmit-held-off-ns} (part of the sender's).
     * A run's window is {@code time.start-ns} to {@code time.start-ns + time.wall-ns} (the monotonic clock, which
     * perf was told to use).
     */
    static List<Map<String, Long>> measure(Path data, List<Map<String, Long>> runs) throws IOException,
            InterruptedException {
        long[][] windows = windows(runs);
        Process p = new ProcessBuilder("perf", "script", "--ns", "-i", data.toString(), "-F", "comm,tid,time,ip,sym")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<Split> splits;
        try (Reader out = new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)) {
            splits = split(new BufferedReader(out), windows);
        }
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("perf script failed on " + data);
        List<Map<String, Long>> measured = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Map<String, Long> run = new LinkedHashMap<>(runs.get(i));
            run.put("time.sampled-cpu-ns", splits.get(i).cpuNanos());
            run.put("time.net-rx-ns", splits.get(i).receiveNanos());
            run.put("time.sender-cpu-ns", splits.get(i).senderNanos());
            run.put(HELD_OFF_KEY, splits.get(i).heldOffNanos());
            splits.get(i).senderByThreads().forEach((group, n) -> run.put(BY_THREADS + group, n * PERIOD_NANOS));
            measured.add(run);
        }
        return measured;
    }

    private static long[][] windows(List<Map<String, Long>> runs) {
        long[][] windows = new long[runs.size()][];
        for (int i = 0; i < runs.size(); i++) {
            Long start = runs.get(i).get("time.start-ns"), wall = runs.get(i).get("time.wall-ns");
            if (start == null || wall == null) throw new IllegalArgumentException("a run without its window: " + runs.get(i));
            windows[i] = new long[] {start, start + wall};
        }
        return windows;
    }

    /**
     * Each window's samples, from {@code perf script -F comm,tid,time,ip,sym} output (or {@code tid,time,ip,sym}: no
     * thread groups): a sample is a line {@code COMM TID SECONDS.NANOS:} followed by its call chain, one
     * {@code \tADDRESS SYMBOL} line per frame, and a blank line.
     */
    static List<Split> split(BufferedReader script, long[][] windows) throws IOException {
        long[] all = new long[windows.length], receive = new long[windows.length], heldOff = new long[windows.length];
        List<Map<String, Long>> byThreads = new ArrayList<>();
        for (int i = 0; i < windows.length; i++) byThreads.add(new TreeMap<>());
        int window = -1;
        String group = "";
        boolean inReceive = false, inHeldOff = false;
        String below = "";
        for (String line = script.readLine(); ; line = script.readLine()) {
            if (line == null || line.isBlank()) { // a sample ends
                if (window >= 0) {
                    all[window]++;
                    if (inReceive) {
                        receive[window]++;
                    } else {
                        if (!group.isEmpty()) byThreads.get(window).merge(group, 1L, Long::sum);
                        if (inHeldOff) heldOff[window]++;
                    }
                }
                if (line == null) break;
                window = -1;
                inReceive = false;
                inHeldOff = false;
                below = "";
            } else if (line.charAt(0) == '\t') {
                String frame = line.strip();
                String symbol = frame.substring(frame.indexOf(' ') + 1);
                inReceive |= symbol.equals(RECEIVE);
                inHeldOff |= symbol.equals(HELD_OFF_IN) && below.equals(INTERRUPTS_ON);
                below = symbol;
            } else {
                String[] parts = line.strip().split("\\s+");
                window = windowOf(time(parts, line), windows);
                group = parts.length > 2 ? threadGroup(String.join(" ", Arrays.copyOf(parts, parts.length - 2))) : "";
            }
        }
        List<Split> splits = new ArrayList<>();
        for (int i = 0; i < windows.length; i++) {
            splits.add(new Split(all[i], receive[i], byThreads.get(i), heldOff[i]));
        }
        return splits;
    }

    /** A thread's name less its trailing digits: the broker's fetch threads {@code broker-fetch-1, -2} are one group. */
    static String threadGroup(String comm) {
        int end = comm.length();
        while (end > 1 && Character.isDigit(comm.charAt(end - 1))) end--;
        return comm.substring(0, end);
    }

    /** The time of a sample's first line, split at its blanks ({@code [COMM] TID SECONDS.NANOS:}), in nanoseconds. */
    private static long time(String[] parts, String header) {
        String time = parts[parts.length - 1];
        if (!time.endsWith(":")) throw new IllegalArgumentException("not a sample's first line: " + header);
        int dot = time.indexOf('.');
        return Long.parseLong(time.substring(0, dot)) * 1_000_000_000L
                + Long.parseLong(time.substring(dot + 1, time.length() - 1));
    }

    private static int windowOf(long time, long[][] windows) {
        for (int i = 0; i < windows.length; i++) if (windows[i][0] <= time && time <= windows[i][1]) return i;
        return -1;
    }
}
