// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.tools;

import io.copytrace.analysis.CpuAffinity;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's receiving side: a {@link SinkServer} in a process of its own, in a network namespace of
 * its own over a veth pair when this process may make one ({@link NetNamespace#available()}), else on
 * loopback. {@link #control()} is what the senders pass as {@code -Dcopytrace.sink}.
 */
final class SinkProcess implements AutoCloseable {
    /** Where the receiver runs: {@code auto} picks {@code netns} when possible, else {@code process}. */
    enum Mode { AUTO, NETNS, PROCESS }

    /**
     * Where the veth pair's receive processing runs: {@code threaded} in NAPI kernel threads
     * ({@link NetNamespace#threadReceive}: never charged to a sending JVM), {@code softirq} in the NET_RX softirq
     * (often on the sending CPU, in the sender's context and charged to it); {@code auto} threads it when it can.
     */
    enum Receive { SOFTIRQ, AUTO, THREADED }


    private final Process process;
    private final NetNamespace namespace;
    private final String control;
    private final Placement placement;
    /** Why the receive processing stays in the NET_RX softirq; null when it runs in NAPI kernel threads. */
    private final String softirqWhy;
    /** The TCP congestion control the senders' connections use, and how it came to be, for the output. */
    private final String congestion;
    /** Stops the sink and removes the namespace when the benchmark is interrupted (Ctrl-C). */
    private final Thread onExit = new Thread(this::stop, "sink-cleanup");

    private SinkProcess(Process process, NetNamespace namespace, String control, Placement placement, String softirqWhy,
                        String congestion) {
        this.process = process;
        this.congestion = congestion;
        this.softirqWhy = softirqWhy;
        this.namespace = namespace;
        this.control = control;
        this.placement = placement;
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    /**
     * Starts the sink server with {@code java} on {@code classPath}, placed as {@code request} asks
     * ({@link Placement}), its connections on TCP congestion control {@code congestion} ({@code host}: the host's
     * default; set on the veth pair's routes, so not over loopback); removes the namespace again on failure.
     */
    static SinkProcess start(Mode mode, Placement.Request request, Receive receiveRequest, String congestion,
                             String java, String classPath) throws IOException, InterruptedException {
        boolean netns = mode == Mode.NETNS || mode == Mode.AUTO && NetNamespace.available();
        NetNamespace ns = netns ? NetNamespace.forId(ProcessHandle.current().pid()) : null;
        Placement placement = Placement.choose(request, netns, CpuAffinity.allowed(), CpuAffinity.tasksetAvailable());
        if (ns == null && receiveRequest == Receive.THREADED) {
            throw new IllegalStateException("--receive=threaded needs the network namespace (root and ip)");
        }
        String bind = "127.0.0.1";
        String softirqWhy = "loopback";
        String hostDefault = NetNamespace.defaultCongestion();
        String congestionUsed = "the host's default, " + hostDefault + (congestion.equals("host")
                ? " (--congestion=host)"
                : " (--congestion=" + congestion + " is set on the veth pair's routes: not over loopback)");
        List<String> command = new ArrayList<>(List.of(java, "-cp", classPath, SinkServer.class.getName()));
        if (ns != null) {
            ns.create();
            if (placement.pinned()) {
                try {
                    ns.steerReceive(placement.sinkCpu());
                } catch (IOException e) {
                    if (request == Placement.Request.PINNED) {
                        ns.remove();
                        throw e;
                    }
                    placement = Placement.free("RPS could not be set: " + e.getMessage());
                }
            }
            softirqWhy = threadReceive(ns, receiveRequest, placement.pinned());
            if (!congestion.equals("host")) {
                try {
                    ns.congestion(congestion);
                } catch (IOException e) {
                    ns.remove();
                    throw e;
                }
                congestionUsed = congestion + " on the veth pair's routes (--congestion=" + congestion
                        + "; the host's default: " + hostDefault + ")";
            }
            bind = ns.peerAddress();
            command.add("--bind=" + bind);
            command = ns.inside(placement.sink(command));
        }
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String first = new BufferedReader(new InputStreamReader(p.getInputStream())).readLine();
            if (first == null || !first.startsWith("SINK port=")) {
                throw new IOException(String.join(" ", command) + " did not start: " + first);
            }
            return new SinkProcess(p, ns, bind + ":" + first.substring("SINK port=".length()), placement, softirqWhy,
                    congestionUsed);
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            if (ns != null) ns.remove();
            throw e;
        }
    }

    /**
     * Threads both veth ends' receive processing as {@code request} asks; null when it did, else why not. Not with
     * RPS ({@code pinned}): steered receive work stays a softirq on the sink's CPU.
     */
    private static String threadReceive(NetNamespace ns, Receive request, boolean steered)
            throws IOException, InterruptedException {
        if (request == Receive.THREADED && steered) {
            ns.remove();
            throw new IllegalStateException("--receive=threaded and --placement=pinned do not go together");
        }
        String why = request == Receive.SOFTIRQ ? "--receive=softirq" : steered ? "steered by RPS (--placement=pinned)" : null;
        if (why == null) {
            try {
                ns.threadReceive();
                return null;
            } catch (IOException e) {
                ns.remove();
                if (request == Receive.THREADED) throw e;
                ns.create(); // afresh: a set-up that failed half-way may have changed the MTU or offloads
                why = e.getMessage();
            }
        }
        return why;
    }

    /** The sink server's control address, {@code host:port}. */
    String control() {
        return control;
    }

    /** Which CPUs the sink and the senders run on. */
    Placement placement() {
        return placement;
    }

    /** The NAPI kernel threads that run the veth pair's receive processing; empty when it is a softirq. */
    List<Long> receiveThreads() {
        if (softirqWhy != null) return List.of();
        return namespace.receiveThreads();
    }

    /** Where the receiver and its receive processing run, for the benchmark's output. */
    String describe() {
        return (namespace == null
                ? "receiver in another process on loopback (not root or no `ip`: no network namespace)"
                : "receiver in another process, in network namespace " + namespace.name() + " over veth "
                  + namespace.hostInterface() + " (" + namespace.hostAddress() + " -> " + namespace.peerAddress() + "/30)")
                + "; " + (softirqWhy == null
                        ? "both veth ends' receive processing in NAPI kernel threads (GRO on, threaded NAPI): charged to"
                          + " those threads, never to a sending JVM"
                        : "receive processing in the NET_RX softirq (" + softirqWhy + "): unless steered, it may run on"
                          + " the sending CPU, charged to the sender")
                + "; TCP congestion control " + congestion;
    }

    @Override
    public void close() {
        Runtime.getRuntime().removeShutdownHook(onExit);
        stop();
    }

    private void stop() {
        try {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            if (namespace != null) namespace.remove();
        } catch (IOException | InterruptedException e) {
            System.err.println("could not stop the receiver" + (namespace == null ? "" : " or remove namespace " + namespace.name()) + ": " + e);
        }
    }
}
