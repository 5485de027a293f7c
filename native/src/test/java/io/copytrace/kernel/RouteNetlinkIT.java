// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.kernel.nic.RouteNetlink;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** rtnetlink's answers against {@code tc qdisc show} and {@code ip route get} (iproute2, installed by .ci/run). */
class RouteNetlinkIT {

    @Test
    void everyInterfacesQueuesReadAsTcShowsThem() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/tc")) || Files.isExecutable(Path.of("/sbin/tc")),
                "tc is not installed (.ci/run installs iproute2)");
        // given: tc's view, by interface name
        Map<String, List<String>> shown = new TreeMap<>();
        for (String line : run("tc", "qdisc", "show").split("\n")) {
            String[] w = line.trim().split("\\s+"); // qdisc KIND HANDLE: dev IFACE ...
            if (w.length < 5 || !w[0].equals("qdisc") || !w[3].equals("dev")) continue;
            shown.computeIfAbsent(w[4], i -> new ArrayList<>()).add(w[1]);
        }

        // when
        Map<String, List<String>> read = RouteNetlink.queueKinds();

        // then: every interface tc shows, as it shows it (interfaces without a queueing discipline read empty)
        Map<String, List<String>> withQueues = new TreeMap<>(read);
        withQueues.values().removeIf(List::isEmpty);
        assertEquals(shown, withQueues);
        assertTrue(!read.getOrDefault("lo", List.of()).isEmpty(), read.toString());
    }

    @Test
    void aRouteWithoutCongctlSetsNone() throws Exception {
        assertNull(RouteNetlink.routeCongestion(InetAddress.getByName("127.0.0.1")));
        if (Files.exists(Path.of("/proc/net/if_inet6"))) {
            assertNull(RouteNetlink.routeCongestion(InetAddress.getByName("::1")));
        }
    }

    @Test
    void aRoutesCongctlIsReadAsIpRouteGetShowsIt() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "a veth pair and its route need root");
        String host = "ctrn" + ProcessHandle.current().pid() % 100_000;
        try {
            run("ip", "link", "add", host, "type", "veth", "peer", "name", host + "p");
            run("ip", "addr", "add", "10.214.7.1/30", "dev", host);
            run("ip", "link", "set", host, "up");
            run("ip", "route", "change", "10.214.7.0/30", "dev", host, "proto", "kernel", "scope", "link", "src",
                    "10.214.7.1", "congctl", "reno");
            String shown = run("ip", "route", "get", "10.214.7.2");
            assertTrue(shown.contains("congctl reno"), shown);

            assertEquals("reno", RouteNetlink.routeCongestion(InetAddress.getByName("10.214.7.2")));

            run("ip", "route", "change", "10.214.7.0/30", "dev", host, "proto", "kernel", "scope", "link", "src",
                    "10.214.7.1");
            assertNull(RouteNetlink.routeCongestion(InetAddress.getByName("10.214.7.2")));
        } finally {
            new ProcessBuilder("ip", "link", "del", host).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + ": " + out);
        return out;
    }
}
