// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.workloads;

import static io.copytrace.agent.workloads.Workloads.KiB;
import static io.copytrace.agent.workloads.Workloads.MiB;
import static io.copytrace.agent.workloads.Workloads.truth;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** Sockets: partial non-blocking writes, java.net.Socket streams, DatagramChannel and DatagramSocket. */
final class SocketWorkloads {
    private SocketWorkloads() {}

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
}
