// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.workloads;

import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Programs of known shape that the end-to-end tests run in a forked JVM under the real agent:
 * {@code Workloads <scenario> <workDir>}, one class per feature the tests cover. Each I/O call sits in a
 * method of its own so tests can find its record by call site (by method name alone, which must then be
 * unique among the classes a scenario runs); each scenario prints {@code TRUTH key=value} lines the tests
 * compare to. Here: the scenario names, and the helpers every feature uses.
 */
public final class Workloads {
    static final int MiB = 1 << 20;
    static final int KiB = 1 << 10;

    private Workloads() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        Files.createDirectories(dir);
        switch (args[0]) {
            case "heap-loop" -> FileChannelWorkloads.copyLoop(dir, false);
            case "heap-loop-then-idle" -> { // the window ends (duration=) while the JVM, and JFR, run on
                FileChannelWorkloads.copyLoop(dir, false);
                Thread.sleep(3000);
            }
            case "direct-loop" -> FileChannelWorkloads.copyLoop(dir, true);
            case "forms" -> FileChannelWorkloads.forms(dir);
            case "fresh-reads" -> FileChannelWorkloads.freshReads(dir);
            case "mapped" -> FileChannelWorkloads.mapped(dir);
            case "transfer-socket" -> TransferWorkloads.transferSocket(dir);
            case "transfer-file" -> TransferWorkloads.transferFile(dir);
            case "transfer-wrapper" -> TransferWorkloads.transferWrapper(dir);
            case "transfer-append" -> TransferWorkloads.transferAppend(dir);
            case "transfer-pipe" -> TransferWorkloads.transferPipe(dir);
            case "transfer-nothing" -> TransferWorkloads.transferNothing(dir);
            case "transfer-from-socket" -> TransferWorkloads.transferFromSocket(dir);
            case "transfer-proc" -> TransferWorkloads.transferProc(dir);
            case "netty" -> NettySendFile.run(dir);
            case "peer-send" -> PeerSend.run(dir);
            case "cold-send" -> ColdSend.run(dir);
            case "temp-buffers" -> TempBuffers.run(dir);
            case "mapped-faults" -> MappedFaults.run(dir);
            case "partial-writes" -> SocketWorkloads.partialWrites();
            case "socket-stream" -> SocketWorkloads.socketStream();
            case "datagram" -> SocketWorkloads.datagram();
            case "datagram-socket" -> SocketWorkloads.datagramSocket();
            case "tls" -> Tls.run(dir);
            case "java-io" -> JavaIoWorkloads.javaIo(dir);
            case "files-copy" -> JavaIoWorkloads.filesCopy(dir);
            case "stream-helpers" -> JavaIoWorkloads.streamHelpers(dir);
            case "class-loading" -> JavaIoWorkloads.classLoading(dir);
            case "sites" -> SafetyWorkloads.manySites(dir);
            case "output" -> SafetyWorkloads.output(dir);
            case "sleepy" -> SafetyWorkloads.sleepy(dir);
            case "until-killed" -> UntilKilled.run(dir);
            case "attach-loop" -> AttachWorkloads.attachLoop(dir);
            case "netty-region", "netty-chunked-nio", "netty-chunked-file", "netty-mapped" ->
                    NettyFileServer.run(args[0], dir);
            case "jetty-nocache", "jetty-cache" -> JettyFileServer.run(args[0], dir);
            case "churn-platform", "churn-virtual" -> ThreadChurn.run(args[0], dir);
            case "load-and-scale" -> LoadAndScale.run(dir);
            case "windows" -> Windows.run(dir);
            case "fleet-service" -> FleetService.run(dir);
            case "host-libraries" -> HostLibraries.run(dir);
            case "kafka-broker" -> KafkaBroker.run(dir);
            case "profile-heap-send", "profile-transfer-send", "profile-stream-copy", "profile-sink", "profile-check" ->
                    ProfileWorkloads.run(args[0], dir);
            case "jfr-io", "jfr-copytrace-event" -> JfrWorkloads.run(args[0], dir);
            case "metrics" -> MetricsWorkload.run(dir);
            default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
        }
    }

    static void truth(String key, long value) {
        System.out.println("TRUTH " + key + "=" + value);
    }

    /** A sparse file of {@code size} bytes: creating it does no data I/O the tests would see. */
    static Path sparse(Path dir, String name, long size) throws Exception {
        Path p = dir.resolve(name);
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
            raf.setLength(size);
        }
        return p;
    }

    /** A loopback server that drains everything sent to it; returns the client channel. */
    static SocketChannel drainedConnection(AtomicLong received) throws Exception {
        ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        Thread t = new Thread(() -> {
            try (ServerSocketChannel s = server; SocketChannel peer = s.accept()) {
                ByteBuffer b = ByteBuffer.allocateDirect(256 * KiB);
                for (int n; (n = peer.read(b)) != -1; b.clear()) received.addAndGet(n);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, "drain");
        t.setDaemon(true);
        t.start();
        return SocketChannel.open(server.getLocalAddress());
    }

    static void awaitReceived(AtomicLong received, long expected) throws Exception {
        for (int i = 0; i < 2000 && received.get() < expected; i++) Thread.sleep(5);
        if (received.get() != expected) throw new IllegalStateException("received " + received + " of " + expected);
    }
}
