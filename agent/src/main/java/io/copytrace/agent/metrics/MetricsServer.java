// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.metrics;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Serves {@code GET /metrics} over HTTP/1.1 from one agent thread (see docs/metrics.md for why not the JDK's
 * {@code com.sun.net.httpserver}): one request per connection, answered in full and closed. A client that
 * sends nothing is dropped after {@link #READ_TIMEOUT_MILLIS}; only the agent's thread waits for it.
 */
public final class MetricsServer implements AutoCloseable {
    /** How long a client may take to send its request. */
    static final int READ_TIMEOUT_MILLIS = 5000;
    /** The most request bytes read (request line and headers); a longer request is refused. */
    static final int MAX_REQUEST_BYTES = 16 * 1024;
    /** Connections the kernel queues while a scrape is answered. */
    private static final int BACKLOG = 16;

    private final ServerSocket socket;
    private final CopyMetrics metrics;

    private MetricsServer(ServerSocket socket, CopyMetrics metrics) {
        this.socket = socket;
        this.metrics = metrics;
    }

    /**
     * Binds {@code at} (resolved now) for a window's metrics with {@code sites} ranked sites; {@link #serve} then
     * answers on the caller's agent thread.
     *
     * @throws IOException when the host is unknown or the address cannot be bound
     */
    public static MetricsServer bind(InetSocketAddress at, int sites, MetricsSource source) throws IOException {
        InetSocketAddress resolved = new InetSocketAddress(at.getHostString(), at.getPort());
        if (resolved.isUnresolved()) throw new UnknownHostException("unknown host " + at.getHostString());
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true); // a later window binds the same port while the last one's connections linger
            s.bind(resolved, BACKLOG);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return new MetricsServer(s, new CopyMetrics(source, sites));
    }

    /** Answers requests until {@link #close}; run on an agent thread (its I/O is never recorded). */
    public void serve() {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (Throwable t) {
                if (socket.isClosed()) return;
                try {
                    Thread.sleep(100); // a failing accept (no descriptors left) must not spin
                } catch (InterruptedException stop) {
                    return;
                }
                continue;
            }
            try (client) {
                client.setSoTimeout(READ_TIMEOUT_MILLIS);
                answer(client);
            } catch (Throwable clientGone) {
                // that client's problem (gone, too slow): the next one is answered
            }
        }
    }

    private void answer(Socket client) throws IOException {
        String head = readHead(new BufferedInputStream(client.getInputStream()));
        OutputStream out = client.getOutputStream();
        if (head == null) {
            respond(out, "400 Bad Request", "request line and headers too long or cut short\n", false);
            return;
        }
        String[] lines = head.split("\r\n");
        String[] request = lines[0].split(" ");
        if (request.length != 3 || !request[2].startsWith("HTTP/")) {
            respond(out, "400 Bad Request", "not an HTTP request\n", false);
            return;
        }
        boolean headOnly = request[0].equals("HEAD");
        String path = request[1].contains("?") ? request[1].substring(0, request[1].indexOf('?')) : request[1];
        if (!headOnly && !request[0].equals("GET")) {
            respond(out, "405 Method Not Allowed", "GET /metrics\n", false);
        } else if (!path.equals("/metrics")) {
            respond(out, "404 Not Found", "copytrace serves /metrics\n", headOnly);
        } else {
            Exposition x = new Exposition(Exposition.wantsOpenMetrics(header(lines, "accept")));
            String body;
            try {
                body = metrics.scrape(x);
            } catch (Throwable t) {
                respond(out, "500 Internal Server Error", "copytrace could not read the window: " + t + "\n", headOnly);
                return;
            }
            respond(out, "200 OK", x.contentType(), body, headOnly);
        }
    }

    private static void respond(OutputStream out, String status, String text, boolean headOnly) throws IOException {
        respond(out, status, "text/plain; charset=utf-8", text, headOnly);
    }

    private static void respond(OutputStream out, String status, String type, String body, boolean headOnly)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + "\r\nContent-Type: " + type + "\r\nContent-Length: " + bytes.length
                + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        if (!headOnly) out.write(bytes);
        out.flush();
    }

    /** The request line and headers, up to the empty line; null when longer than the bound or cut short. */
    private static String readHead(InputStream in) throws IOException {
        byte[] buf = new byte[MAX_REQUEST_BYTES];
        int n = 0;
        for (int b; n < buf.length && (b = in.read()) >= 0; ) {
            buf[n++] = (byte) b;
            if (n >= 4 && buf[n - 4] == '\r' && buf[n - 3] == '\n' && buf[n - 2] == '\r' && buf[n - 1] == '\n') {
                return new String(buf, 0, n - 4, StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    /** A header's value (the first of that name), or null. */
    private static String header(String[] lines, String name) {
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return lines[i].substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** Where it listens. */
    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Stops listening: {@link #serve} returns after the request it answers, if any. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }
}
