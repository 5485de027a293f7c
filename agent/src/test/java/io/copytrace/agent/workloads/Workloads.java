// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.workloads;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Programs of known shape that the end-to-end tests run in a forked JVM under the real agent:
 * {@code Workloads <scenario> <workDir>}. Each I/O call sits in a method of its own so tests can find
 * its record by call site; each scenario prints {@code TRUTH key=value} lines the tests compare to.
 */
public final class Workloads {
    static final int MiB = 1 << 20;
    static final int KiB = 1 << 10;

    private Workloads() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        Files.createDirectories(dir);
        switch (args[0]) {
            case "heap-loop" -> copyLoop(dir, false);
            case "direct-loop" -> copyLoop(dir, true);
            case "forms" -> forms(dir);
            case "mapped" -> mapped(dir);
            case "transfer-socket" -> transferSocket(dir);
            case "transfer-file" -> transferFile(dir);
            case "transfer-wrapper" -> transferWrapper(dir);
            case "transfer-append" -> transferAppend(dir);
            case "transfer-pipe" -> transferPipe(dir);
            case "transfer-nothing" -> transferNothing(dir);
            case "transfer-from-socket" -> transferFromSocket(dir);
            case "partial-writes" -> partialWrites();
            case "socket-stream" -> socketStream();
            case "datagram" -> datagram();
            case "java-io" -> javaIo(dir);
            case "files-copy" -> filesCopy(dir);
            case "tls" -> Tls.run(dir);
            case "netty" -> NettySendFile.run(dir);
            case "peer-send" -> PeerSend.run(dir);
            case "cold-send" -> ColdSend.run(dir);
            case "until-killed" -> UntilKilled.run(dir);
            case "netty-region", "netty-chunked-nio", "netty-chunked-file", "netty-mapped" -> NettyFileServer.run(args[0], dir);
            case "jetty-nocache", "jetty-cache" -> JettyFileServer.run(args[0], dir);
            case "stream-helpers" -> streamHelpers(dir);
            case "datagram-socket" -> datagramSocket();
            case "transfer-proc" -> transferProc(dir);
            case "class-loading" -> classLoading(dir);
            case "sites" -> manySites(dir);
            case "churn-platform", "churn-virtual" -> ThreadChurn.run(args[0], dir);
            case "load-and-scale" -> LoadAndScale.run(dir);
            case "output" -> output(dir);
            case "sleepy" -> sleepy(dir);
            case "attach-loop" -> attachLoop(dir);
            case "windows" -> Windows.run(dir);
            case "host-libraries" -> HostLibraries.run(dir);
            case "kafka-broker" -> KafkaBroker.run(dir);
            case "profile-heap-send", "profile-transfer-send", "profile-stream-copy", "profile-sink", "profile-check" -> ProfileWorkloads.run(args[0], dir);
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

    // ------------------------------------------------------------ FileChannel read/write

    /** 64 MiB file to file through a 64 KiB buffer: the example. */
    static void copyLoop(Path dir, boolean direct) throws Exception {
        Path src = sparse(dir, "src", 64 * MiB);
        Path dst = dir.resolve("dst");
        try (FileChannel in = FileChannel.open(src); FileChannel out = FileChannel.open(dst,
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer buf = direct ? ByteBuffer.allocateDirect(64 * KiB) : ByteBuffer.allocate(64 * KiB);
            long total = 0;
            while (loopRead(in, buf) != -1) {
                buf.flip();
                while (buf.hasRemaining()) total += loopWrite(out, buf);
                buf.clear();
            }
            truth("bytes", total);
        }
    }

    static int loopRead(FileChannel in, ByteBuffer buf) throws Exception {
        return in.read(buf);
    }

    static int loopWrite(FileChannel out, ByteBuffer buf) throws Exception {
        return out.write(buf);
    }

    /** Positional, gathering and scatter forms. */
    static void forms(Path dir) throws Exception {
        try (FileChannel ch = FileChannel.open(dir.resolve("forms"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer page = ByteBuffer.allocate(4 * KiB);
            for (int i = 0; i < 100; i++) {
                page.clear();
                positionalWrite(ch, page, (long) i * 4 * KiB);
            }
            for (int i = 0; i < 100; i++) {
                ByteBuffer[] parts = {ByteBuffer.allocate(KiB), ByteBuffer.allocate(KiB), ByteBuffer.allocate(KiB)};
                gatherWrite(ch, parts);
            }
            ch.position(0);
            ByteBuffer[] direct = {ByteBuffer.allocateDirect(2 * KiB), ByteBuffer.allocateDirect(2 * KiB)};
            for (int i = 0; i < 50; i++) {
                direct[0].clear();
                direct[1].clear();
                scatterRead(ch, direct);
            }
            ByteBuffer[] mixed = {ByteBuffer.allocate(KiB), ByteBuffer.allocateDirect(KiB)};
            for (int i = 0; i < 10; i++) {
                mixed[0].clear();
                mixed[1].clear();
                mixedRead(ch, mixed);
            }
        }
    }

    static void positionalWrite(FileChannel ch, ByteBuffer b, long pos) throws Exception {
        ch.write(b, pos);
    }

    static void gatherWrite(FileChannel ch, ByteBuffer[] parts) throws Exception {
        ch.write(parts);
    }

    static void scatterRead(FileChannel ch, ByteBuffer[] parts) throws Exception {
        ch.read(parts);
    }

    static void mixedRead(FileChannel ch, ByteBuffer[] parts) throws Exception {
        ch.read(parts);
    }

    // ------------------------------------------------------------ sockets: helpers

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

    // ------------------------------------------------------------ mapped buffers

    static void mapped(Path dir) throws Exception {
        Path src = sparse(dir, "mapped-src", 8 * MiB);
        AtomicLong received = new AtomicLong();
        try (FileChannel in = FileChannel.open(src); SocketChannel out = drainedConnection(received)) {
            MappedByteBuffer map = mapReadOnly(in, 8 * MiB);
            while (map.hasRemaining()) mappedSocketWrite(out, map);
            out.shutdownOutput();
            awaitReceived(received, 8 * MiB);
        }
        Path rw = sparse(dir, "mapped-rw", 2 * MiB);
        try (FileChannel ch = FileChannel.open(rw, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 2 * MiB);
            mappedLoad(map);
            map.put(0, (byte) 1);
            mappedForce(map);
        }
        truth("bytes", 8 * MiB);
    }

    static MappedByteBuffer mapReadOnly(FileChannel ch, long size) throws Exception {
        return ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
    }

    static void mappedSocketWrite(SocketChannel out, ByteBuffer b) throws Exception {
        out.write(b);
    }

    static void mappedLoad(MappedByteBuffer b) {
        b.load();
    }

    static void mappedForce(MappedByteBuffer b) {
        b.force();
    }

    // ------------------------------------------------------------ transferTo / transferFrom

    static void transferSocket(Path dir) throws Exception {
        Path src = sparse(dir, "t-src", 16 * MiB);
        AtomicLong received = new AtomicLong();
        long sent = 0;
        try (FileChannel in = FileChannel.open(src); SocketChannel out = drainedConnection(received)) {
            while (sent < 16 * MiB) sent += socketTransfer(in, sent, 16 * MiB - sent, out);
            out.shutdownOutput();
            awaitReceived(received, 16 * MiB);
        }
        truth("bytes", sent);
    }

    static long socketTransfer(FileChannel in, long pos, long count, WritableByteChannel out) throws Exception {
        return in.transferTo(pos, count, out);
    }

    static void transferFile(Path dir) throws Exception {
        Path src = sparse(dir, "tf-src", 16 * MiB);
        try (FileChannel in = FileChannel.open(src);
             FileChannel out = FileChannel.open(dir.resolve("tf-dst"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileChannel out2 = FileChannel.open(dir.resolve("tf-dst2"), StandardOpenOption.CREATE,
                     StandardOpenOption.WRITE)) {
            long n = 0;
            while (n < 16 * MiB) n += fileTransferTo(in, n, 16 * MiB - n, out);
            truth("transferTo", n);
            long m = 0;
            while (m < 16 * MiB) m += fileTransferFrom(out2, in, m, 16 * MiB - m);
            truth("transferFrom", m);
        }
    }

    static long fileTransferTo(FileChannel in, long pos, long count, FileChannel out) throws Exception {
        return in.transferTo(pos, count, out);
    }

    static long fileTransferFrom(FileChannel out, FileChannel in, long pos, long count) throws Exception {
        in.position(pos);
        return out.transferFrom(in, pos, count);
    }

    /** A channel of the application that forwards to a socket: its own writes are nested records. */
    static final class ForwardingChannel implements WritableByteChannel {
        private final SocketChannel target;

        ForwardingChannel(SocketChannel target) {
            this.target = target;
        }

        @Override
        public int write(ByteBuffer src) throws java.io.IOException {
            return target.write(src);
        }

        @Override
        public boolean isOpen() {
            return target.isOpen();
        }

        @Override
        public void close() {
        }
    }

    static void transferWrapper(Path dir) throws Exception {
        Path src = sparse(dir, "w-src", 4 * MiB);
        ByteArrayOutputStream sink = new ByteArrayOutputStream(4 * MiB);
        AtomicLong received = new AtomicLong();
        try (FileChannel in = FileChannel.open(src); SocketChannel sock = drainedConnection(received)) {
            long n = wrapperTransfer(in, Channels.newChannel(sink));
            truth("jdkWrapper", n);
            long m = appChannelTransfer(in, new ForwardingChannel(sock));
            truth("appChannel", m);
            sock.shutdownOutput();
            awaitReceived(received, 4 * MiB);
        }
    }

    static long wrapperTransfer(FileChannel in, WritableByteChannel target) throws Exception {
        return in.transferTo(0, 4 * MiB, target);
    }

    static long appChannelTransfer(FileChannel in, WritableByteChannel target) throws Exception {
        return in.transferTo(0, 4 * MiB, target);
    }

    static void transferAppend(Path dir) throws Exception {
        Path src = sparse(dir, "a-src", MiB);
        try (FileChannel in = FileChannel.open(src);
             FileChannel append = FileChannel.open(dir.resolve("a-log"), StandardOpenOption.CREATE,
                     StandardOpenOption.WRITE, StandardOpenOption.APPEND);
             FileChannel plain = FileChannel.open(dir.resolve("a-plain"), StandardOpenOption.CREATE,
                     StandardOpenOption.WRITE)) {
            truth("append", appendTransfer(in, append));
            truth("after", afterAppendTransfer(in, plain));
        }
    }

    static long appendTransfer(FileChannel in, FileChannel target) throws Exception {
        return in.transferTo(0, MiB, target);
    }

    static long afterAppendTransfer(FileChannel in, FileChannel target) throws Exception {
        return in.transferTo(0, MiB, target);
    }

    static void transferPipe(Path dir) throws Exception {
        Path src = sparse(dir, "p-src", 64 * KiB);
        Pipe pipe = Pipe.open();
        AtomicLong received = new AtomicLong();
        Thread reader = new Thread(() -> {
            ByteBuffer b = ByteBuffer.allocateDirect(64 * KiB);
            try {
                for (int n; (n = pipe.source().read(b)) != -1; b.clear()) received.addAndGet(n);
            } catch (Exception ignored) {
                // closed
            }
        });
        reader.setDaemon(true);
        reader.start();
        try (FileChannel in = FileChannel.open(src)) {
            long small = 0;
            while (small < 8 * KiB) small += smallPipeTransfer(in, small, 8 * KiB - small, pipe.sink());
            long large = 0;
            while (large < 64 * KiB) large += largePipeTransfer(in, large, 64 * KiB - large, pipe.sink());
            truth("small", small);
            truth("large", large);
        }
        pipe.sink().close();
        reader.join(5000);
        truth("received", received.get());
    }

    static long smallPipeTransfer(FileChannel in, long pos, long count, Pipe.SinkChannel sink) throws Exception {
        return in.transferTo(pos, count, sink);
    }

    static long largePipeTransfer(FileChannel in, long pos, long count, Pipe.SinkChannel sink) throws Exception {
        return in.transferTo(pos, count, sink);
    }

    static void transferNothing(Path dir) throws Exception {
        Path src = sparse(dir, "n-src", KiB);
        try (FileChannel in = FileChannel.open(src);
             FileChannel out = FileChannel.open(dir.resolve("n-dst"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            truth("moved", beyondEnd(in, out));
        }
    }

    static long beyondEnd(FileChannel in, FileChannel out) throws Exception {
        return in.transferTo(2 * KiB, KiB, out);
    }

    static void transferFromSocket(Path dir) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            Thread sender = new Thread(() -> {
                try (SocketChannel c = SocketChannel.open(server.getLocalAddress())) {
                    ByteBuffer b = ByteBuffer.allocateDirect(MiB);
                    while (b.hasRemaining()) c.write(b);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            sender.start();
            try (SocketChannel peer = server.accept();
                 FileChannel out = FileChannel.open(dir.resolve("fs-dst"), StandardOpenOption.CREATE,
                         StandardOpenOption.WRITE)) {
                long n = 0;
                for (long r; n < MiB && (r = socketToFile(out, peer, n, MiB - n)) > 0; ) n += r;
                truth("bytes", n);
            }
            sender.join();
        }
    }

    static long socketToFile(FileChannel out, SocketChannel in, long pos, long count) throws Exception {
        return out.transferFrom(in, pos, count);
    }

    // ------------------------------------------------------------ partial non-blocking writes

    /** Writes 4 MiB from a heap buffer to a non-blocking socket whose peer reads slowly. */
    static void partialWrites() throws Exception {
        // Small socket buffers on both ends: a 4 MiB write cannot be taken whole, however fast the reader.
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 64 * KiB);
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            SocketChannel client = SocketChannel.open();
            client.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 64 * KiB);
            client.connect(server.getLocalAddress());
            SocketChannel peer = server.accept();
            client.configureBlocking(false);
            Thread reader = new Thread(() -> {
                ByteBuffer b = ByteBuffer.allocateDirect(64 * KiB);
                try {
                    while (peer.read(b) != -1) {
                        b.clear();
                        Thread.sleep(1);
                    }
                } catch (Exception ignored) {
                    // done
                }
            });
            reader.start();
            ByteBuffer buf = ByteBuffer.allocate(4 * MiB);
            long calls = 0;
            long copied = 0;
            long partial = 0;
            while (buf.hasRemaining()) {
                int before = buf.remaining();
                int n = nonBlockingWrite(client, buf);
                calls++;
                copied += before;
                if (n < before) partial++;
                if (n == 0) Thread.sleep(1);
            }
            client.close();
            reader.join();
            peer.close();
            truth("calls", calls);
            truth("copied", copied);
            truth("partial", partial);
        }
    }

    static int nonBlockingWrite(SocketChannel ch, ByteBuffer b) throws Exception {
        return ch.write(b);
    }

    // ------------------------------------------------------------ java.net.Socket streams

    static void socketStream() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            long[] got = new long[1];
            Thread reader = new Thread(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    byte[] b = new byte[64 * KiB];
                    for (int n; (n = streamRead(in, b)) != -1; ) got[0] += n;
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            reader.start();
            try (Socket s = new Socket(server.getInetAddress(), server.getLocalPort());
                 OutputStream out = s.getOutputStream()) {
                byte[] chunk = new byte[64 * KiB];
                for (int i = 0; i < 256; i++) streamWrite(out, chunk);
            }
            reader.join();
            truth("received", got[0]);
        }
    }

    static int streamRead(InputStream in, byte[] b) throws Exception {
        return in.read(b);
    }

    static void streamWrite(OutputStream out, byte[] b) throws Exception {
        out.write(b);
    }

    // ------------------------------------------------------------ datagrams

    static void datagram() throws Exception {
        try (DatagramChannel rx = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             DatagramChannel tx = DatagramChannel.open()) {
            ByteBuffer out = ByteBuffer.allocate(KiB);
            ByteBuffer in = ByteBuffer.allocate(2 * KiB);
            long received = 0;
            for (int i = 0; i < 100; i++) {
                out.clear();
                datagramSend(tx, out, rx.getLocalAddress());
                in.clear();
                datagramReceive(rx, in);
                received += in.position();
            }
            truth("received", received);
        }
    }

    static void datagramSend(DatagramChannel ch, ByteBuffer b, java.net.SocketAddress to) throws Exception {
        ch.send(b, to);
    }

    static void datagramReceive(DatagramChannel ch, ByteBuffer b) throws Exception {
        ch.receive(b);
    }

    // ------------------------------------------------------------ java.io

    static void javaIo(Path dir) throws Exception {
        Path f = dir.resolve("io");
        try (FileOutputStream out = new FileOutputStream(f.toFile())) {
            byte[] small = new byte[4 * KiB];
            for (int i = 0; i < 4096; i++) smallWrite(out, small);
            byte[] large = new byte[64 * KiB];
            for (int i = 0; i < 256; i++) largeWrite(out, large);
        }
        long total = 0;
        try (FileInputStream in = new FileInputStream(f.toFile())) {
            byte[] b = new byte[64 * KiB];
            for (int n; (n = largeRead(in, b)) != -1; ) total += n;
        }
        truth("read", total);
        try (RandomAccessFile raf = new RandomAccessFile(dir.resolve("raf").toFile(), "rw")) {
            for (int i = 0; i < 1000; i++) singleByteWrite(raf, i);
        }
    }

    static void smallWrite(OutputStream out, byte[] b) throws Exception {
        out.write(b);
    }

    static void largeWrite(OutputStream out, byte[] b) throws Exception {
        out.write(b, 0, b.length);
    }

    static int largeRead(InputStream in, byte[] b) throws Exception {
        return in.read(b, 0, b.length);
    }

    static void singleByteWrite(RandomAccessFile raf, int b) throws Exception {
        raf.write(b);
    }

    // ------------------------------------------------------------ Files.copy and InputStream.transferTo

    static void filesCopy(Path dir) throws Exception {
        Path src = dir.resolve("fc-src");
        try (RandomAccessFile raf = new RandomAccessFile(src.toFile(), "rw")) {
            raf.setLength(8 * MiB);
        }
        pathToPath(src, dir.resolve("fc-dst"));
        try (FileOutputStream out = new FileOutputStream(dir.resolve("fc-out").toFile())) {
            truth("pathToStream", pathToStream(src, out));
        }
        try (FileInputStream in = new FileInputStream(src.toFile());
             FileOutputStream out = new FileOutputStream(dir.resolve("fc-tt").toFile())) {
            truth("streamTransfer", streamTransfer(in, out));
        }
        truth("size", 8 * MiB);
    }

    static void pathToPath(Path a, Path b) throws Exception {
        Files.copy(a, b);
    }

    static long pathToStream(Path a, OutputStream out) throws Exception {
        return Files.copy(a, out);
    }

    static long streamTransfer(InputStream in, OutputStream out) throws Exception {
        return in.transferTo(out);
    }

    /** Files.copy and InputStream.transferTo into socket streams (primer §3, stream helpers). */
    static void streamHelpers(Path dir) throws Exception {
        Path src = sparse(dir, "sh-src", 4 * MiB);
        try (ServerSocket server = new ServerSocket(0, 3, java.net.InetAddress.getLoopbackAddress())) {
            long[] got = new long[1];
            Thread reader = new Thread(() -> {
                for (int i = 0; i < 3; i++) {
                    try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                        got[0] += in.transferTo(OutputStream.nullOutputStream());
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }
            });
            reader.start();
            try (Socket s = new Socket(server.getInetAddress(), server.getLocalPort())) {
                truth("toSocketStream", copyToSocketStream(src, s.getOutputStream()));
            }
            try (SocketChannel ch = SocketChannel.open(server.getLocalSocketAddress())) {
                truth("toChannelStream", copyToChannelStream(src, Channels.newOutputStream(ch)));
            }
            try (Socket s = new Socket(server.getInetAddress(), server.getLocalPort());
                 FileInputStream in = new FileInputStream(src.toFile())) {
                truth("fisToSocketStream", fisToSocketStream(in, s.getOutputStream()));
            }
            reader.join();
            truth("received", got[0]);
        }
    }

    static long copyToSocketStream(Path src, OutputStream out) throws Exception {
        return Files.copy(src, out);
    }

    static long copyToChannelStream(Path src, OutputStream out) throws Exception {
        return Files.copy(src, out);
    }

    static long fisToSocketStream(InputStream in, OutputStream out) throws Exception {
        return in.transferTo(out);
    }

    /** java.net.DatagramSocket send/receive of 100 packets of 1 KiB. */
    static void datagramSocket() throws Exception {
        try (java.net.DatagramSocket rx = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress());
             java.net.DatagramSocket tx = new java.net.DatagramSocket()) {
            byte[] out = new byte[KiB];
            byte[] in = new byte[2 * KiB];
            long received = 0;
            for (int i = 0; i < 100; i++) {
                packetSend(tx, new java.net.DatagramPacket(out, out.length, rx.getLocalSocketAddress()));
                java.net.DatagramPacket p = new java.net.DatagramPacket(in, in.length);
                packetReceive(rx, p);
                received += p.getLength();
            }
            truth("received", received);
        }
    }

    static void packetSend(java.net.DatagramSocket s, java.net.DatagramPacket p) throws Exception {
        s.send(p);
    }

    static void packetReceive(java.net.DatagramSocket s, java.net.DatagramPacket p) throws Exception {
        s.receive(p);
    }

    /** transferTo from a file that reports size 0 (/proc): JDK 21+ skip straight to the loop. */
    static void transferProc(Path dir) throws Exception {
        try (FileChannel in = FileChannel.open(Path.of("/proc/self/status"));
             FileChannel out = FileChannel.open(dir.resolve("proc-copy"), StandardOpenOption.CREATE,
                     StandardOpenOption.WRITE)) {
            truth("moved", procTransfer(in, out));
        }
    }

    static long procTransfer(FileChannel in, FileChannel out) throws Exception {
        return in.transferTo(0, 1 << 20, out);
    }

    // ------------------------------------------------------------ labelling and bookkeeping

    /** Loads a class from a fresh directory class path: the JDK reads the class file, the app does not. */
    static void classLoading(Path dir) throws Exception {
        Path classes = dir.resolve("cl");
        Path pkg = classes.resolve("io/copytrace/agent/workloads");
        Files.createDirectories(pkg);
        String res = "/io/copytrace/agent/workloads/Loaded.class";
        try (InputStream in = Workloads.class.getResourceAsStream(res)) {
            Files.write(pkg.resolve("Loaded.class"), in.readAllBytes());
        }
        try (java.net.URLClassLoader l = new java.net.URLClassLoader(new java.net.URL[] {classes.toUri().toURL()}, null)) {
            Class<?> c = l.loadClass("io.copytrace.agent.workloads.Loaded");
            System.out.println("loaded " + c.getName());
        }
    }

    /** Twelve distinct call sites, for the max-sites cap. */
    static void manySites(Path dir) throws Exception {
        try (FileChannel ch = FileChannel.open(dir.resolve("sites"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocateDirect(16);
            b.clear(); ch.write(b);
            b.clear(); ch.write(b);
            b.clear(); ch.write(b);
            b.clear(); ch.write(b);
            b.clear(); ch.write(b);
            b.clear(); ch.write(b);
            b.clear(); ch.write(b);
            b.clear(); ch.write(b);
            b.clear(); ch.write(b);
            b.clear(); ch.write(b);
            b.clear(); ch.write(b);
            b.clear(); ch.write(b);
        }
        truth("writes", 12);
    }

    /** Prints to both streams, writes files, exits with status 3: must be identical with and without the agent. */
    static void output(Path dir) throws Exception {
        copyLoop(dir, false);
        transferFile(dir);
        mapped(dir);
        try (FileChannel ch = FileChannel.open(dir.resolve("out.bin"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocateDirect(1000);
            for (int i = 0; i < 1000; i++) b.put((byte) (i * 7));
            b.flip();
            ch.write(b);
        }
        System.err.println("stderr line");
        System.out.flush();
        System.exit(3);
    }

    /** Does some I/O, then sleeps past a short duration= window, then more I/O outside the window. */
    /**
     * For a dynamic attach: the heap loop three times (so the JDK's I/O methods are loaded, linked and
     * JIT-compiled), then READY and the pid, then, after a line on stdin, the loop once more.
     */
    static void attachLoop(Path dir) throws Exception {
        for (int i = 0; i < 3; i++) copyLoop(dir, false);
        System.out.println("READY " + ProcessHandle.current().pid());
        System.out.flush();
        new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
        copyLoop(dir, false);
    }

    static void sleepy(Path dir) throws Exception {
        try (FileChannel ch = FileChannel.open(dir.resolve("sleepy"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocateDirect(KiB);
            insideWindow(ch, b);
            Thread.sleep(2500);
            b.clear();
            insideWindow(ch, b);
        }
    }

    static void insideWindow(FileChannel ch, ByteBuffer b) throws Exception {
        ch.write(b);
    }
}
