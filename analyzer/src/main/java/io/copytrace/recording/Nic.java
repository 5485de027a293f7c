// SPDX-License-Identifier: Apache-2.0
package io.copytrace.recording;

/**
 * A network interface recorded bytes left by, with the offloads the agent read from it
 * ({@code SIOCETHTOOL}); a feature is null when unknown, and {@code error} says why.
 */
public record Nic(String name, Boolean scatterGather, Boolean txChecksum, String error) {

    /** True when sendfile through it copies no byte with the CPU; null when not known. */
    public Boolean zeroCopySendfile() {
        if (scatterGather == null || txChecksum == null) return null;
        return scatterGather && txChecksum;
    }

    /** "lo: scatter-gather on, tx-checksumming on", or why the offloads are unknown. */
    public String describe() {
        if (scatterGather == null || txChecksum == null) {
            return name + ": offloads unknown" + (error == null ? "" : " (" + error + ")");
        }
        return name + ": scatter-gather " + onOff(scatterGather) + ", tx-checksumming " + onOff(txChecksum);
    }

    private static String onOff(boolean b) {
        return b ? "on" : "off";
    }
}
