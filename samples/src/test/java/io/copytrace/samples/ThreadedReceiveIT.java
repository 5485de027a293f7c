// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.samples.tools.NetNamespace;
import io.copytrace.testing.ForkedJvm;
import io.copytrace.testing.Jdk;
import io.copytrace.testing.WorkFolders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code make bench-samples}' receive set-up ({@code --receive=threaded}): with GRO and threaded NAPI on both veth
 * ends, the receiving TCP stack runs in the {@code napi/} kernel threads, not in the NET_RX softirq that the kernel
 * otherwise runs on the sending CPU and charges to the sending JVM. The same 256 MiB sent with and without it.
 */
class ThreadedReceiveIT {
    private static final int MIB = 256;

    @Test
    void threadedNapiTakesTheReceiveProcessingOutOfTheSoftirq() throws Exception {
        Assumptions.assumeTrue(NetNamespace.available(), "needs root and ip");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ethtool")) || Files.isExecutable(Path.of("/sbin/ethtool")),
                "needs ethtool (.ci/run installs it)");

        long[] softirq = send(false);
        long[] threaded = send(true);

        // then: without threads, the NET_RX softirq ran the receive processing (thousands of them); threaded,
        // next to none ran, and the napi threads took CPU time of their own
        assertTrue(softirq[0] > 1_000, "NET_RX softirqs without threaded NAPI: " + softirq[0]);
        assertTrue(threaded[0] * 10 < softirq[0], "NET_RX softirqs threaded: " + threaded[0] + " against " + softirq[0]);
        assertTrue(threaded[1] >= 1_000_000, "the napi threads' CPU, ns: " + threaded[1]);
    }

    /** Sends MIB MiB over a new veth pair; {NET_RX softirqs run meanwhile on every CPU, the napi threads' CPU ns}. */
    private static long[] send(boolean threadReceive) throws Exception {
        NetNamespace ns = NetNamespace.forId(ProcessHandle.current().pid() + (threadReceive ? 1 : 0));
        ns.create();
        ForkedJvm.Running sink = null;
        try {
            if (threadReceive) ns.threadReceive();
            List<Long> napi = threadReceive ? ns.receiveThreads() : List.of();
            sink = ForkedJvm.of(Jdk.current()).in(WorkFolders.create("copytrace-napi-it")).named("sink")
                    .classPath(List.of(System.getProperty("copytrace.samplesClasses", "target/classes")))
                    .under(ns.inside(List.of()))
                    .main("io.copytrace.samples.tools.SinkServer", "--bind=" + ns.peerAddress()).start();
            String control = ns.peerAddress() + ":" + sink.awaitLine("SINK port=").substring("SINK port=".length());
            long netRx0 = netRx();
            Map<Long, Long> napi0 = new HashMap<>();
            for (long pid : napi) napi0.put(pid, NetNamespace.cpuNanos(List.of(pid)));

            SampleRun.Result run = SampleRun.run(Jdk.current(), List.of("-D" + Loopback.REMOTE + "=" + control),
                    "Sample02HeapBufferSend", "--mib=" + MIB);

            assertEquals((long) MIB << 20, run.total("received"), "the sink received every byte");
            long netRxRun = netRx() - netRx0, napiRun = 0;
            // listed again after the run: a napi thread the kernel started meanwhile counts from zero
            for (long pid : threadReceive ? ns.receiveThreads() : List.<Long>of()) {
                long now = NetNamespace.cpuNanos(List.of(pid)), before = napi0.getOrDefault(pid, 0L);
                if (now >= 0 && before >= 0) napiRun += now - before; // -1: the thread went while it was read
            }
            return new long[] {netRxRun, napiRun};
        } finally {
            if (sink != null) sink.kill();
            ns.remove();
        }
    }

    /** NET_RX softirqs run so far, all CPUs together. */
    private static long netRx() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/softirqs"))) {
            String[] f = line.strip().split("\\s+");
            if (f[0].equals("NET_RX:")) return Arrays.stream(f, 1, f.length).mapToLong(Long::parseLong).sum();
        }
        throw new IllegalStateException("no NET_RX line in /proc/softirqs");
    }
}
