// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.proc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sockets by inode, from {@code /proc/net/tcp}, {@code tcp6}, {@code udp}, {@code udp6} and
 * {@code unix}: the way to name the peer of a {@code socket:[inode]} descriptor without touching it.
 */
public final class SocketTable {
    /** One socket: protocol ("tcp", "tcp6", "udp", "udp6", "unix"), addresses as "ip:port" (or a path). */
    public record Entry(String protocol, String local, String peer) {
    }

    private static final String[] INET_FILES = {"tcp", "tcp6", "udp", "udp6"};

    private final Map<Long, Entry> byInode;

    private SocketTable(Map<Long, Entry> byInode) {
        this.byInode = byInode;
    }

    /** Reads every table under {@code procNet} (normally {@code /proc/self/net}); unreadable ones are skipped. */
    public static SocketTable read(Path procNet) {
        Map<Long, Entry> all = new LinkedHashMap<>();
        for (String protocol : INET_FILES) {
            try {
                all.putAll(parseInet(protocol, ProcSnapshot.readString(procNet.resolve(protocol))));
            } catch (IOException | RuntimeException e) {
                // IPv6 disabled, or a hardened /proc: that table is simply unknown.
            }
        }
        try {
            all.putAll(parseUnix(ProcSnapshot.readString(procNet.resolve("unix"))));
        } catch (IOException | RuntimeException e) {
            // As above.
        }
        return new SocketTable(all);
    }

    /** The socket with this inode, or null. */
    public Entry find(long inode) {
        return byInode.get(inode);
    }

    public int size() {
        return byInode.size();
    }

    /** Parses one tcp/udp table (v4 or v6); inode is the tenth column. */
    public static Map<Long, Entry> parseInet(String protocol, String text) {
        Map<Long, Entry> entries = new LinkedHashMap<>();
        String[] lines = text.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] columns = lines[i].trim().split("\\s+");
            if (columns.length < 10) {
                continue;
            }
            try {
                long inode = Long.parseLong(columns[9]);
                if (inode != 0) {
                    entries.put(inode, new Entry(protocol, address(columns[1]), address(columns[2])));
                }
            } catch (RuntimeException e) {
                // A malformed line costs that one socket only.
            }
        }
        return entries;
    }

    /** Parses {@code /proc/net/unix}: inode is the seventh column, an optional path the eighth. */
    public static Map<Long, Entry> parseUnix(String text) {
        Map<Long, Entry> entries = new LinkedHashMap<>();
        String[] lines = text.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] columns = lines[i].trim().split("\\s+");
            if (columns.length < 7) {
                continue;
            }
            try {
                long inode = Long.parseLong(columns[6]);
                entries.put(inode, new Entry("unix", columns.length > 7 ? columns[7] : "", ""));
            } catch (RuntimeException e) {
                // As above.
            }
        }
        return entries;
    }

    /**
     * "0100007F:1F90" to "127.0.0.1:8080". The kernel prints the address as 32-bit words in host
     * byte order (little-endian on x86-64 and aarch64) and the port in network order.
     */
    static String address(String hex) {
        int colon = hex.indexOf(':');
        String ip = hex.substring(0, colon);
        int port = Integer.parseInt(hex.substring(colon + 1), 16);
        byte[] bytes = new byte[ip.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                int hexAt = word * 8 + (3 - b) * 2;
                bytes[word * 4 + b] = (byte) Integer.parseInt(ip.substring(hexAt, hexAt + 2), 16);
            }
        }
        if (bytes.length == 4) {
            return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff)
                    + ":" + port;
        }
        if (isV4Mapped(bytes)) {
            return (bytes[12] & 0xff) + "." + (bytes[13] & 0xff) + "." + (bytes[14] & 0xff) + "." + (bytes[15] & 0xff)
                    + ":" + port;
        }
        StringBuilder v6 = new StringBuilder("[");
        for (int i = 0; i < bytes.length; i += 2) {
            if (i > 0) {
                v6.append(':');
            }
            v6.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)));
        }
        return v6.append("]:").append(port).toString();
    }

    /** {@code ::ffff:a.b.c.d}: what a dual-stack Java socket shows for an IPv4 peer. */
    private static boolean isV4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }
}
