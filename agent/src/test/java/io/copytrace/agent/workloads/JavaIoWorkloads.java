// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.workloads;

import static io.copytrace.agent.workloads.Workloads.KiB;
import static io.copytrace.agent.workloads.Workloads.MiB;
import static io.copytrace.agent.workloads.Workloads.sparse;
import static io.copytrace.agent.workloads.Workloads.truth;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * java.io file streams, Files.copy and InputStream.transferTo (to files and to socket streams), and a class
 * loaded from a file.
 */
final class JavaIoWorkloads {
    private JavaIoWorkloads() {}

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

    /** Loads a class from a fresh directory class path: the JDK reads the class file, the app does not. */
    static void classLoading(Path dir) throws Exception {
        Path classes = dir.resolve("cl");
        Path pkg = classes.resolve("io/copytrace/agent/workloads");
        Files.createDirectories(pkg);
        String res = "/io/copytrace/agent/workloads/Loaded.class";
        try (InputStream in = JavaIoWorkloads.class.getResourceAsStream(res)) {
            Files.write(pkg.resolve("Loaded.class"), in.readAllBytes());
        }
        try (java.net.URLClassLoader l = new java.net.URLClassLoader(new java.net.URL[] {classes.toUri().toURL()}, null)) {
            Class<?> c = l.loadClass("io.copytrace.agent.workloads.Loaded");
            System.out.println("loaded " + c.getName());
        }
    }
}
