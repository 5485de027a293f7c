// SPDX-License-Identifier: Apache-2.0
package io.copytrace.recording;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The recording's {@code network} section, as read: each socket peer's egress interface with the offloads the
 * agent read from it, and whether the host could run kernel TLS. Types are checked before (RecordingReader);
 * here a missing value is unknown.
 *
 * @param egress  socket peer, as recorded → the interface its bytes left by
 * @param hostTls the host's kernel TLS facts, or null
 */
record NetworkFacts(Map<String, Nic> egress, HostTls hostTls) {
    /** No network section. */
    static final NetworkFacts NONE = new NetworkFacts(Map.of(), null);

    static NetworkFacts read(Map<?, ?> network) {
        Map<String, Nic> nics = new HashMap<>();
        if (network.get("interfaces") instanceof List<?> l) {
            for (Object o : l) {
                if (!(o instanceof Map<?, ?> m) || !(m.get("name") instanceof String name)) continue;
                nics.put(name, new Nic(name, flag(m.get("scatterGather")), flag(m.get("txChecksum")),
                        m.get("error") instanceof String e ? e : null));
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
        return new NetworkFacts(Map.copyOf(egress), tls);
    }

    /** A socket endpoint with the interfaces its peers' bytes left by, in name order. */
    Endpoint withEgress(Endpoint e) {
        if (egress.isEmpty()) return e;
        Map<String, Nic> used = new TreeMap<>();
        for (String peer : e.names()) {
            Nic nic = egress.get(peer);
            if (nic != null) used.put(nic.name(), nic);
        }
        return used.isEmpty() ? e : new Endpoint(e.kind(), e.names(), List.copyOf(used.values()));
    }

    private static Boolean flag(Object o) {
        return o instanceof Boolean b ? b : null;
    }
}
