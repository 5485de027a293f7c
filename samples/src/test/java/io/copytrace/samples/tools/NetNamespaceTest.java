// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NetNamespaceTest {
    @Test
    void namesAndAddressesComeFromTheId() {
        // when
        NetNamespace ns = NetNamespace.forId(2108);

        // then: 2108 = 32 * 64 + 60, the 60th /30 of 10.213.32.0/24
        assertEquals("copytrace-bench-2108", ns.name());
        assertEquals("ctb2108h", ns.hostInterface());
        assertEquals("ctb2108n", ns.peerInterface());
        assertEquals("10.213.32.241", ns.hostAddress());
        assertEquals("10.213.32.242", ns.peerAddress());
    }

    @Test
    void everyIdGetsAPrivateSlash30WithinTheSlash16() {
        for (long id : new long[] {0, 1, 63, 64, 16_383, 16_384, 4_194_303, 4_194_304}) {
            NetNamespace ns = NetNamespace.forId(id);
            String[] host = ns.hostAddress().split("\\.");
            int last = Integer.parseInt(host[3]);
            assertEquals("10.213", host[0] + "." + host[1]);
            assertEquals(1, last % 4, () -> ns.hostAddress()); // .1 of a /30: network, host, peer, broadcast
            assertTrue(Integer.parseInt(host[2]) < 256);
            assertTrue(ns.hostInterface().length() <= 15, ns::hostInterface); // IFNAMSIZ - 1
        }
        assertNotEquals(NetNamespace.forId(1).peerAddress(), NetNamespace.forId(2).peerAddress());
    }

    @Test
    void setUpMakesTheNamespaceThenThePairThenTheAddresses() {
        // when
        NetNamespace ns = NetNamespace.forId(7);

        // then
        assertEquals(List.of(
                List.of("ip", "netns", "add", "copytrace-bench-7"),
                List.of("ip", "link", "add", "ctb7h", "type", "veth", "peer", "name", "ctb7n", "netns", "copytrace-bench-7"),
                List.of("ip", "addr", "add", "10.213.0.29/30", "dev", "ctb7h"),
                List.of("ip", "link", "set", "ctb7h", "up"),
                List.of("ip", "-n", "copytrace-bench-7", "addr", "add", "10.213.0.30/30", "dev", "ctb7n"),
                List.of("ip", "-n", "copytrace-bench-7", "link", "set", "ctb7n", "up"),
                List.of("ip", "-n", "copytrace-bench-7", "link", "set", "lo", "up")), ns.setUpCommands());
        assertEquals(List.of(List.of("ip", "link", "del", "ctb7h"), List.of("ip", "netns", "del", "copytrace-bench-7")),
                ns.tearDownCommands());
        assertEquals(List.of("ip", "netns", "exec", "copytrace-bench-7", "java", "-version"),
                ns.inside(List.of("java", "-version")));
    }

    @Test
    void receiveProcessingIsSteeredAtBothEndsToOneCpu() {
        // when
        NetNamespace ns = NetNamespace.forId(7);

        // then: the peer end's sysfs from inside the namespace, this end's from here; CPU 1 is mask 2
        assertEquals(List.of(
                List.of("ip", "netns", "exec", "copytrace-bench-7", "sh", "-c", "echo 2 > /sys/class/net/ctb7n/queues/rx-0/rps_cpus"),
                List.of("sh", "-c", "echo 2 > /sys/class/net/ctb7h/queues/rx-0/rps_cpus")), ns.steerReceiveCommands(1));
        assertEquals("1", NetNamespace.rpsMask(0));
        assertEquals("10000000000000000", NetNamespace.rpsMask(64)); // wider than a long
    }

    @Test
    void theCongestionControlIsSetOnBothEndsConnectedRoutes() {
        // when
        NetNamespace ns = NetNamespace.forId(7);

        // then: each end's /30 route, as the kernel made it, with congctl; the peer end's inside the namespace
        assertEquals(List.of(
                List.of("ip", "route", "change", "10.213.0.28/30", "dev", "ctb7h", "proto", "kernel", "scope", "link",
                        "src", "10.213.0.29", "congctl", "cubic"),
                List.of("ip", "-n", "copytrace-bench-7", "route", "change", "10.213.0.28/30", "dev", "ctb7n", "proto",
                        "kernel", "scope", "link", "src", "10.213.0.30", "congctl", "cubic")),
                ns.congestionCommands("cubic"));
    }
}
