// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.tools;

import io.copytrace.samples.Flags;
import io.copytrace.samples.Loopback;
import io.copytrace.samples.Sink;
import io.copytrace.samples.broker.BrokerClients;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The benchmark's receiving side in a process of its own, so that the sending sample's process CPU holds no
 * receiver's copy. Each connection to its control port is one sample's session, of the kind its first int
 * names. A sink ({@link Loopback#SINK_SESSION}, from {@link Loopback} with {@code -Dcopytrace.sink=host:port}):
 * the server opens a {@link Sink} on {@code --bind} for it and answers its port (4 bytes); then, for every
 * 8-byte count of expected bytes it is sent, it answers what the session's sink received (8 bytes) once that
 * many arrived (10 s at most); when the sample closes the control connection, the session's sink closes. The
 * broker's clients ({@link BrokerClients#SESSION}, sample 9): one run of its producers and consumers against
 * the broker at the connection's other end ({@link BrokerClients#serve}).
 *
 * <pre>
 * java -cp samples/target/classes io.copytrace.samples.tools.SinkServer --bind=10.213.47.2
 * </pre>
 * Prints {@code SINK port=N} (the control port) once it accepts, and runs until killed.
 */
public final class SinkServer {
    private SinkServer() {}

    public static void main(String[] args) throws IOException {
        Flags flags = Flags.parse(args);
        InetAddress bind = InetAddress.getByName(flags.string("bind", "127.0.0.1"));
        flags.done();
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(bind, 0))) {
            System.out.println("SINK port=" + ((InetSocketAddress) server.getLocalAddress()).getPort());
            System.out.flush();
            while (true) {
                SocketChannel control = server.accept();
                Thread session = new Thread(() -> serve(control, bind), "sink-session");
                session.setDaemon(true);
                session.start();
            }
        }
    }

    private static void serve(SocketChannel control, InetAddress bind) {
        try (control) {
            ByteBuffer kind = ByteBuffer.allocateDirect(Integer.BYTES);
            while (kind.hasRemaining()) {
                if (control.read(kind) < 0) return;
            }
            switch (kind.getInt(0)) {
                case Loopback.SINK_SESSION -> serveSink(control, bind);
                case BrokerClients.SESSION -> BrokerClients.serve(control);
                default -> System.err.println("unknown session kind " + kind.getInt(0));
            }
        } catch (Exception e) {
            System.err.println("sink session ended: " + e);
        }
    }

    private static void serveSink(SocketChannel control, InetAddress bind) throws IOException, InterruptedException {
        try (Sink sink = Sink.on(bind)) {
            ByteBuffer port = ByteBuffer.allocateDirect(Integer.BYTES).putInt(0, sink.address().getPort());
            while (port.hasRemaining()) control.write(port);
            ByteBuffer expected = ByteBuffer.allocateDirect(Long.BYTES);
            ByteBuffer answer = ByteBuffer.allocateDirect(Long.BYTES);
            while (true) {
                expected.clear();
                while (expected.hasRemaining()) {
                    if (control.read(expected) < 0) return; // the sample is done
                }
                answer.clear().putLong(0, sink.awaitReceived(expected.getLong(0)));
                while (answer.hasRemaining()) control.write(answer);
            }
        }
    }
}
