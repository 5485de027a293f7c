// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.OptionalDouble;

/**
 * A loopback TCP pair of the reporting process whose receiving end a thread of its own drains (its reads are the
 * receiver's work, not in the sending thread's CPU), for the send calibration ({@link SocketSendCost}). Only ever
 * made in the reporting process.
 */
final class DrainedLoopback {
    /** A calibration that sends on {@code out} and returns its figure. */
    interface Sends {
        double time(SocketChannel out) throws IOException;
    }

    private DrainedLoopback() {}

    /** What {@code sends} measures over a fresh pair; empty when loopback TCP (or the calibration) fails here. */
    static OptionalDouble measure(Sends sends) {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(loopback, 0));
             SocketChannel out = SocketChannel.open(server.getLocalAddress());
             SocketChannel in = server.accept()) {
            Thread drain = new Thread(() -> drain(in), "copytrace-calibration-drain");
            drain.setDaemon(true);
            drain.start();
            double figure = sends.time(out);
            out.shutdownOutput(); // the drainer reads the end and stops
            drain.join(1_000);
            return OptionalDouble.of(figure);
        } catch (IOException | SecurityException | UnsupportedOperationException | OutOfMemoryError e) {
            return OptionalDouble.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalDouble.empty();
        }
    }

    private static void drain(SocketChannel in) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        try {
            while (in.read(buffer.clear()) >= 0) {
                // discard
            }
        } catch (IOException closed) {
            // the pair closed: done
        }
    }
}
