// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.workloads;

import static io.copytrace.agent.workloads.Workloads.KiB;
import static io.copytrace.agent.workloads.Workloads.MiB;
import static io.copytrace.agent.workloads.Workloads.awaitReceived;
import static io.copytrace.agent.workloads.Workloads.drainedConnection;
import static io.copytrace.agent.workloads.Workloads.sparse;
import static io.copytrace.agent.workloads.Workloads.truth;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * FileChannel.transferTo and transferFrom: to a socket, a file, a JDK and an application wrapper, an append-mode
 * file and a pipe; past the end of the file; from a socket; from a /proc file.
 */
final class TransferWorkloads {
    private TransferWorkloads() {}

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
}
