// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples;

import io.copytrace.samples.relay.BufferPool;
import io.copytrace.samples.relay.Chunk;
import io.copytrace.samples.relay.ChunkReader;
import io.copytrace.samples.relay.ChunkWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;

/**
 * Lesson 10: a file → socket relay split the way real servers are built.
 *
 * <p>Lessons 2 and 3 read and write in one method. Servers do not: a {@link ChunkReader} on one thread
 * fills buffers from the file with positional reads, hands them through a queue, and a {@link ChunkWriter}
 * on another thread (the event loop) writes them to the socket and returns the buffers to a
 * {@link BufferPool}: the shape of Netty's {@code ChunkedNioFile} + {@code ChunkedWriteHandler}. The
 * buffers are slices of one big allocation (a pooled arena), and the writer hands the channel a new
 * {@code ByteBuffer} view of each chunk's memory, not the object the reader filled. No method, class or
 * thread does both the read and the write: the only thing linking them is the memory the bytes pass
 * through. The two threads live as long as the JVM, as a server's do, so the agent's per-thread kernel view
 * reads their context switches when the window closes (the relay finding prices the hand-offs from them).
 *
 * <p>The copies are those of lessons 2 and 3:
 * <ul>
 * <li>{@code --buffers=direct} (default): {@code pread64} copies the page cache into the pooled buffer (K),
 * {@code write} copies it into the socket (K): <b>2 CPU copies per byte</b> and two syscalls per 64 KiB.</li>
 * <li>{@code --buffers=heap}: the JDK reads into a temporary direct buffer and copies it into the heap
 * slice, and copies the heap view into a temporary direct buffer before the write: K + U + U + K,
 * <b>4 CPU copies per byte</b>.</li>
 * <li>{@code --send=transferTo}, the fix: the reader thread calls {@link FileChannel#transferTo} to the
 * socket itself; no chunk, no queue, no writer thread, no pool. {@code sendfile}: <b>1 CPU copy per
 * byte</b> in the kernel (0 with a scatter/gather-DMA NIC) and one syscall for the whole file (two on JDK
 * 21+: {@code copy_file_range} refused with {@code EINVAL}, then {@code sendfile}).</li>
 * </ul>
 *
 * <p>What copytrace sees today: the reads at {@code ChunkReader.readChunk} and the writes at
 * {@code ChunkWriter.writeChunk}, on threads {@code chunk-reader} and {@code chunk-writer}, each the size
 * of the file. Its read-write-loop rule only joins a read and a write in one method, or in two methods
 * with one caller, so it reports no loop here: with direct buffers the report has <b>no finding at
 * all</b> for the 2 copies per byte that {@code transferTo} would halve, and with heap buffers two
 * <b>heap-buffer</b> findings whose fix (direct buffers) still leaves the relay. A rule that follows the
 * bytes through the buffers' memory (a "relay" finding) is being built on this sample. The fixed variant
 * is one <b>zero-copy</b> "good" finding at {@code ChunkReader.transferAll}.
 *
 * <h2>How to run</h2>
 * <pre>
 * java -javaagent:dist/copytrace.jar=out=out/s10 -cp samples/target/classes \
 *      io.copytrace.samples.Sample10SplitRelay [--buffers=direct|heap] [--send=relay|transferTo] [--mib=32]
 * java -jar dist/copytrace.jar report out/s10/recording-*.json
 * </pre>
 * Prints {@code TRUTH file.bytes}, {@code read} (by the reader; 0 with transferTo), {@code chunks},
 * {@code sent} and {@code received} (what the loopback peer got).
 */
public final class Sample10SplitRelay {
    /** Bytes per chunk: one pooled buffer, one positional read, one socket write. */
    static final int CHUNK_SIZE = 64 * SampleFiles.KiB;
    /** Buffers in the pool: at most this many chunks are in flight between the two threads. */
    static final int POOL_BUFFERS = 8;
    static final String READER_THREAD = "chunk-reader";
    static final String WRITER_THREAD = "chunk-writer";

    private Sample10SplitRelay() {}

    public static void main(String[] args) throws Exception {
        run(args).print();
    }

    /** Runs the sample with {@code args} (see the class comment) and returns what it moved. */
    public static Totals run(String... args) throws Exception {
        Flags flags = Flags.parse(args);
        boolean direct = flags.choice("buffers", "direct", "heap").equals("direct");
        boolean relay = flags.choice("send", "relay", "transferTo").equals("relay");
        int mib = flags.positive("mib", 32);
        String dirFlag = flags.string("dir", "");
        flags.done(); // before the work directory is made: a refused flag leaves no temporary directory behind
        Path dir = SampleFiles.workDir(dirFlag);
        Totals totals = new Totals();
        try (Loopback peer = Loopback.sink()) {
            Path file = SampleFiles.create(dir.resolve("file.bin"), (long) mib * SampleFiles.MiB);
            try (FileChannel in = FileChannel.open(file); SocketChannel out = peer.connect()) {
                totals.add("file.bytes", in.size());
                BufferPool pool = relay ? (direct ? BufferPool.direct(POOL_BUFFERS, CHUNK_SIZE)
                        : BufferPool.heap(POOL_BUFFERS, CHUNK_SIZE)) : null;
                totals.add("sent", totals.timed(() -> relay
                        ? relay(new ChunkReader(in), new ChunkWriter(out), pool, totals)
                        : transfer(new ChunkReader(in), out, totals)));
            }
            totals.add("received", peer.awaitReceived(totals.get("sent")));
        } finally {
            SampleFiles.deleteTree(dir);
        }
        return totals;
    }

    /**
     * The copy-heavy way: the reader thread fills pooled buffers, the writer thread sends them. The queue
     * holds at most every pooled buffer and the end marker, so neither thread ever waits on it for room.
     */
    static long relay(ChunkReader reader, ChunkWriter writer, BufferPool pool, Totals totals) throws Exception {
        BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(POOL_BUFFERS + 1);
        long[] read = new long[1];
        long sent = runOnThreads(
                READER_THREAD, () -> read[0] = reader.readAll(pool, queue),
                WRITER_THREAD, () -> writer.writeAll(pool, queue));
        totals.add("read", read[0]);
        totals.add("chunks", (read[0] + CHUNK_SIZE - 1) / CHUNK_SIZE);
        return sent;
    }

    /** The fix: the reader thread sends the file with transferTo (sendfile); nothing else runs. */
    static long transfer(ChunkReader reader, SocketChannel out, Totals totals) throws Exception {
        totals.add("read", 0);
        return runOnThreads(READER_THREAD, () -> reader.transferAll(out), null, null);
    }

    /**
     * Runs {@code first} on a thread named {@code firstName} and, when given, {@code second} on a thread
     * named {@code secondName}; waits for both and returns what the last one given returned. When one fails,
     * the other is interrupted (it may be waiting for a buffer or a chunk that will never come) and the
     * failure is thrown. Each thread runs its task directly, so the reader's and the writer's stacks share
     * no application frame.
     */
    private static long runOnThreads(String firstName, Callable<Long> first, String secondName, Callable<Long> second)
            throws Exception {
        Side a = new Side(first);
        Side b = second == null ? null : new Side(second);
        if (b != null) {
            a.other = b;
            b.other = a;
        }
        start(firstName, a);
        if (b != null) start(secondName, b);
        try {
            long result;
            try {
                result = a.get();
            } catch (CancellationException cancelled) {
                b.get(); // the second one failed and cancelled the first: this throws its failure
                throw cancelled;
            }
            return b == null ? result : b.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            throw e;
        }
    }

    /**
     * The sample's threads, one per name, living as long as the JVM: a server's event loop and file-reading pool do
     * not end after a transfer. (A thread that ends before the agent's window closes takes its context switches
     * with it: /proc keeps none of exited threads, and the relay finding prices the hand-offs from them.)
     */
    private static final Map<String, ExecutorService> THREADS = new ConcurrentHashMap<>();

    private static void start(String name, Side side) {
        THREADS.computeIfAbsent(name, n -> Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, n);
            t.setDaemon(true);
            return t;
        })).execute(side);
    }

    /** One thread's task; when it fails, it cancels (interrupts) the other side. */
    private static final class Side extends FutureTask<Long> {
        private Side other;

        Side(Callable<Long> task) {
            super(task);
        }

        @Override
        protected void done() {
            if (other == null || isCancelled()) return;
            try {
                get();
            } catch (ExecutionException failed) {
                other.cancel(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
