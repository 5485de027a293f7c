// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace joined to this one by a veth pair, made for the benchmark's receiving side (root and
 * {@code ip} needed): the sender connects to {@link #peerAddress()} over the veth pair, so its bytes leave by
 * a real interface instead of loopback, and the receiver's copies are in another process. Names and the
 * private /30 are derived from an id (the benchmark's pid), so two benchmarks on one host do not collide.
 *
 * @param name          the namespace's name
 * @param hostInterface the veth end in this namespace
 * @param peerInterface the veth end in the new namespace
 * @param subnet        the /30's network address; {@code .1} is this side's, {@code .2} the peer's
 */
public record NetNamespace(String name, String hostInterface, String peerInterface, int[] subnet) {
    /** The namespace, interfaces and 10.213.0.0/16 /30 for {@code id}. */
    public static NetNamespace forId(long id) {
        long block = Math.floorMod(id, 16_384); // 16,384 /30s in a /16
        int third = (int) (block / 64), fourth = (int) (block % 64) * 4;
        return new NetNamespace("copytrace-bench-" + id, "ctb" + id % 10_000_000 + "h", "ctb" + id % 10_000_000 + "n",
                new int[] {10, 213, third, fourth});
    }

    /** This side's address. */
    public String hostAddress() {
        return address(1);
    }

    /** The namespace side's address: the one the sink binds and the sender connects to. */
    public String peerAddress() {
        return address(2);
    }

    private String address(int host) {
        return subnet[0] + "." + subnet[1] + "." + subnet[2] + "." + (subnet[3] + host);
    }

    /** The {@code ip} commands that make the namespace, the veth pair and its addresses, in order. */
    public List<List<String>> setUpCommands() {
        return List.of(
                List.of("ip", "netns", "add", name),
                List.of("ip", "link", "add", hostInterface, "type", "veth", "peer", "name", peerInterface, "netns", name),
                List.of("ip", "addr", "add", hostAddress() + "/30", "dev", hostInterface),
                List.of("ip", "link", "set", hostInterface, "up"),
                List.of("ip", "-n", name, "addr", "add", peerAddress() + "/30", "dev", peerInterface),
                List.of("ip", "-n", name, "link", "set", peerInterface, "up"),
                List.of("ip", "-n", name, "link", "set", "lo", "up"));
    }

    /** The commands that remove it again: deleting one veth end deletes both. */
    public List<List<String>> tearDownCommands() {
        return List.of(List.of("ip", "link", "del", hostInterface), List.of("ip", "netns", "del", name));
    }

    /**
     * The commands that steer both veth ends' receive processing to {@code cpu} (RPS on each end's one receive
     * queue; the peer end's sysfs is seen from inside the namespace): the data's at the peer end, the ACKs' at this
     * one. Without it the kernel processes a veth packet on the CPU that sent it.
     */
    public List<List<String>> steerReceiveCommands(int cpu) {
        String mask = rpsMask(cpu);
        return List.of(inside(List.of("sh", "-c", "echo " + mask + " > " + rpsCpus(peerInterface))),
                List.of("sh", "-c", "echo " + mask + " > " + rpsCpus(hostInterface)));
    }

    /** The host's default TCP congestion control (its network namespace's), or "unknown". */
    public static String defaultCongestion() {
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv4/tcp_congestion_control")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * The commands that make TCP over the veth pair use {@code algorithm} at both ends, whatever the host's default:
     * each end's connected route gets {@code congctl} (nothing else on the host changes). The benchmark sets a
     * congestion control that does not pace: with BBR on a queue without fq, TCP paces in the kernel, and here that
     * took a sendfile sender's thread 165–574 ms per GiB against 55–126 under cubic (docs/samples.md, session 23).
     */
    public List<List<String>> congestionCommands(String algorithm) {
        String net = address(0) + "/30";
        return List.of(
                List.of("ip", "route", "change", net, "dev", hostInterface, "proto", "kernel", "scope", "link", "src",
                        hostAddress(), "congctl", algorithm),
                List.of("ip", "-n", name, "route", "change", net, "dev", peerInterface, "proto", "kernel", "scope",
                        "link", "src", peerAddress(), "congctl", algorithm));
    }

    /**
     * Sets both ends' congestion control ({@link #congestionCommands}) and reads the routes back.
     *
     * @throws IOException when a route cannot be changed (an algorithm this kernel lacks) or reads back different
     */
    public void congestion(String algorithm) throws IOException, InterruptedException {
        runAll(congestionCommands(algorithm));
        for (List<String> read : List.of(List.of("ip", "route", "show", "dev", hostInterface),
                List.of("ip", "-n", name, "route", "show", "dev", peerInterface))) {
            String got = output(read);
            if (!got.contains("congctl " + algorithm)) {
                throw new IOException(String.join(" ", read) + " reads '" + got + "', not congctl " + algorithm);
            }
        }
    }

    /** The RPS mask (hex CPU bitmap) of one CPU. */
    static String rpsMask(int cpu) {
        return java.math.BigInteger.ONE.shiftLeft(cpu).toString(16);
    }

    private static String rpsCpus(String iface) {
        return "/sys/class/net/" + iface + "/queues/rx-0/rps_cpus";
    }

    /**
     * Steers both ends' receive processing to {@code cpu} and reads the masks back.
     *
     * @throws IOException when a mask cannot be set (a kernel without RPS) or reads back different
     */
    public void steerReceive(int cpu) throws IOException, InterruptedException {
        runAll(steerReceiveCommands(cpu));
        java.math.BigInteger want = new java.math.BigInteger(rpsMask(cpu), 16);
        for (List<String> read : readAtBothEnds(NetNamespace::rpsCpus)) {
            String got = output(read);
            if (!got.matches("[0-9a-fA-F,]+") || !new java.math.BigInteger(got.replace(",", ""), 16).equals(want)) {
                throw new IOException(String.join(" ", read) + " reads '" + got + "', not " + rpsMask(cpu));
            }
        }
    }

    /** The veth pair's MTU with threaded receive: its largest (loopback has 64 KiB), so TCP still sends ~64 KiB segments without TSO. */
    static final int THREADED_MTU = 65_535;

    /**
     * The commands that move both veth ends' receive processing into kernel threads: GRO on gives a veth end a NAPI
     * instance, and threaded NAPI polls it in a kernel thread of its own ({@code napi/IFACE-N}) instead of the
     * NET_RX softirq. That softirq otherwise runs on the sending CPU in the sender's context and is charged to the
     * sending JVM, or not, as it happens; the kernel thread's CPU is its own.
     */
    public List<List<String>> threadReceiveCommands() {
        List<List<String>> commands = new ArrayList<>();
        for (boolean peer : new boolean[] {true, false}) {
            String iface = peer ? peerInterface : hostInterface;
            for (List<String> c : List.of(List.of("ip", "link", "set", "dev", iface, "mtu", String.valueOf(THREADED_MTU)),
                    List.of("ethtool", "-K", iface, "gro", "on", "tso", "off"),
                    List.of("sh", "-c", "echo 1 > " + threaded(iface)))) {
                commands.add(peer ? inside(c) : c);
            }
        }
        return commands;
    }

    private static String threaded(String iface) {
        return "/sys/class/net/" + iface + "/threaded";
    }

    /**
     * Moves both ends' receive processing into NAPI kernel threads ({@link #threadReceiveCommands}) and checks it
     * took: each end reads back threaded, and a {@code napi/} kernel thread serves each.
     *
     * @throws IOException when a command fails (no {@code ethtool}, a kernel without threaded NAPI) or it did not take
     */
    public void threadReceive() throws IOException, InterruptedException {
        runAll(threadReceiveCommands());
        for (List<String> read : readAtBothEnds(NetNamespace::threaded)) {
            String got = output(read);
            if (!got.equals("1")) throw new IOException(String.join(" ", read) + " reads '" + got + "', not 1");
        }
        List<Long> threads = receiveThreads();
        if (threads.size() < 2) throw new IOException("not a napi/ kernel thread for each end: " + threads);
    }

    /**
     * The pids of the kernel threads that poll the two ends' NAPI instances once {@link #threadReceive} ran
     * ({@code napi/IFACE-N}, as far as a thread's 15-character name holds it: the two ends' names may be cut to the
     * same prefix, and a leftover pair of the same names would count too).
     */
    public List<Long> receiveThreads() {
        List<Long> pids = napiThreads(hostInterface);
        for (long pid : napiThreads(peerInterface)) if (!pids.contains(pid)) pids.add(pid);
        return pids;
    }

    private static List<Long> napiThreads(String iface) {
        List<Long> pids = new ArrayList<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.toList()) {
                String name = proc.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) continue;
                try {
                    String comm = Files.readString(proc.resolve("comm")).strip();
                    String full = "napi/" + iface + "-";
                    if (comm.startsWith("napi/") && (comm.startsWith(full) || full.startsWith(comm))) {
                        pids.add(Long.parseLong(name));
                    }
                } catch (IOException gone) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return pids;
    }

    /**
     * The CPU time, in ns, the kernel threads {@code pids} have run so far; -1 when unknown. Read from
     * {@code /proc/PID/schedstat} (the scheduler's exact run time): {@code stat}'s utime + stime come in 10 ms units,
     * truncated per thread, and two napi threads that ran 9 ms each read 0 there.
     */
    public static long cpuNanos(List<Long> pids) {
        long nanos = 0;
        for (long pid : pids) {
            try {
                String schedstat = Files.readString(Path.of("/proc", String.valueOf(pid), "schedstat")).strip();
                nanos += Long.parseLong(schedstat.split(" ")[0]);
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
        return nanos;
    }

    /** {@code command} run inside the namespace. */
    public List<String> inside(List<String> command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
        all.addAll(command);
        return all;
    }

    /** True when this process can make namespaces: root, and {@code ip} on the path. */
    public static boolean available() {
        if (!"root".equals(System.getProperty("user.name"))) return false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "ip"))) return true;
        }
        return false;
    }

    /** Makes the namespace (removing a leftover of the same name first); on failure removes what was made. */
    public void create() throws IOException, InterruptedException {
        remove();
        for (List<String> command : setUpCommands()) {
            String failure = run(command);
            if (failure != null) {
                remove();
                throw new IOException(String.join(" ", command) + " failed: " + failure);
            }
        }
    }

    /** Removes the namespace and the veth pair; what is already gone is ignored. */
    public void remove() throws IOException, InterruptedException {
        for (List<String> command : tearDownCommands()) run(command);
    }

    /** Runs each of {@code commands} in turn; the first that fails throws. */
    private static void runAll(List<List<String>> commands) throws IOException, InterruptedException {
        for (List<String> command : commands) {
            String failure = run(command);
            if (failure != null) throw new IOException(String.join(" ", command) + " failed: " + failure);
        }
    }

    /** The commands that read {@code file}'s file of each end: the peer end's from inside the namespace. */
    private List<List<String>> readAtBothEnds(java.util.function.UnaryOperator<String> file) {
        return List.of(inside(List.of("cat", file.apply(peerInterface))), List.of("cat", file.apply(hostInterface)));
    }

    /** What {@code command} printed, stripped. */
    private static String output(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String got = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor(30, TimeUnit.SECONDS);
        return got;
    }

    /** Runs {@code command}; null when it succeeded, else its output. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes()).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out";
        }
        return p.exitValue() == 0 ? null : output;
    }
}
