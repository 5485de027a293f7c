// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.workloads;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The served file and the HTTP/1.1 client of the framework file servers ({@link NettyFileServer},
 * {@link JettyFileServer}): one keep-alive connection, a blocking {@link SocketChannel} reading into one
 * direct buffer, every body checked byte for byte. Prints {@code TRUTH fileSize, requests, bodyBytes,
 * responseBytes} (every byte read from the socket: status lines, headers, chunk framing and bodies) and
 * {@code requestBytes} (every byte the client wrote).
 */
final class FileServerClient {
    /** The served file: 4 MiB, not sparse, not a repeating pattern. */
    static final int SIZE = 4 << 20;
    /** Downloads of the file per scenario. */
    static final int REQUESTS = 4;
    static final String NAME = "served.bin";

    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocateDirect(64 << 10).flip();
    private long responseBytes;
    private long requestBytes;

    private FileServerClient(SocketChannel channel) {
        this.channel = channel;
    }

    /** The content of the served file: pseudo-random, the same in every run. */
    static byte[] content() {
        byte[] b = new byte[SIZE];
        new SplittableRandom(0x5eed).nextBytes(b);
        return b;
    }

    /** Writes the served file once, before the server starts. */
    static Path writeServedFile(Path dir, byte[] content) throws IOException {
        Files.createDirectories(dir);
        return Files.write(dir.resolve(NAME), content);
    }

    /** Downloads {@code /NAME} {@link #REQUESTS} times over one connection and prints the TRUTH lines. */
    static void download(InetSocketAddress server, byte[] expected) throws IOException {
        long body = 0;
        FileServerClient client;
        try (SocketChannel ch = SocketChannel.open(server)) {
            client = new FileServerClient(ch);
            for (int i = 0; i < REQUESTS; i++) body += client.get("/" + NAME, expected);
        }
        Workloads.truth("fileSize", expected.length);
        Workloads.truth("requests", REQUESTS);
        Workloads.truth("bodyBytes", body);
        Workloads.truth("responseBytes", client.responseBytes);
        Workloads.truth("requestBytes", client.requestBytes);
    }

    /** One GET; returns the body length after checking it against {@code expected}. */
    private long get(String path, byte[] expected) throws IOException {
        sendRequest(ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII)));
        String status = line();
        if (!status.startsWith("HTTP/1.1 200")) throw new IOException("status " + status);
        long length = -1;
        boolean chunked = false;
        for (String h; !(h = line()).isEmpty(); ) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) length = Long.parseLong(h.substring(15).trim());
            if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
            if (lower.startsWith("connection:") && lower.contains("close")) throw new IOException("server closes: " + h);
        }
        long got = 0;
        if (chunked) {
            for (long n; (n = Long.parseLong(line().split(";")[0].trim(), 16)) > 0; ) {
                got = body(expected, got, n);
                if (!line().isEmpty()) throw new IOException("bad chunk end");
            }
            while (!line().isEmpty()) { } // trailers
        } else {
            if (length < 0) throw new IOException("no Content-Length and not chunked");
            got = body(expected, 0, length);
        }
        if (got != expected.length) throw new IOException("body of " + got + " bytes, expected " + expected.length);
        return got;
    }

    /** Reads {@code n} body bytes that must equal {@code expected[offset...]}; returns the new offset. */
    private long body(byte[] expected, long offset, long n) throws IOException {
        byte[] part = new byte[in.capacity()];
        while (n > 0) {
            fill();
            int k = (int) Math.min(n, in.remaining());
            in.get(part, 0, k);
            if (offset + k > expected.length || !Arrays.equals(part, 0, k, expected, (int) offset, (int) offset + k)) {
                throw new IOException("body differs from the file in bytes " + offset + ".." + (offset + k));
            }
            offset += k;
            n -= k;
        }
        return offset;
    }

    /** One CRLF-terminated line, without the CRLF. */
    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            fill();
            char c = (char) (in.get() & 0xff);
            if (c == '\n') break;
            if (c != '\r') sb.append(c);
        }
        return sb.toString();
    }

    private void fill() throws IOException {
        if (in.hasRemaining()) return;
        in.clear();
        int n = receive(channel, in);
        in.flip();
        if (n < 0) throw new IOException("connection closed by the server");
        responseBytes += n;
    }

    private void sendRequest(ByteBuffer request) throws IOException {
        while (request.hasRemaining()) requestBytes += send(channel, request);
    }

    static int send(SocketChannel ch, ByteBuffer b) throws IOException {
        return ch.write(b);
    }

    static int receive(SocketChannel ch, ByteBuffer b) throws IOException {
        return ch.read(b);
    }
}
