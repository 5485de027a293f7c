// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.kernel.nic.EgressInterface;
import io.copytrace.kernel.nic.Ethtool;
import io.copytrace.kernel.nic.Offloads;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The ethtool ioctl against the ethtool binary, and the egress interface against {@code ip route get}. */
class EthtoolIT {

    @Test
    void everyInterfaceReadsAsEthtoolShowsIt() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ethtool")) || Files.isExecutable(Path.of("/sbin/ethtool")),
                "ethtool is not installed (.ci/run installs it)");
        List<Offloads> all = Ethtool.readAll();
        assertTrue(all.stream().anyMatch(o -> o.name().equals("lo")), all.toString());
        for (Offloads o : all) {
            String shown = run("ethtool", "-k", o.name());
            assertEquals(feature(shown, "scatter-gather"), o.scatterGather(), o.name() + "\n" + shown);
            assertEquals(feature(shown, "tx-checksumming"), o.txChecksum(), o.name() + "\n" + shown);
            assertNull(o.error(), o.toString());
        }
        Offloads lo = all.stream().filter(o -> o.name().equals("lo")).findFirst().orElseThrow();
        assertEquals(Boolean.TRUE, lo.zeroCopySendfile(), "loopback reports both offloads on (fixed)");
    }

    @Test
    void anInterfaceThatIsNotThereSaysWhy() {
        Offloads none = Ethtool.read(List.of("ctnosuch0")).get(0);
        assertNull(none.scatterGather());
        assertEquals("SIOCETHTOOL: no such device (ENODEV)", none.error());
        assertNull(none.zeroCopySendfile());
    }

    @Test
    void egressIsTheRoutesDevice() throws Exception {
        assertEquals("lo", EgressInterface.of(new InetSocketAddress("127.0.0.1", 80)));
        // this host's own addresses are delivered through lo, whatever interface holds them
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (var a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof java.net.Inet4Address) assertEquals("lo", EgressInterface.of(new InetSocketAddress(a, 80)));
            }
        }
        for (String peer : List.of("192.0.2.1", "198.51.100.7", "10.255.255.1")) {
            Process p = new ProcessBuilder("ip", "route", "get", peer).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            String expected = p.exitValue() != 0 ? null : word(out, "dev");
            assertEquals(expected, EgressInterface.of(new InetSocketAddress(peer, 443)), peer + ": " + out);
        }
    }

    private static String word(String text, String after) {
        String[] w = text.trim().split("\\s+");
        for (int i = 0; i + 1 < w.length; i++) if (w[i].equals(after)) return w[i + 1];
        return null;
    }

    private static Boolean feature(String ethtool, String name) {
        for (String line : ethtool.split("\n")) {
            if (line.startsWith(name + ": ")) return line.substring(name.length() + 2).startsWith("on");
        }
        throw new AssertionError("no " + name + " in\n" + ethtool);
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + ": " + out);
        return out;
    }
}
