// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.nic;

/**
 * What one network interface offloads, as {@code ethtool -k} shows it: the features that decide whether
 * sendfile costs the CPU a copy per byte. A feature is null when the kernel would not say.
 *
 * @param name          the interface ({@code lo}, {@code eth0})
 * @param scatterGather {@code scatter-gather}: the NIC sends from a list of pages, so sendfile hands it page
 *                      references instead of copying the bytes into one buffer
 * @param txChecksum    {@code tx-checksumming}: the NIC computes the TCP checksum, so the CPU does not read
 *                      the bytes to checksum them (without it the kernel copies and sums in one pass)
 * @param error         why the features could not be read (no such interface, no ethtool support…), or null
 */
public record Offloads(String name, Boolean scatterGather, Boolean txChecksum, String error) {

    /** Features that could not be read. */
    public static Offloads unreadable(String name, String error) {
        return new Offloads(name, null, null, error);
    }

    /**
     * True when sendfile through this interface copies no byte with the CPU: scatter-gather and TX
     * checksumming both on; null when either is unknown.
     */
    public Boolean zeroCopySendfile() {
        if (scatterGather == null || txChecksum == null) return null;
        return scatterGather && txChecksum;
    }
}
