// SPDX-License-Identifier: Apache-2.0
package io.copytrace.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.copytrace.model.EndpointKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkFactsTest {
    /** Three peers: two through lo (one whose route sets cubic), one through an interface with fq under mq. */
    private static final Map<String, Object> NETWORK = Map.of(
            "egress", Map.of("/127.0.0.1:1", "lo", "/127.0.0.1:2", "lo", "/10.0.0.2:3", "eth0"),
            "interfaces", List.of(
                    Map.of("name", "lo", "scatterGather", true, "txChecksum", true, "queues", List.of("noqueue")),
                    Map.of("name", "eth0", "scatterGather", true, "txChecksum", true,
                            "queues", List.of("mq", "fq", "fq"))),
            "tcp", Map.of("defaultCongestionControl", "bbr",
                    "routeCongestionControl", Map.of("/127.0.0.1:2", "cubic")));

    @Test
    void aConnectionTakesItsRoutesCongestionControlElseTheDefault() {
        NetworkFacts facts = NetworkFacts.read(NETWORK);

        assertEquals("bbr", nic(facts, "/127.0.0.1:1").congestion());
        assertEquals("cubic", nic(facts, "/127.0.0.1:2").congestion());
        assertEquals("bbr", nic(facts, "/10.0.0.2:3").congestion());
        // two peers through one interface with different ones: unknown
        Endpoint both = facts.withEgress(new Endpoint(EndpointKind.SOCKET, List.of("/127.0.0.1:1", "/127.0.0.1:2")));
        assertNull(both.egress().get(0).congestion());
        assertNull(both.egress().get(0).kernelPaces());
    }

    @Test
    void theKernelPacesBbrUnlessAnFqQueuePacesForIt() {
        NetworkFacts facts = NetworkFacts.read(NETWORK);

        assertEquals(Boolean.TRUE, nic(facts, "/127.0.0.1:1").kernelPaces()); // bbr on noqueue
        assertEquals(Boolean.FALSE, nic(facts, "/127.0.0.1:2").kernelPaces()); // cubic asks for no pacing
        assertEquals(Boolean.FALSE, nic(facts, "/10.0.0.2:3").kernelPaces()); // fq paces for bbr
        assertEquals("lo: congestion control bbr, queues noqueue (no fq)", nic(facts, "/127.0.0.1:1").describePacing());
        // queues not read (kernel=off): not known
        assertNull(new Nic("lo", true, true, null, null, "bbr").kernelPaces());
        assertEquals(Boolean.FALSE, new Nic("lo", true, true, null, null, "cubic").kernelPaces());
    }

    @Test
    void withoutTheTcpSectionTheCongestionControlIsUnknown() {
        NetworkFacts facts = NetworkFacts.read(Map.of("egress", Map.of("/127.0.0.1:1", "lo"),
                "interfaces", List.of(Map.of("name", "lo", "queues", List.of("noqueue")))));

        assertNull(nic(facts, "/127.0.0.1:1").congestion());
        assertNull(nic(facts, "/127.0.0.1:1").kernelPaces());
    }

    private static Nic nic(NetworkFacts facts, String peer) {
        List<Nic> egress = facts.withEgress(new Endpoint(EndpointKind.SOCKET, List.of(peer))).egress();
        assertEquals(1, egress.size(), egress.toString());
        return egress.get(0);
    }
}
