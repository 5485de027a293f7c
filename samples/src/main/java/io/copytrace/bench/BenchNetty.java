// SPDX-License-Identifier: Apache-2.0
package io.copytrace.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * The {@code netty-chunked-nio} workload: a real framework file server. Netty 4.1 on the NIO transport
 * (one event loop, HttpServerCodec + ChunkedWriteHandler) on 127.0.0.1 answers every GET with a 4 MiB file
 * as {@code HttpChunkedInput(new ChunkedNioFile(...))}, the way Netty's HttpStaticFileServer sends files
 * when it cannot use a FileRegion; a plain {@link SocketChannel} HTTP/1.1 keep-alive client in the same
 * JVM downloads it {@value #REQUESTS} times per round on one connection. The server starts with the first
 * round and stops when the workload closes it (its threads are daemons, so the JVM exits regardless).
 */
final class BenchNetty implements AutoCloseable {
    static final int FILE_BYTES = 4 << 20;
    static final int REQUESTS = 16;
    private static final byte[] REQUEST = ("GET /file HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final EventLoopGroup group;
    private final Channel server;
    private final InetSocketAddress address;
    private final ByteBuffer in = ByteBuffer.allocateDirect(256 * 1024);

    BenchNetty(Path file) throws Exception {
        this.file = file;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.allocate(FILE_BYTES);
            for (int i = 0; i < FILE_BYTES; i++) b.put((byte) (i * 31));
            b.flip();
            while (b.hasRemaining()) ch.write(b);
        }
        group = new NioEventLoopGroup(1, new DefaultThreadFactory("bench-netty", true));
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<io.netty.channel.socket.SocketChannel>() {
                    @Override
                    protected void initChannel(io.netty.channel.socket.SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new ChunkedWriteHandler(), new FileHandler(file));
                    }
                });
        server = b.bind("127.0.0.1", 0).sync().channel();
        address = (InetSocketAddress) server.localAddress();
    }

    /** One round: {@value #REQUESTS} downloads on one keep-alive connection; returns the body bytes read. */
    long round(long[] ops) throws IOException {
        long body = 0;
        try (SocketChannel ch = SocketChannel.open(address)) {
            for (int r = 0; r < REQUESTS; r++) {
                ByteBuffer req = ByteBuffer.wrap(REQUEST);
                while (req.hasRemaining()) ch.write(req);
                body += readResponse(ch);
                ops[0]++;
            }
        }
        return body;
    }

    /** Reads one response: the headers (Content-Length), then exactly that many body bytes. */
    private long readResponse(SocketChannel ch) throws IOException {
        in.clear();
        int headerEnd = -1;
        while (headerEnd < 0) {
            if (ch.read(in) < 0) throw new IOException("connection closed in the headers");
            headerEnd = find(in, in.position());
            if (headerEnd < 0 && !in.hasRemaining()) throw new IOException("headers too long");
        }
        byte[] head = new byte[headerEnd];
        in.get(0, head);
        long length = contentLength(new String(head, StandardCharsets.US_ASCII));
        long remaining = length - (in.position() - headerEnd - 4);
        while (remaining > 0) {
            in.clear();
            if (remaining < in.capacity()) in.limit((int) remaining);
            int n = ch.read(in);
            if (n < 0) throw new IOException("connection closed in the body");
            remaining -= n;
        }
        if (remaining != 0) throw new IOException("read past the body: " + remaining);
        return length;
    }

    /** The index of "\r\n\r\n" in {@code b[0, end)}, or -1. */
    private static int find(ByteBuffer b, int end) {
        for (int i = 0; i + 3 < end; i++) {
            if (b.get(i) == '\r' && b.get(i + 1) == '\n' && b.get(i + 2) == '\r' && b.get(i + 3) == '\n') return i;
        }
        return -1;
    }

    private static long contentLength(String head) throws IOException {
        if (!head.startsWith("HTTP/1.1 200")) throw new IOException("unexpected response: " + head);
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                return Long.parseLong(line.substring(colon + 1).trim());
            }
        }
        throw new IOException("no Content-Length: " + head);
    }

    @Override
    public void close() throws Exception {
        server.close().sync();
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        Files.deleteIfExists(file);
    }

    /** Answers every request with the whole file: HTTP/1.1 keep-alive, Content-Length, ChunkedNioFile. */
    static final class FileHandler extends ChannelInboundHandlerAdapter {
        private final Path file;

        FileHandler(Path file) {
            this.file = file;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            try {
                if (msg instanceof HttpRequest) {
                    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, FILE_BYTES)
                            .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM);
                    ctx.write(response);
                    ctx.writeAndFlush(new HttpChunkedInput(new ChunkedNioFile(FileChannel.open(file))));
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            cause.printStackTrace();
            ctx.close();
        }
    }
}
