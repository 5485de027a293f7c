// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.workloads;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * transferTo (sendfile) of a file to a peer given as {@code -Dpeer=HOST:PORT}, which may sit behind another
 * interface (a veth pair into a network namespace); {@link #main} is that peer's sink.
 */
public final class PeerSend {
    static final int FILE_BYTES = 8 << 20;

    private PeerSend() {}

    /**
     * Sends after {@code -Dpeer.delayMs} (default 0) and ends {@code -Dpeer.afterMs} later (default 0), saying
     * whether JNA's native library is mapped into the process by then ({@code jnaBeforeClose}: the agent's offload
     * reading, the only JNA user here, ran before the window's close).
     */
    static void run(Path dir) throws Exception {
        Path file = dir.resolve("peer-send.bin");
        Files.write(file, new byte[FILE_BYTES]);
        Thread.sleep(Long.getLong("peer.delayMs", 0));
        String[] peer = System.getProperty("peer").split(":");
        long sent = 0;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
             SocketChannel out = SocketChannel.open(new InetSocketAddress(peer[0], Integer.parseInt(peer[1])))) {
            while (sent < FILE_BYTES) sent += in.transferTo(sent, FILE_BYTES - sent, out);
        }
        System.out.println("TRUTH bytes=" + sent);
        Thread.sleep(Long.getLong("peer.afterMs", 0));
        boolean jna = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .anyMatch(line -> line.toLowerCase(java.util.Locale.ROOT).contains("jna"));
        System.out.println("TRUTH jnaBeforeClose=" + (jna ? 1 : 0));
    }

    /** The sink: accepts one connection on {@code args[0]}:{@code args[1]}, reads it to the end, prints the count. */
    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(args[0], Integer.parseInt(args[1])));
            System.out.println("listening");
            System.out.flush();
            try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                byte[] buf = new byte[64 << 10];
                long n = 0;
                for (int r; (r = in.read(buf)) > 0; ) n += r;
                System.out.println("received " + n);
            }
        }
    }
}
