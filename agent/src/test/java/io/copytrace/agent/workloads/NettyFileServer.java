// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.workloads;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedFile;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A Netty 4.1 HTTP file server on the NIO transport (HttpServerCodec + ChunkedWriteHandler, one event
 * loop) serving one file the way Netty's own HttpStaticFileServer does, in four modes:
 * {@code netty-region} (DefaultFileRegion: FileChannel.transferTo), {@code netty-chunked-nio}
 * (ChunkedNioFile: positional reads into pooled direct buffers), {@code netty-chunked-file} (ChunkedFile:
 * RandomAccessFile.readFully into heap buffers) and {@code netty-mapped} (the file mapped once, each
 * response a wrapped slice of the mapping). The client is {@link FileServerClient}.
 */
final class NettyFileServer {
    private NettyFileServer() {}

    enum Mode { REGION, CHUNKED_NIO, CHUNKED_FILE, MAPPED }

    static void run(String scenario, Path dir) throws Exception {
        Mode mode = switch (scenario) {
            case "netty-region" -> Mode.REGION;
            case "netty-chunked-nio" -> Mode.CHUNKED_NIO;
            case "netty-chunked-file" -> Mode.CHUNKED_FILE;
            case "netty-mapped" -> Mode.MAPPED;
            default -> throw new IllegalArgumentException(scenario);
        };
        byte[] content = FileServerClient.content();
        Path file = FileServerClient.writeServedFile(dir.resolve("www"), content);
        ByteBuffer mapped = mode == Mode.MAPPED ? mapServedFile(file) : null;
        EventLoopGroup group = new NioEventLoopGroup(1);
        try {
            ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new ChunkedWriteHandler(),
                                    new FileHandler(mode, file, mapped));
                        }
                    });
            InetSocketAddress address = (InetSocketAddress) b.bind("127.0.0.1", 0).sync().channel().localAddress();
            FileServerClient.download(address, content);
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    /** netty-mapped: the application maps the file once, read-only, when the server starts. */
    static ByteBuffer mapServedFile(Path file) throws Exception {
        try (FileChannel ch = FileChannel.open(file)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        }
    }

    /** Answers every GET with the whole file; HTTP/1.1 keep-alive, Content-Length, no chunked encoding. */
    static final class FileHandler extends ChannelInboundHandlerAdapter {
        private final Mode mode;
        private final Path file;
        private final ByteBuffer mapped;

        FileHandler(Mode mode, Path file, ByteBuffer mapped) {
            this.mode = mode;
            this.file = file;
            this.mapped = mapped;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            try {
                if (msg instanceof HttpRequest) respond(ctx);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void respond(ChannelHandlerContext ctx) throws Exception {
            long size = file.toFile().length();
            HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, size)
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM);
            ctx.write(response);
            switch (mode) {
                case REGION -> {
                    ctx.write(new DefaultFileRegion(file.toFile(), 0, size));
                    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                }
                case CHUNKED_NIO -> ctx.writeAndFlush(new HttpChunkedInput(new ChunkedNioFile(FileChannel.open(file))));
                case CHUNKED_FILE -> ctx.writeAndFlush(new HttpChunkedInput(
                        new ChunkedFile(new RandomAccessFile(file.toFile(), "r"))));
                case MAPPED -> ctx.writeAndFlush(new DefaultLastHttpContent(Unpooled.wrappedBuffer(mapped)));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            cause.printStackTrace();
            ctx.close();
        }
    }
}
