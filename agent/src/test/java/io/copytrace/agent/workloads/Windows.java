// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.workloads;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * A service that windows are opened on and closed again, driven line by line on stdin (one answer line each):
 * <ul>
 * <li>{@code io N}: writes N bytes to a file in 4 KiB calls and reads them back, and sends N bytes over a
 * loopback connection in 8 KiB calls and receives them; answers {@code OK};
 * <li>{@code probe}: between windows, switches the probe on behind the agent's back
 * ({@code Probe.active}), does {@code io 65536}, switches it off, and answers {@code PROBE <sites>}: the
 * sites the probe saw, 0 when the JDK classes no longer call it;
 * <li>{@code census}: waits (up to 10 s) until no agent thread is left, runs a full GC, then answers
 * {@code CENSUS fds=<open descriptors> heapKb=<heap used> metaspaceKb=<metaspace used> rssKb=<VmRSS>
 * threads=<names, sorted, '|'>}.
 * </ul>
 * Each call has a method of its own, so each has its own site in a recording.
 */
public final class Windows {
    static final int FILE_CHUNK = 4096;
    static final int SOCKET_CHUNK = 8192;

    private final Path file;
    private final SocketChannel client;
    private final SocketChannel server;
    private final ByteBuffer chunk = ByteBuffer.allocate(SOCKET_CHUNK);

    private Windows(Path file, SocketChannel client, SocketChannel server) {
        this.file = file;
        this.client = client;
        this.server = server;
    }

    static void run(Path dir) throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel client = SocketChannel.open(listener.getLocalAddress());
             SocketChannel server = listener.accept()) {
            Windows app = new Windows(dir.resolve("data"), client, server);
            app.io(1 << 20); // the JDK classes loaded and warm before any window
            census(); // the census's own classes, loaded before any window
            System.out.println("READY " + ProcessHandle.current().pid());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
                String[] w = line.split(" ");
                String answer = switch (w[0]) {
                    case "io" -> {
                        app.io(Integer.parseInt(w[1]));
                        yield "OK";
                    }
                    case "probe" -> "PROBE " + app.probe();
                    case "census" -> census();
                    default -> "unknown command " + line;
                };
                System.out.println(answer);
            }
        }
    }

    void io(int bytes) throws Exception {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.allocate(FILE_CHUNK);
            for (int done = 0; done < bytes; done += FILE_CHUNK) {
                b.clear();
                windowWrite(out, b);
            }
        }
        try (FileChannel in = FileChannel.open(file)) {
            ByteBuffer b = ByteBuffer.allocate(FILE_CHUNK);
            for (long done = 0; done < bytes; ) {
                b.clear();
                done += windowRead(in, b);
            }
        }
        for (int done = 0; done < bytes; done += SOCKET_CHUNK) {
            chunk.clear();
            windowSend(client, chunk);
            chunk.clear();
            while (chunk.hasRemaining()) windowReceive(server, chunk);
        }
    }

    static int windowWrite(FileChannel ch, ByteBuffer b) throws Exception {
        return ch.write(b);
    }

    static int windowRead(FileChannel ch, ByteBuffer b) throws Exception {
        return ch.read(b);
    }

    static int windowSend(SocketChannel ch, ByteBuffer b) throws Exception {
        return ch.write(b);
    }

    static int windowReceive(SocketChannel ch, ByteBuffer b) throws Exception {
        return ch.read(b);
    }

    /** Switches the probe on with no window open, does some I/O, and counts the sites the probe then has. */
    int probe() throws Exception {
        Class<?> probe = Class.forName("io.copytrace.boot.Probe", false, null);
        Class<?> sites = Class.forName("io.copytrace.boot.SiteTable", false, null);
        probe.getField("active").setBoolean(null, true);
        try {
            io(65536);
        } finally {
            probe.getField("active").setBoolean(null, false);
        }
        return ((List<?>) sites.getMethod("all").invoke(null)).size();
    }

    static String census() throws Exception {
        for (int i = 0; i < 100 && threadNames().contains("copytrace-"); i++) Thread.sleep(100);
        long fds;
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            fds = s.count() - 1; // the listing's own
        }
        System.gc(); // what is left is what something still holds
        long heapKb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024;
        long metaspaceKb = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getName().equals("Metaspace"))
                .mapToLong(p -> p.getUsage().getUsed() / 1024).sum();
        String rss = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .findFirst().orElse("VmRSS: -1 kB").replaceAll("[^0-9-]", "");
        return "CENSUS fds=" + fds + " heapKb=" + heapKb + " metaspaceKb=" + metaspaceKb + " rssKb=" + rss
                + " threads=" + threadNames();
    }

    private static String threadNames() {
        return String.join("|", Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList());
    }
}
