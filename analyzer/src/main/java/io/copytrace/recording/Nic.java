// SPDX-License-Identifier: Apache-2.0
package io.copytrace.recording;

import java.util.List;

/**
 * A network interface recorded bytes left by, with the offloads the agent read from it
 * ({@code SIOCETHTOOL}); a feature is null when unknown, and {@code error} says why. {@code queues} are its
 * queueing disciplines' kinds (rtnetlink; null when not read) and {@code congestion} the TCP congestion control
 * of the recorded connections through it (their routes', else the host's default; null when not known or when
 * they differ).
 */
public record Nic(String name, Boolean scatterGather, Boolean txChecksum, String error, List<String> queues,
                  String congestion) {

    /** An interface with its offloads only. */
    public Nic(String name, Boolean scatterGather, Boolean txChecksum, String error) {
        this(name, scatterGather, txChecksum, error, null, null);
    }

    /** This interface as the connections of one endpoint use it. */
    Nic withCongestion(String congestion) {
        return new Nic(name, scatterGather, txChecksum, error, queues, congestion);
    }

    /** True when sendfile through it copies no byte with the CPU; null when not known. */
    public Boolean zeroCopySendfile() {
        if (scatterGather == null || txChecksum == null) return null;
        return scatterGather && txChecksum;
    }

    /**
     * True when the kernel paces each TCP connection through it with a timer of its own: a BBR congestion control
     * (which asks for pacing) on queues without fq (which would pace for it); null when not known.
     */
    public Boolean kernelPaces() {
        if (congestion == null) return null;
        if (!congestion.startsWith("bbr")) return false;
        if (queues == null) return null;
        return !queues.contains("fq");
    }

    /** "lo: scatter-gather on, tx-checksumming on", or why the offloads are unknown. */
    public String describe() {
        if (scatterGather == null || txChecksum == null) {
            return name + ": offloads unknown" + (error == null ? "" : " (" + error + ")");
        }
        return name + ": scatter-gather " + onOff(scatterGather) + ", tx-checksumming " + onOff(txChecksum);
    }

    /** "lo: congestion control bbr, queues noqueue (no fq)". */
    public String describePacing() {
        String q = queues == null ? "queues unknown"
                : (queues.isEmpty() ? "no queueing discipline" : "queues " + String.join(", ", queues))
                  + (queues.contains("fq") ? "" : " (no fq)");
        return name + ": congestion control " + (congestion == null ? "unknown" : congestion) + ", " + q;
    }

    private static String onOff(boolean b) {
        return b ? "on" : "off";
    }
}
