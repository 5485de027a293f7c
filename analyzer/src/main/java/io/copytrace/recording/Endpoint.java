// SPDX-License-Identifier: Apache-2.0
package io.copytrace.recording;

import io.copytrace.model.EndpointKind;
import io.copytrace.model.SendOffload;
import java.util.List;

/**
 * One end of a recorded operation: its kind and up to 8 file paths, socket peers or class names, and for a
 * socket the bytes were sent to, the interfaces they left by (empty when not recorded).
 */
public record Endpoint(EndpointKind kind, List<String> names, List<Nic> egress) {
    /** An endpoint without network facts. */
    public Endpoint(EndpointKind kind, List<String> names) {
        this(kind, names, List.of());
    }

    /** Whether sendfile to this endpoint skips the CPU copy, from its egress interfaces. */
    public SendOffload sendOffload() {
        if (egress.isEmpty()) return SendOffload.UNKNOWN;
        boolean allKnown = true;
        for (Nic n : egress) {
            Boolean zero = n.zeroCopySendfile();
            if (Boolean.FALSE.equals(zero)) return SendOffload.CPU_COPY;
            if (zero == null) allKnown = false;
        }
        return allKnown ? SendOffload.SG_DMA : SendOffload.UNKNOWN;
    }

    /** The names joined for a report, or the kind when none were recorded. */
    public String describe() {
        return names.isEmpty() ? kind.wireName() : kind.wireName() + " " + String.join(", ", names);
    }
}
