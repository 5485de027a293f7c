// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.nic;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.copytrace.kernel.perf.JnaStart;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The two facts that decide whether the kernel paces a TCP connection with a timer of its own, asked over rtnetlink
 * as {@code ip route get} and {@code tc qdisc show} ask them (no binary, no privilege): the congestion control the
 * route to a peer sets ({@code congctl}; without one a connection takes the host's default) and each interface's
 * queueing disciplines (BBR paces in the kernel unless an fq queue paces for it). Replies are read without
 * waiting ({@code MSG_DONTWAIT}: the kernel answers a route request while sending it, and makes each further part
 * of a dump while the previous one is read), so a caller is never held up. Memory from {@code malloc}, as
 * {@link Ethtool}'s.
 */
public final class RouteNetlink {
    static final int AF_NETLINK = 16, SOCK_RAW = 3, SOCK_CLOEXEC = 0x80000, NETLINK_ROUTE = 0;
    static final int NLMSG_ERROR = 2, NLMSG_DONE = 3;
    static final int RTM_NEWROUTE = 24, RTM_GETROUTE = 26, RTM_NEWQDISC = 36, RTM_GETQDISC = 38;
    static final int NLM_F_REQUEST = 1, NLM_F_DUMP = 0x300;
    static final int RTA_DST = 1, RTA_METRICS = 8, RTAX_CC_ALGO = 16, TCA_KIND = 1;
    static final int NLMSG_HDRLEN = 16, RTMSG_LEN = 12, TCMSG_LEN = 20;
    private static final int MSG_DONTWAIT = 0x40, EAGAIN = 11;
    private static final int BUFFER = 32 * 1024;
    /** A dump of more parts than this is cut short (a host with thousands of queues): what was read is kept. */
    private static final int MAX_PARTS = 64;

    /** The libc calls rtnetlink needs. */
    interface Libc extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        long send(int fd, Pointer buf, long len, int flags) throws LastErrorException;

        long recv(int fd, Pointer buf, long len, int flags) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    /** libc, loaded once, on first use (JNA set up first). */
    private static final class C {
        static final Libc LIBC = load();

        private static Libc load() {
            JnaStart.init();
            return Native.load("c", Libc.class);
        }
    }

    private RouteNetlink() {}

    /**
     * The congestion control the route to {@code peer} sets, or null when it sets none (the host's default applies).
     *
     * @throws Exception when rtnetlink cannot be asked (no JNA, a kernel that refuses) or answers with an error
     */
    public static String routeCongestion(InetAddress peer) throws Exception {
        List<ByteBuffer> parts = ask(routeRequest(peer, 1), false);
        return parts.isEmpty() ? null : congestionOf(parts.get(0));
    }

    /**
     * The kinds of every queueing discipline on each interface of {@code /sys/class/net}, by name, in the kernel's
     * order (a root {@code mq} with an {@code fq} under each queue reads {@code [mq, fq, fq]}; none: empty).
     *
     * @throws Exception when rtnetlink cannot be asked or answers with an error
     */
    public static Map<String, List<String>> queueKinds() throws Exception {
        Map<Integer, List<String>> byIndex = new TreeMap<>();
        for (ByteBuffer part : ask(queueDumpRequest(1), true)) queueKinds(part, byIndex);
        Map<String, List<String>> byName = new TreeMap<>();
        try (Stream<Path> nics = Files.list(Path.of("/sys/class/net"))) {
            for (Path nic : (Iterable<Path>) nics::iterator) {
                int index = Integer.parseInt(Files.readString(nic.resolve("ifindex")).strip());
                byName.put(nic.getFileName().toString(), byIndex.getOrDefault(index, List.of()));
            }
        }
        return byName;
    }

    private static List<ByteBuffer> ask(byte[] request, boolean dump) throws Exception {
        Libc c = C.LIBC;
        int fd = c.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        long mem = Native.malloc(BUFFER);
        try {
            if (mem == 0) throw new OutOfMemoryError("malloc");
            Pointer p = new Pointer(mem);
            p.write(0, request, 0, request.length);
            c.send(fd, p, request.length, 0);
            List<ByteBuffer> parts = new ArrayList<>();
            while (parts.size() < MAX_PARTS) {
                long n;
                try {
                    n = c.recv(fd, p, BUFFER, MSG_DONTWAIT);
                } catch (LastErrorException x) {
                    if (x.getErrorCode() == EAGAIN) break; // nothing more queued
                    throw x;
                }
                if (n <= 0) break;
                ByteBuffer part = ByteBuffer.wrap(p.getByteArray(0, (int) n)).order(ByteOrder.nativeOrder());
                parts.add(part);
                if (!dump || ends(part)) break;
            }
            return parts;
        } finally {
            if (mem != 0) Native.free(mem);
            try {
                c.close(fd);
            } catch (LastErrorException ignored) {
                // nothing to undo
            }
        }
    }

    /** An RTM_GETROUTE request for the route to {@code peer}, as {@code ip route get} sends it. */
    static byte[] routeRequest(InetAddress peer, int seq) {
        byte[] address = peer.getAddress();
        int attr = align(4 + address.length);
        ByteBuffer b = header(NLMSG_HDRLEN + RTMSG_LEN + attr, RTM_GETROUTE, NLM_F_REQUEST, seq);
        b.put((byte) (peer instanceof Inet4Address ? 2 : 10)).put((byte) (address.length * 8)); // family, dst_len
        b.put(new byte[RTMSG_LEN - 2]);
        b.putShort((short) (4 + address.length)).putShort((short) RTA_DST).put(address);
        return b.array();
    }

    /** An RTM_GETQDISC dump request for every interface's queueing disciplines. */
    static byte[] queueDumpRequest(int seq) {
        return header(NLMSG_HDRLEN + TCMSG_LEN, RTM_GETQDISC, NLM_F_REQUEST | NLM_F_DUMP, seq).array();
    }

    private static ByteBuffer header(int length, int type, int flags, int seq) {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        b.putInt(length).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
        return b;
    }

    /** The {@code RTAX_CC_ALGO} metric of the first route in {@code reply}, or null when it has none. */
    static String congestionOf(ByteBuffer reply) {
        for (int at = 0; at + NLMSG_HDRLEN <= reply.limit(); at = next(reply, at)) {
            int type = reply.getShort(at + 4) & 0xffff;
            failIfError(reply, at, type);
            if (type != RTM_NEWROUTE) continue;
            int end = at + reply.getInt(at);
            for (int a = at + NLMSG_HDRLEN + RTMSG_LEN; a + 4 <= end; a += align(attrLength(reply, a))) {
                if (attrType(reply, a) != RTA_METRICS) continue;
                for (int m = a + 4; m + 4 <= a + attrLength(reply, a); m += align(attrLength(reply, m))) {
                    if (attrType(reply, m) == RTAX_CC_ALGO) return string(reply, m + 4, attrLength(reply, m) - 4);
                }
            }
            return null;
        }
        return null;
    }

    /** Adds the queue kinds of one dump part to {@code kinds}. */
    static void queueKinds(ByteBuffer part, Map<Integer, List<String>> kinds) {
        for (int at = 0; at + NLMSG_HDRLEN <= part.limit(); at = next(part, at)) {
            int type = part.getShort(at + 4) & 0xffff;
            failIfError(part, at, type);
            if (type != RTM_NEWQDISC) continue;
            int end = at + part.getInt(at);
            int ifindex = part.getInt(at + NLMSG_HDRLEN + 4);
            for (int a = at + NLMSG_HDRLEN + TCMSG_LEN; a + 4 <= end; a += align(attrLength(part, a))) {
                if (attrType(part, a) == TCA_KIND) {
                    String kind = string(part, a + 4, attrLength(part, a) - 4);
                    kinds.computeIfAbsent(ifindex, i -> new ArrayList<>()).add(kind);
                }
            }
        }
    }

    private static boolean ends(ByteBuffer part) {
        for (int at = 0; at + NLMSG_HDRLEN <= part.limit(); at = next(part, at)) {
            int type = part.getShort(at + 4) & 0xffff;
            if (type == NLMSG_DONE || type == NLMSG_ERROR) return true;
        }
        return false;
    }

    private static void failIfError(ByteBuffer b, int at, int type) {
        if (type != NLMSG_ERROR) return;
        int errno = -b.getInt(at + NLMSG_HDRLEN);
        if (errno != 0) throw new IllegalStateException("rtnetlink answered errno " + errno);
    }

    private static int next(ByteBuffer b, int at) {
        int length = b.getInt(at);
        return length < NLMSG_HDRLEN ? b.limit() : at + align(length); // a malformed length ends the walk
    }

    private static int attrLength(ByteBuffer b, int at) {
        return Math.max(4, b.getShort(at) & 0xffff);
    }

    private static int attrType(ByteBuffer b, int at) {
        return b.getShort(at + 2) & 0x3fff; // less the nested and byte-order flags
    }

    private static String string(ByteBuffer b, int at, int length) {
        int n = 0;
        while (n < length && b.get(at + n) != 0) n++;
        byte[] bytes = new byte[n];
        b.get(at, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static int align(int n) {
        return (n + 3) & ~3;
    }
}
