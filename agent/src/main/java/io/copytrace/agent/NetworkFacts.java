// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import io.copytrace.boot.Codes;
import io.copytrace.boot.Site;
import io.copytrace.boot.SiteTable;
import io.copytrace.boot.Stats;
import io.copytrace.kernel.nic.EgressInterface;
import io.copytrace.kernel.nic.Ethtool;
import io.copytrace.kernel.nic.Offloads;
import io.copytrace.kernel.nic.RouteNetlink;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Facts about the network the recorded sockets send through: each socket peer's egress interface and what
 * that interface offloads (scatter-gather, TX checksumming), which decides whether sendfile costs a CPU copy
 * per byte; and what decides whether the kernel paces the connections with a timer each (the congestion control
 * the routes set and the host's default, the interfaces' queueing disciplines). Offloads (the ethtool ioctl) and
 * queues (rtnetlink) are read once per window, a peer's route with its egress, on an agent thread, once the window
 * has socket writes (looked for a quarter of a second after start, then every second until then, and at
 * checkpoints: off the application's exit); an interface first met later, or a window that closes within a
 * second of its first socket write, is read when the recording is written. Nothing is read with
 * {@code kernel=off}.
 */
final class NetworkFacts {
    /** Peers whose egress is looked up per window; more are left without one (each lookup opens a socket). */
    static final int MAX_PEERS = 256;

    private final boolean readOffloads;
    private final Map<String, Offloads> offloads = new ConcurrentHashMap<>();
    private final Map<String, String> egressByPeer = new ConcurrentHashMap<>();
    /** Peer → the congestion control its route sets ("" when none does), looked up with its egress. */
    private final Map<String, String> routeCongestionByPeer = new ConcurrentHashMap<>();
    /** Interface name → its queueing disciplines' kinds (every interface); null until read, empty if refused. */
    private volatile Map<String, List<String>> queues;
    /** The host's default congestion control, read with the queues; null until then. */
    private volatile String defaultCongestion;
    private volatile String netlinkProblem;
    /** Set once every interface's offloads were read (at the first reading after the window's sockets wrote). */
    private volatile boolean interfacesRead;

    NetworkFacts(boolean readOffloads) {
        this.readOffloads = readOffloads;
    }

    /**
     * Whether this host could run kernel TLS: the {@code tls} module loaded ({@code /sys/module/tls}) and its
     * statistics present ({@code /proc/net/tls_stat}, with the counts of kTLS sessions it ran).
     */
    static Map<String, Object> kernelTls() {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("moduleLoaded", java.nio.file.Files.isDirectory(java.nio.file.Path.of("/sys/module/tls")));
        java.nio.file.Path stat = java.nio.file.Path.of("/proc/net/tls_stat");
        k.put("tlsStat", java.nio.file.Files.isReadable(stat));
        try {
            if (java.nio.file.Files.isReadable(stat)) {
                Map<String, Object> counts = new LinkedHashMap<>();
                for (String line : java.nio.file.Files.readAllLines(stat)) {
                    String[] kv = line.trim().split("\\s+");
                    if (kv.length == 2 && kv[1].matches("\\d+")) counts.put(kv[0], Long.parseLong(kv[1]));
                }
                k.put("stat", counts);
            }
        } catch (java.io.IOException | RuntimeException unreadable) {
            k.put("stat", null);
        }
        return k;
    }

    /**
     * The TCP facts pacing depends on: the host's default congestion control and, per recorded peer, the one its
     * route sets where it sets one (a connection takes the route's, else the default).
     */
    private Map<String, Object> tcp(java.util.Set<String> peers) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("defaultCongestionControl", defaultCongestion);
        Map<String, Object> routes = new java.util.TreeMap<>();
        for (String peer : peers) {
            String cc = routeCongestionByPeer.get(peer);
            if (cc != null && !cc.isEmpty()) routes.put(peer, cc);
        }
        t.put("routeCongestionControl", routes);
        if (!readOffloads) t.put("error", "routes and queues not read (kernel=off)");
        else if (netlinkProblem != null) t.put("error", netlinkProblem);
        return t;
    }

    /**
     * Reads every interface's offloads once the window has socket writes (loading JNA for the ioctl costs
     * ~11 MiB of RSS and ~90 ms of this agent thread: an application that writes to no socket never pays
     * it); called on an agent thread (the warm-up's, until the sockets have written, and each checkpoint's), so a
     * server pays it off its start and off its exit.
     */
    void readInterfacesOnceSocketsWrite() {
        if (!readOffloads || interfacesRead || !anySocketTarget()) return;
        NativeAccess.enable(); // JNA's native calls are restricted methods on JDK 22+
        for (Offloads o : Ethtool.readAll()) offloads.put(o.name(), o);
        readQueues();
        interfacesRead = true;
        lookUpPeersSoFar();
    }

    /**
     * For a window whose sockets first write after the warm-up: looks every second until they have, and reads the
     * interfaces' offloads then, on the calling agent thread, not at the close (loading JNA for the ioctl took
     * ~90 ms there). Returns when they are read, at {@code kernel=off}, when {@code windowClosed} says so, or when
     * interrupted (the window's end) or a reading fails (the close reads what is still missing).
     */
    void awaitSocketWrites(java.util.function.BooleanSupplier windowClosed) {
        try {
            while (readOffloads && !interfacesRead && !windowClosed.getAsBoolean()) {
                Thread.sleep(1000);
                readInterfacesOnceSocketsWrite();
            }
        } catch (Throwable stopped) {
            // interrupted by the window's end, or a failed reading
        }
    }

    /** The egress of every socket peer written to so far, looked up now (an agent thread) rather than at the close. */
    void lookUpPeersSoFar() {
        for (Site site : SiteTable.all()) {
            for (Stats row : site.rows()) {
                if (Codes.keyTarget(row.key) != Codes.END_SOCKET) continue;
                for (Object peer : row.targetNames()) egressOf(peer);
            }
        }
    }

    private static boolean anySocketTarget() {
        for (Site site : SiteTable.all()) {
            for (Stats row : site.rows()) if (Codes.keyTarget(row.key) == Codes.END_SOCKET) return true;
        }
        return false;
    }

    /**
     * The interface traffic to {@code peer} leaves by, or null (not an IP peer, no route, or over the lookup bound);
     * the congestion control its route sets is looked up with it (not with {@code kernel=off}: JNA).
     */
    private String egressOf(Object peer) {
        if (!(peer instanceof SocketAddress a)) return null;
        String key = a.toString();
        String nic = egressByPeer.get(key);
        if (nic == null && egressByPeer.size() < MAX_PEERS) {
            nic = EgressInterface.of(a);
            if (nic != null && readOffloads && a instanceof java.net.InetSocketAddress ip && !ip.isUnresolved()) {
                routeCongestionByPeer.put(key, routeCongestion(ip.getAddress()));
            }
            egressByPeer.put(key, nic == null ? "" : nic);
        }
        return nic == null || nic.isEmpty() ? null : nic;
    }

    private String routeCongestion(java.net.InetAddress peer) {
        try {
            NativeAccess.enable();
            String cc = RouteNetlink.routeCongestion(peer);
            return cc == null ? "" : cc;
        } catch (Throwable t) {
            netlinkProblem = "route: " + t;
            return "";
        }
    }

    /** The queues and the default congestion control: where sockets write, so the close rarely reads them. */
    private void readQueues() {
        defaultCongestion = io.copytrace.kernel.proc.KernelSettings.tcpCongestionControl();
        try {
            queues = RouteNetlink.queueKinds();
        } catch (Throwable t) {
            netlinkProblem = "queueing disciplines: " + t;
            queues = Map.of();
        }
    }

    /** The queueing disciplines of interface {@code nic}, or null when not read. */
    private List<String> queuesOf(String nic) {
        Map<String, List<String>> q = queues;
        return q == null || q.isEmpty() ? null : q.get(nic);
    }

    /**
     * The recording's {@code network} section: the egress interface of every socket peer the rows wrote to,
     * and the offloads of those interfaces (one not read yet is read now).
     */
    Map<String, Object> section() {
        Map<String, Object> peers = new LinkedHashMap<>();
        TreeSet<String> used = new TreeSet<>();
        for (Site site : SiteTable.all()) {
            for (Stats row : site.rows()) {
                if (Codes.keyTarget(row.key) != Codes.END_SOCKET) continue;
                for (Object peer : row.targetNames()) {
                    String nic = egressOf(peer);
                    if (nic == null) continue;
                    peers.put(String.valueOf(peer), nic);
                    used.add(nic);
                }
            }
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("egress", peers);
        List<String> missing = new ArrayList<>();
        for (String nic : used) if (readOffloads && !offloads.containsKey(nic)) missing.add(nic);
        if (!missing.isEmpty()) {
            NativeAccess.enable();
            for (Offloads o : Ethtool.read(missing)) offloads.put(o.name(), o);
        }
        if (readOffloads && queues == null && !used.isEmpty()) readQueues();
        List<Object> out = new ArrayList<>();
        for (String nic : used) {
            Offloads o = offloads.get(nic);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", nic);
            if (o == null) {
                m.put("error", "offloads not read (kernel=off)");
            } else if (o.error() != null) {
                m.put("error", o.error());
            } else {
                m.put("scatterGather", o.scatterGather());
                m.put("txChecksum", o.txChecksum());
            }
            List<String> kinds = readOffloads ? queuesOf(nic) : null;
            if (kinds != null) m.put("queues", kinds);
            out.add(m);
        }
        s.put("interfaces", out);
        if (egressByPeer.size() >= MAX_PEERS) s.put("peersNotLookedUp", true);
        if (!peers.isEmpty()) s.put("tcp", tcp(peers.keySet()));
        s.put("kernelTls", kernelTls());
        s.put("note", "egress: the interface the route to each socket peer leaves by (a datagram socket connected to the"
                + " peer); offloads: the SIOCETHTOOL ioctl, as ethtool -k shows them; queues and the routes' congestion"
                + " control: rtnetlink, as tc qdisc show and ip route get show them");
        return s;
    }
}
