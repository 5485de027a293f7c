// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.OptionalDouble;

/**
 * What a small TCP send costs the sender on this host: a loopback TCP pair of this process, a thread draining
 * the receiving end, and the median of {@link #ROUNDS} rounds of 64-byte sends (the JDK's defaults: Nagle on),
 * timed by the sending thread's own CPU time. Thread CPU, not wall clock: the drainer's reads are the receiver's
 * work (another process, in the app), and a send that waits for buffer space costs no CPU; the TCP stack's work
 * that runs on the sending CPU (the segment, the receive softirq, the ACK) is counted, as it is in the app's
 * process CPU. The median, not the best round: thread CPU leaves other processes' time slices out already, and
 * the kernel charges the sender the receive softirq only when it runs it right away on the sending CPU (under
 * load it defers it to ksoftirqd); the best round is the one where it ran elsewhere, cheaper than what a sender
 * pays (make bench-samples: the best of 5 priced sample 07's sends at a third of what the sender paid). Only ever
 * run in the reporting process ({@link HostCost#measure}), never in the app's JVM.
 */
final class SocketSendCost {
    static final int MESSAGE = 64;
    static final int SENDS = 4_000;
    /** Rounds: an odd number, for a median. */
    static final int ROUNDS = 9;

    private SocketSendCost() {}

    /** The median round's CPU per send over a loopback pair of this process, or empty when loopback TCP fails here. */
    static OptionalDouble measure() {
        OptionalDouble nanos = DrainedLoopback.measure(SocketSendCost::time);
        return nanos.isPresent() && nanos.getAsDouble() > 0 ? nanos : OptionalDouble.empty();
    }

    /**
     * The median round's CPU per send to {@code peer}, a service that reads and discards what it is sent, on the path
     * whose sends are to be priced (another host, a network namespace: loopback is cheaper per segment than a 1500
     * MTU interface).
     */
    static double measureTo(InetSocketAddress peer) throws IOException {
        try (SocketChannel out = SocketChannel.open(peer)) {
            return time(out);
        }
    }

    /** A warm-up, then the median of the rounds: the sending thread's CPU per send. */
    private static double time(SocketChannel out) throws IOException {
        ByteBuffer message = ByteBuffer.allocateDirect(MESSAGE);
        send(out, message, SENDS / 2); // warm-up: the JIT, the connection's buffers
        long[] rounds = new long[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long t0 = ThreadCpu.now();
            send(out, message, SENDS);
            rounds[r] = ThreadCpu.now() - t0;
        }
        return (double) ThreadCpu.median(rounds) / SENDS;
    }

    private static void send(SocketChannel out, ByteBuffer message, int sends) throws IOException {
        for (int i = 0; i < sends; i++) {
            message.clear();
            while (message.hasRemaining()) out.write(message);
        }
    }
}
