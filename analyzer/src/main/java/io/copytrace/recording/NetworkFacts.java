// SPDX-License-Identifier: Apache-2.0
package io.copytrace.recording;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The recording's {@code network} section, as read: each socket peer's egress interface with the offloads and
 * queues the agent read from it, the congestion control of each peer's connection, and whether the host could run
 * kernel TLS. Types are checked before (RecordingReader); here a missing value is unknown.
 *
 * @param egress     socket peer, as recorded → the interface its bytes left by
 * @param congestion socket peer → its route's congestion control, else the host's default (absent: unknown)
 * @param hostTls    the host's kernel TLS facts, or null
 */
record NetworkFacts(Map<String, Nic> egress, Map<String, String> congestion, HostTls hostTls) {
    /** No network section. */
    static final NetworkFacts NONE = new NetworkFacts(Map.of(), Map.of(), null);

    static NetworkFacts read(Map<?, ?> network) {
        Map<String, Nic> nics = new HashMap<>();
        if (network.get("interfaces") instanceof List<?> l) {
            for (Object o : l) {
                if (!(o instanceof Map<?, ?> m) || !(m.get("name") instanceof String name)) continue;
                List<String> queues = null;
                if (m.get("queues") instanceof List<?> q) queues = q.stream().map(String::valueOf).toList();
                nics.put(name, new Nic(name, flag(m.get("scatterGather")), flag(m.get("txChecksum")),
                        m.get("error") instanceof String e ? e : null, queues, null));
            }
        }
        HostTls tls = network.get("kernelTls") instanceof Map<?, ?> k
                ? new HostTls(flag(k.get("moduleLoaded")), flag(k.get("tlsStat"))) : null;
        Map<String, Nic> egress = new HashMap<>();
        if (network.get("egress") instanceof Map<?, ?> peers) {
            peers.forEach((peer, nic) -> {
                if (nic instanceof String name) {
                    egress.put(String.valueOf(peer), nics.getOrDefault(name, new Nic(name, null, null,
                            "not in the recording's interfaces")));
                }
            });
        }
        Map<String, String> congestion = new HashMap<>();
        if (network.get("tcp") instanceof Map<?, ?> tcp) {
            String fallback = tcp.get("defaultCongestionControl") instanceof String d ? d : null;
            Map<?, ?> routes = tcp.get("routeCongestionControl") instanceof Map<?, ?> r ? r : Map.of();
            for (String peer : egress.keySet()) {
                Object cc = routes.get(peer);
                if (cc instanceof String s) congestion.put(peer, s);
                else if (fallback != null) congestion.put(peer, fallback);
            }
        }
        return new NetworkFacts(Map.copyOf(egress), Map.copyOf(congestion), tls);
    }

    /**
     * A socket endpoint with the interfaces its peers' bytes left by, in name order, each with its peers' congestion
     * control (unknown where they differ).
     */
    Endpoint withEgress(Endpoint e) {
        if (egress.isEmpty()) return e;
        Map<String, Nic> used = new TreeMap<>();
        for (String peer : e.names()) {
            Nic nic = egress.get(peer);
            if (nic == null) continue;
            String cc = congestion.get(peer);
            Nic was = used.get(nic.name());
            if (was != null && !java.util.Objects.equals(was.congestion(), cc)) cc = null;
            used.put(nic.name(), nic.withCongestion(cc));
        }
        return used.isEmpty() ? e : new Endpoint(e.kind(), e.names(), List.copyOf(used.values()));
    }

    private static Boolean flag(Object o) {
        return o instanceof Boolean b ? b : null;
    }
}
