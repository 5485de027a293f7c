// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static io.copytrace.agent.RecordingView.analyzed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.analysis.Finding;
import io.copytrace.testing.Jdk;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * sendfile's CPU copies come from the egress interface's offloads, read by the agent with the ethtool ioctl
 * and checked here against the {@code ethtool -k} binary: loopback (scatter-gather and TX checksumming on:
 * 0 per byte), and a veth pair into a network namespace with scatter-gather switched off (1) and on (0); and the
 * facts TCP pacing depends on (the route's congestion control, the interface's queues) against ip and tc.
 */
class NicOffloadsIT {
    private static final long BYTES = 8 << 20;
    private static final AtomicInteger NETS = new AtomicInteger();

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void loopbackOffloadsMakeSendfileZeroCopy(Jdk jdk) throws Exception {
        try (LoopbackSink sink = new LoopbackSink()) {
            // when: an 8 MiB file goes to a loopback peer with transferTo, default options
            AgentRun.Result run = AgentRun.on(jdk).agent("").jvm("-Dpeer=127.0.0.1:" + sink.port()).run("peer-send");

            // then: the peer's egress is lo, whose offloads the agent read as ethtool shows them
            assertEquals(0, run.exit(), run.stderr());
            assertEquals(BYTES, run.truth().get("bytes"));
            assertEquals(BYTES, sink.received());
            RecordingView rec = run.recording();
            assertEquals(Map.of("/127.0.0.1:" + sink.port(), "lo"), rec.section("network").get("egress"));
            assertInterface(rec, "lo", ethtool("lo", null));
            Map<String, Object> t = rec.one("file.transferTo", "PeerSend.run");
            assertEquals(0.0, analyzed(t).cpuCopiesPerByte(), "sendfile with scatter-gather and tx-checksumming on lo");
            assertTrue(zeroCopyNote(rec).contains("lo: scatter-gather on, tx-checksumming on → 0 CPU copies per byte"),
                    zeroCopyNote(rec));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void aServiceWhoseSocketsWriteLateHasItsInterfacesReadBeforeItsExit(Jdk jdk) throws Exception {
        try (LoopbackSink sink = new LoopbackSink()) {
            // when: the first socket write comes after the agent's warm-up, and the JVM ends 2.5 s later
            AgentRun.Result run = AgentRun.on(jdk).agent("").jvm("-Dpeer=127.0.0.1:" + sink.port())
                    .jvm("-Dpeer.delayMs=1500").jvm("-Dpeer.afterMs=2500").run("peer-send");

            // then: the offloads were read (JNA loaded for the ioctl) while the app ran, not in its exit's close
            assertEquals(0, run.exit(), run.stderr());
            assertEquals(1L, run.truth().get("jnaBeforeClose"), "JNA mapped before main ended");
            assertInterface(run.recording(), "lo", ethtool("lo", null));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void withKernelOffTheAgentDoesNotLookAndTheModelCountsOneCopy(Jdk jdk) throws Exception {
        try (LoopbackSink sink = new LoopbackSink()) {
            AgentRun.Result run = AgentRun.on(jdk).agent("kernel=off").jvm("-Dpeer=127.0.0.1:" + sink.port())
                    .run("peer-send");

            assertEquals(0, run.exit(), run.stderr());
            RecordingView rec = run.recording();
            Map<String, Object> lo = onlyInterface(rec);
            assertEquals("offloads not read (kernel=off)", lo.get("error"));
            assertEquals(1.0, analyzed(rec.one("file.transferTo", "PeerSend.run")).cpuCopiesPerByte());
            assertTrue(zeroCopyNote(rec).contains("0 with a scatter/gather-DMA NIC (lo: offloads unknown"),
                    zeroCopyNote(rec));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void scatterGatherOffOnTheEgressVethCostsOneCopyPerByte(Jdk jdk) throws Exception {
        Assumptions.assumeTrue(canMakeNetworks(), "needs root, ip and ethtool (.ci/run installs them)");
        Veth veth = Veth.create();
        String host = veth.host(), net = veth.net();
        try {
            for (boolean sg : new boolean[] {false, true}) {
                // given: scatter-gather switched on or off on the interface the bytes leave by
                sh("ethtool", "-K", host, "sg", sg ? "on" : "off");

                // when
                RecordingView rec = veth.send(jdk);

                // then: the agent names the veth and reads what ethtool shows; the model follows the fact
                assertEquals(Map.of("/" + net + "2:7070", host), rec.section("network").get("egress"));
                Map<String, Object> nic = assertInterface(rec, host, ethtool(host, null));
                assertEquals(sg, nic.get("scatterGather"));
                double copies = analyzed(rec.one("file.transferTo", "PeerSend.run")).cpuCopiesPerByte();
                assertEquals(sg ? 0.0 : 1.0, copies, host + " sg " + sg);
                String expected = host + ": scatter-gather " + (sg ? "on" : "off") + ", tx-checksumming on → "
                        + (sg ? "0 CPU copies" : "1 CPU copy") + " per byte";
                assertTrue(zeroCopyNote(rec).contains(expected), zeroCopyNote(rec));
            }
        } finally {
            veth.delete();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void bbrOnAnEgressWithoutFqIsPacedByTheKernelAndTheReportSaysSo(Jdk jdk) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) && onPath("ip") && onPath("tc"),
                "needs root, ip and tc (.ci/run installs iproute2)");
        Assumptions.assumeTrue(Files.readString(Path.of("/proc/sys/net/ipv4/tcp_available_congestion_control"))
                .contains("bbr"), "this kernel offers no bbr");
        Veth veth = Veth.create();
        String host = veth.host(), net = veth.net();
        try {
            String queues = sh("tc", "qdisc", "show", "dev", host);
            for (String congestion : new String[] {"bbr", "reno"}) {
                // given: the route to the peer sets the congestion control (whatever the host's default)
                sh("ip", "route", "change", net + "0/24", "dev", host, "proto", "kernel", "scope", "link", "src",
                        net + "1", "congctl", congestion);

                // when
                RecordingView rec = veth.send(jdk);

                // then: the route's congestion control and the interface's queues, as ip and tc show them
                Map<?, ?> tcp = (Map<?, ?>) rec.section("network").get("tcp");
                assertEquals(Map.of("/" + net + "2:7070", congestion), tcp.get("routeCongestionControl"),
                        tcp.toString());
                List<?> kinds = (List<?>) onlyInterface(rec).get("queues");
                assertEquals(1, kinds.size(), kinds + " against " + queues);
                assertTrue(queues.startsWith("qdisc " + kinds.get(0) + " "), kinds + " against " + queues);
                // and the sendfile finding says the kernel paces it under bbr (no fq here), not under reno
                List<String> pacing = rec.findings("zero-copy").get(0).evidence().lines().stream()
                        .filter(l -> l.name().equals("pacing")).map(l -> l.text()).toList();
                if (congestion.equals("bbr")) {
                    assertEquals(1, pacing.size(), rec.findings("zero-copy").toString());
                    assertTrue(pacing.get(0).contains(host + ": congestion control bbr, queues " + kinds.get(0)
                            + " (no fq) → the kernel paces each connection"), pacing.get(0));
                } else {
                    assertEquals(List.of(), pacing);
                }
            }
        } finally {
            veth.delete();
        }
    }

    /**
     * A veth pair into a network namespace of its own: this end {@code host} holds {@code net}1/24, the namespace's
     * end {@code net}2, where {@link #send}'s receiver listens on port 7070.
     */
    private record Veth(String ns, String host, String net) {
        static Veth create() throws Exception {
            int n = NETS.incrementAndGet();
            Veth v = new Veth("ctns" + ProcessHandle.current().pid() + "x" + n,
                    "ctv" + ProcessHandle.current().pid() % 100_000 + "x" + n, "10.213." + (n % 250) + ".");
            try {
                sh("ip", "netns", "add", v.ns);
                sh("ip", "link", "add", v.host, "type", "veth", "peer", "name", v.host + "p");
                sh("ip", "link", "set", v.host + "p", "netns", v.ns);
                sh("ip", "addr", "add", v.net + "1/24", "dev", v.host);
                sh("ip", "link", "set", v.host, "up");
                sh("ip", "netns", "exec", v.ns, "ip", "addr", "add", v.net + "2/24", "dev", v.host + "p");
                sh("ip", "netns", "exec", v.ns, "ip", "link", "set", v.host + "p", "up");
            } catch (Throwable t) {
                v.delete();
                throw t;
            }
            return v;
        }

        /** {@code PeerSend}'s 8 MiB sent to a receiver in the namespace under the agent (default options). */
        RecordingView send(Jdk jdk) throws Exception {
            Process sink = new ProcessBuilder("ip", "netns", "exec", ns, jdk.java().toString(), "-cp",
                    AgentRun.classPath(), "io.copytrace.agent.workloads.PeerSend", net + "2", "7070")
                    .redirectErrorStream(true).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(sink.getInputStream(),
                        StandardCharsets.UTF_8));
                assertEquals("listening", out.readLine());
                AgentRun.Result run = AgentRun.on(jdk).agent("").jvm("-Dpeer=" + net + "2:7070").run("peer-send");
                assertEquals(0, run.exit(), run.stderr());
                assertEquals("received " + BYTES, out.readLine());
                return run.recording();
            } finally {
                sink.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }

        void delete() throws Exception {
            new ProcessBuilder("ip", "netns", "del", ns).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The note of the zero-copy finding's path: what sendfile costs on this host and why. */
    private static String zeroCopyNote(RecordingView rec) throws Exception {
        List<Finding> good = rec.findings("zero-copy");
        assertEquals(1, good.size(), good.toString());
        return good.get(0).paths().get(0).note();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> onlyInterface(RecordingView rec) {
        List<Map<String, Object>> nics = (List<Map<String, Object>>) rec.section("network").get("interfaces");
        assertEquals(1, nics.size(), nics.toString());
        return nics.get(0);
    }

    /** The recording's entry for {@code name}, equal to what ethtool said. */
    private static Map<String, Object> assertInterface(RecordingView rec, String name, Map<String, Boolean> truth) {
        Map<String, Object> nic = onlyInterface(rec);
        assertEquals(name, nic.get("name"));
        for (Map.Entry<String, Boolean> e : truth.entrySet()) assertEquals(e.getValue(), nic.get(e.getKey()), e.getKey());
        return nic;
    }

    /** {@code ethtool -k} as the recording names the features (the binary itself, when installed). */
    static Map<String, Boolean> ethtool(String nic, String netns) throws Exception {
        Assumptions.assumeTrue(onPath("ethtool"), "ethtool is not installed (.ci/run installs it)");
        String text = sh(netns == null ? new String[] {"ethtool", "-k", nic}
                : new String[] {"ip", "netns", "exec", netns, "ethtool", "-k", nic});
        return Map.of("scatterGather", feature(text, "scatter-gather"), "txChecksum", feature(text, "tx-checksumming"));
    }

    private static boolean feature(String ethtool, String name) {
        for (String line : ethtool.split("\n")) {
            if (line.startsWith(name + ": ")) return line.substring(name.length() + 2).startsWith("on");
        }
        throw new AssertionError("ethtool shows no " + name + ":\n" + ethtool);
    }

    private static boolean canMakeNetworks() {
        return "root".equals(System.getProperty("user.name")) && onPath("ip") && onPath("ethtool");
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    private static String sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    /** A loopback peer in this JVM that reads one connection to its end. */
    private static final class LoopbackSink implements AutoCloseable {
        private final ServerSocket server = new ServerSocket();
        private final AtomicLong received = new AtomicLong(-1);
        private final Thread reader;

        LoopbackSink() throws Exception {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            reader = new Thread(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    byte[] buf = new byte[64 << 10];
                    long n = 0;
                    for (int r; (r = in.read(buf)) > 0; ) n += r;
                    received.set(n);
                } catch (Exception closed) {
                    // the test failed before a peer came
                }
            });
            reader.start();
        }

        int port() {
            return server.getLocalPort();
        }

        long received() throws InterruptedException {
            reader.join(30_000);
            return received.get();
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }
}
