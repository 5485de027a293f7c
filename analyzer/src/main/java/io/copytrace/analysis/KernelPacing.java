// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.recording.Endpoint;
import io.copytrace.recording.Nic;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Whether the kernel paces a socket's TCP connections with a timer each, and the reports' one wording of it: BBR
 * asks for pacing, and without an fq queue to pace for it TCP arms a timer of its own at every pause. That costs
 * the sending CPU on every send, sendfile's too, and no estimate here prices it: on copytrace's 2-vCPU test VM a
 * sendfile sender's thread took 165–574 ms per GiB under BBR against 55–126 under cubic (docs/findings.md).
 */
final class KernelPacing {
    private KernelPacing() {}

    /** Adds the {@code pacing} line for {@code socket} to {@code evidence} when the kernel paces its connections. */
    static void note(Evidence.Builder evidence, Endpoint socket) {
        Prose pacing = line(socket);
        if (pacing != null) evidence.put("pacing", "TCP pacing", pacing);
    }

    /** The line for {@code socket}, or null when none of its interfaces is known to be paced by the kernel. */
    static Prose line(Endpoint socket) {
        List<Nic> paced = socket.egress().stream().filter(n -> Boolean.TRUE.equals(n.kernelPaces())).toList();
        if (paced.isEmpty()) return null;
        return Prose.of(paced.stream().map(Nic::describePacing).collect(Collectors.joining("; ")))
                .text(" → the kernel paces each connection with a timer of its own, CPU every send pays (sendfile's"
                        + " too) that no estimate here prices (on copytrace's 2-vCPU test VM a sendfile sender took"
                        + " 165–574 ms per GiB under BBR against 55–126 under cubic); an fq queueing discipline would"
                        + " pace for it (tc qdisc replace dev IFACE root fq)")
                .fact(Figure.EGRESS, paced.stream().map(Nic::name).toList())
                .fact(Figure.CONGESTION_CONTROL, paced.stream().map(Nic::congestion).distinct().toList());
    }
}
