// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.tools;

import io.copytrace.samples.Loopback;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a small TCP send costs the sender alone, for the benchmark's prediction: 64-byte sends (Nagle on, as the
 * report's {@code SocketSendCost}) to a session of the benchmark's sink, in rounds printed as {@link SenderRun}'s
 * {@code RUN} lines ({@code time.start-ns}, {@code time.wall-ns}, {@code sends}), so that {@link SenderCpu} can take
 * each round's CPU from a {@code perf record} of this JVM with the receive processing left out, as it does for the
 * senders. The report's own figure (the sending thread's CPU) holds the NET_RX softirq whenever the kernel ran it
 * on the sending thread, which the senders' figure does not.
 *
 * <pre>
 * perf record ... -- java -cp samples/target/classes io.copytrace.samples.tools.SendPrice 10.213.0.2:40000
 * </pre>
 */
public final class SendPrice {
    static final int MESSAGE = 64;
    /** Sends per round: ~150–200 ms of CPU over veth on the build machine, ~150–200 samples. */
    static final int SENDS = 100_000;
    static final int ROUNDS = 5;

    private SendPrice() {}

    public static void main(String[] args) throws Exception {
        try (Loopback sink = Loopback.remote(args[0]); SocketChannel out = SocketChannel.open(sink.address())) {
            ByteBuffer message = ByteBuffer.allocateDirect(MESSAGE);
            send(out, message, SENDS); // warm-up: the JIT, the connection's buffers
            for (int r = 0; r < ROUNDS; r++) {
                Map<String, Long> round = new LinkedHashMap<>();
                long start = System.nanoTime();
                send(out, message, SENDS);
                round.put("time.start-ns", start);
                round.put("time.wall-ns", System.nanoTime() - start);
                round.put("sends", (long) SENDS);
                System.out.println(SenderRun.line(round));
            }
        }
    }

    /** The median round's sender CPU per send, from rounds {@link SenderCpu#measure} filled in. */
    static double nanosPerSend(List<Map<String, Long>> rounds) {
        return SavingCheck.median(rounds.stream().map(r -> r.get("time.sender-cpu-ns")).toList())
                / (double) rounds.get(0).get("sends");
    }

    private static void send(SocketChannel out, ByteBuffer message, int sends) throws java.io.IOException {
        for (int i = 0; i < sends; i++) {
            message.clear();
            while (message.hasRemaining()) out.write(message);
        }
    }
}
