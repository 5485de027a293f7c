// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.workloads;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** A Netty epoll server sends a 16 MiB file as a DefaultFileRegion: JNI sendfile, no FileChannelImpl. */
final class NettySendFile {
    static final int SIZE = 16 << 20;

    private NettySendFile() {}

    static void run(Path dir) throws Exception {
        if (!Epoll.isAvailable()) throw new IllegalStateException("epoll unavailable", Epoll.unavailabilityCause());
        File file = Workloads.sparse(dir, "netty-src", SIZE).toFile();
        EventLoopGroup group = new EpollEventLoopGroup(1);
        try {
            ServerBootstrap b = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelActive(ChannelHandlerContext ctx) {
                                    ctx.writeAndFlush(new DefaultFileRegion(file, 0, SIZE))
                                            .addListener(ChannelFutureListener.CLOSE);
                                }
                            });
                        }
                    });
            InetSocketAddress address = (InetSocketAddress) b.bind("127.0.0.1", 0).sync().channel().localAddress();
            long received = 0;
            try (java.nio.channels.SocketChannel client = java.nio.channels.SocketChannel.open(address)) {
                ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);
                for (int n; (n = client.read(buf)) != -1; buf.clear()) received += n;
            }
            Workloads.truth("received", received);
        } finally {
            group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }
}
