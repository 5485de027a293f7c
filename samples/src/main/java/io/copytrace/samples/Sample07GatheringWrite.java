// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Lesson 7: many tiny writes versus one gathering write.
 *
 * <p>A message protocol writes a 16-byte header and a 112-byte body per message, each with its own
 * {@code write}. No byte is copied needlessly here (the buffers are direct), but every call is a syscall
 * and two user/kernel mode switches for 16 or 112 bytes: 40 000 syscalls for 2.4 MiB. copytrace reports a
 * <b>small-io</b> finding for each of the two writes in {@link #sendOneByOne}.
 *
 * <p>The fix, {@code --writes=gathering}, hands many headers and bodies to one
 * {@link SocketChannel#write(ByteBuffer[])}, a single {@code writev}: the same bytes, about 1/500 of the
 * syscalls. The reader side is not flagged: it asks for 256 KiB per read, and a reader that gets little
 * per call is fixed on the writer's side.
 *
 * <h2>How to run</h2>
 * <pre>
 * java -javaagent:dist/copytrace.jar=out=out/s07 -cp samples/target/classes \
 *      io.copytrace.samples.Sample07GatheringWrite [--writes=tiny|gathering] [--messages=20000]
 * java -jar dist/copytrace.jar report out/s07/recording-*.json
 * </pre>
 * Prints {@code TRUTH messages}, {@code sent}, {@code received} and {@code write.calls}.
 */
public final class Sample07GatheringWrite {
    static final int HEADER = 16;
    static final int BODY = 112;
    /** Messages per gathering write: 256 buffers, well under the kernel's IOV_MAX of 1024. */
    static final int BATCH = 128;

    private Sample07GatheringWrite() {}

    public static void main(String[] args) throws Exception {
        run(args).print();
    }

    /** Runs the sample with {@code args} (see the class comment) and returns what it moved. */
    public static Totals run(String... args) throws Exception {
        Flags flags = Flags.parse(args);
        boolean tiny = flags.choice("writes", "tiny", "gathering").equals("tiny");
        int messages = flags.positive("messages", 20_000);
        flags.done();
        Totals totals = new Totals();
        ByteBuffer[] buffers = new ByteBuffer[2 * BATCH];
        for (int i = 0; i < BATCH; i++) {
            buffers[2 * i] = ByteBuffer.allocateDirect(HEADER);
            buffers[2 * i + 1] = ByteBuffer.allocateDirect(BODY);
        }
        try (Loopback peer = Loopback.sink()) {
            try (SocketChannel out = peer.connect()) {
                totals.add("messages", messages);
                long[] calls = new long[1];
                totals.add("sent", totals.timed(() -> tiny
                        ? sendOneByOne(out, buffers, messages, calls) : sendGathered(out, buffers, messages, calls)));
                totals.add("write.calls", calls[0]);
            }
            totals.add("received", peer.awaitReceived(totals.get("sent")));
        }
        return totals;
    }

    /** The chatty way: a write for each header and a write for each body. */
    static long sendOneByOne(SocketChannel out, ByteBuffer[] buffers, int messages, long[] calls) throws IOException {
        long sent = 0;
        for (int m = 0; m < messages; m++) {
            ByteBuffer header = fill(buffers[0], m);
            ByteBuffer body = fill(buffers[1], m);
            while (header.hasRemaining()) {
                sent += out.write(header);
                calls[0]++;
            }
            while (body.hasRemaining()) {
                sent += out.write(body);
                calls[0]++;
            }
        }
        return sent;
    }

    /** The fix: up to 128 messages (256 buffers) per gathering write, one writev. */
    static long sendGathered(SocketChannel out, ByteBuffer[] buffers, int messages, long[] calls) throws IOException {
        long sent = 0;
        for (int m = 0; m < messages; ) {
            int batch = Math.min(BATCH, messages - m);
            for (int i = 0; i < batch; i++, m++) {
                fill(buffers[2 * i], m);
                fill(buffers[2 * i + 1], m);
            }
            long bytes = (long) batch * (HEADER + BODY);
            for (long done = 0; done < bytes; calls[0]++) done += out.write(buffers, 0, 2 * batch);
            sent += bytes;
        }
        return sent;
    }

    /** Stamps the message number into the buffer and readies it for writing. */
    private static ByteBuffer fill(ByteBuffer b, int message) {
        b.clear();
        b.putInt(0, message);
        return b;
    }
}
