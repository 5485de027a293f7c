// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.nic;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;

/**
 * The interface traffic to a peer leaves by, as the kernel's routing picks it: connecting a datagram
 * socket sends nothing but binds the local address the route gives, whose interface is the egress. A peer
 * that is one of this host's own addresses is reached through {@code lo}, whatever interface holds it.
 */
public final class EgressInterface {
    /** The name of the loopback interface, through which the kernel delivers to its own addresses. */
    public static final String LOOPBACK = "lo";

    private EgressInterface() {}

    /** The egress interface's name, or null when the peer is not an IP address or has no route. */
    public static String of(SocketAddress peer) {
        if (!(peer instanceof InetSocketAddress a) || a.isUnresolved()) return null;
        InetAddress ip = a.getAddress();
        try {
            if (ip.isLoopbackAddress() || NetworkInterface.getByInetAddress(ip) != null) return LOOPBACK;
            try (DatagramSocket s = new DatagramSocket()) {
                s.connect(new InetSocketAddress(ip, a.getPort() == 0 ? 9 : a.getPort()));
                NetworkInterface nic = NetworkInterface.getByInetAddress(s.getLocalAddress());
                return nic == null ? null : nic.getName();
            }
        } catch (Exception noRoute) {
            return null;
        }
    }
}
