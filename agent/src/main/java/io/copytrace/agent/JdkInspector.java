// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import io.copytrace.boot.Codes;
import io.copytrace.boot.Probe;
import io.copytrace.boot.TransferInspector;
import java.io.FileDescriptor;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.Channel;
import java.nio.file.Path;

/**
 * Reads the JDK internals the probe needs (mapped-buffer file descriptors, channel paths and peers, the
 * sticky transfer flags, append mode) and gathers the facts {@link TransferFallback} decides fallbacks from. Needs
 * {@code java.base} to open {@code java.nio}, {@code java.io} and {@code sun.nio.ch} to this module.
 */
final class JdkInspector implements TransferInspector {
    private final int feature = Runtime.version().feature();
    private final VarHandle mappedFd;
    private final VarHandle fdAppend;
    private final VarHandle channelPath;
    private final VarHandle channelFd;
    private final VarHandle socketPeer;
    private final VarHandle[] sticky; // per feature: the static flags named as the JDK names them
    private final Class<?> fileChannelImpl;
    private final Class<?> socketChannelImpl;
    private final Class<?> selChImpl;
    private final Class<?> sinkChannelImpl;
    private final Class<?> datagramChannelImpl;

    JdkInspector() throws ReflectiveOperationException {
        MethodHandles.Lookup self = MethodHandles.lookup();
        fileChannelImpl = Class.forName("sun.nio.ch.FileChannelImpl");
        socketChannelImpl = Class.forName("sun.nio.ch.SocketChannelImpl");
        selChImpl = Class.forName("sun.nio.ch.SelChImpl");
        sinkChannelImpl = Class.forName("sun.nio.ch.SinkChannelImpl");
        datagramChannelImpl = Class.forName("sun.nio.ch.DatagramChannelImpl");
        mappedFd = MethodHandles.privateLookupIn(MappedByteBuffer.class, self)
                .findVarHandle(MappedByteBuffer.class, "fd", FileDescriptor.class);
        fdAppend = MethodHandles.privateLookupIn(FileDescriptor.class, self)
                .findVarHandle(FileDescriptor.class, "append", boolean.class);
        MethodHandles.Lookup fc = MethodHandles.privateLookupIn(fileChannelImpl, self);
        channelPath = fc.findVarHandle(fileChannelImpl, "path", String.class);
        channelFd = fc.findVarHandle(fileChannelImpl, "fd", FileDescriptor.class);
        socketPeer = MethodHandles.privateLookupIn(socketChannelImpl, self)
                .findVarHandle(socketChannelImpl, "remoteAddress", java.net.SocketAddress.class);
        if (feature >= 25 || hasField(fileChannelImpl, "transferToDirectNotSupported")) {
            sticky = new VarHandle[] {
                fc.findStaticVarHandle(fileChannelImpl, "transferToDirectNotSupported", boolean.class),
                fc.findStaticVarHandle(fileChannelImpl, "transferFromDirectNotSupported", boolean.class),
            };
        } else {
            sticky = new VarHandle[] {
                fc.findStaticVarHandle(fileChannelImpl, "transferSupported", boolean.class),
                fc.findStaticVarHandle(fileChannelImpl, "fileSupported", boolean.class),
                fc.findStaticVarHandle(fileChannelImpl, "pipeSupported", boolean.class),
            };
        }
    }

    private static boolean hasField(Class<?> c, String name) {
        try {
            c.getDeclaredField(name);
            return true;
        } catch (NoSuchFieldException x) {
            return false;
        }
    }

    @Override
    public boolean isMapped(ByteBuffer buffer) {
        return buffer instanceof MappedByteBuffer && mappedFd.get(buffer) != null;
    }

    @Override
    public int endpointKind(Object o) {
        if (o == null) return Codes.END_NONE;
        Class<?> c = o.getClass();
        if (c == fileChannelImpl || o instanceof Path || o instanceof java.io.FileInputStream
                || o instanceof java.io.FileOutputStream || o instanceof java.io.RandomAccessFile) {
            return Codes.END_FILE;
        }
        if (socketChannelImpl.isInstance(o)) return Codes.END_SOCKET;
        if (datagramChannelImpl.isInstance(o)) return Codes.END_DATAGRAM;
        if (sinkChannelImpl.isInstance(o) || c.getName().equals("sun.nio.ch.SourceChannelImpl")) return Codes.END_PIPE;
        String n = c.getName();
        if (n.startsWith("sun.nio.ch.NioSocketImpl$") || n.startsWith("java.net.Socket$")) return Codes.END_SOCKET;
        if (o instanceof Channel) return Codes.END_CHANNEL;
        Object ch = underlyingChannel(o);
        return ch != null ? endpointKind(ch) : Codes.END_STREAM;
    }

    /**
     * The channel behind a JDK stream adapter (Channels.newInputStream/newOutputStream, ChannelInputStream,
     * socket channel streams), or null: so Files.copy into such a stream is seen to end at a socket.
     */
    private Object underlyingChannel(Object stream) {
        java.lang.reflect.Field f = CHANNEL_FIELD.get(stream.getClass());
        if (f == null) return null;
        try {
            Object ch = f.get(stream);
            return ch == stream ? null : ch;
        } catch (IllegalAccessException | RuntimeException x) {
            return null;
        }
    }

    /** Per JDK stream class: its Channel-typed instance field (a captured {@code val$ch} included), or null. */
    private static final ClassValue<java.lang.reflect.Field> CHANNEL_FIELD = new ClassValue<>() {
        @Override
        protected java.lang.reflect.Field computeValue(Class<?> c) {
            String n = c.getName();
            if (!n.startsWith("java.") && !n.startsWith("sun.")) return null;
            for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
                for (java.lang.reflect.Field f : k.getDeclaredFields()) {
                    if (Channel.class.isAssignableFrom(f.getType())
                            && !java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                        try {
                            f.setAccessible(true);
                            return f;
                        } catch (RuntimeException closed) {
                            return null;
                        }
                    }
                }
            }
            return null;
        }
    };

    @Override
    public Object endpointName(Object o) {
        if (o == null) return null;
        if (o.getClass() == fileChannelImpl) return channelPath.get(o);
        if (socketChannelImpl.isInstance(o)) return socketPeer.get(o);
        if (o instanceof Path) return o.toString();
        if (!(o instanceof Channel)) {
            Object ch = underlyingChannel(o);
            if (ch != null) return endpointName(ch);
        }
        String n = o.getClass().getName();
        return n.startsWith("java.io.File") || n.startsWith("java.io.RandomAccessFile") ? null : n;
    }

    @Override
    public int stickyFlags() {
        int flags = 0;
        if (sticky.length == 2) {
            if ((boolean) sticky[0].getVolatile()) flags |= TransferFallback.TRANSFER_OFF;
            if ((boolean) sticky[1].getVolatile()) flags |= TransferFallback.FROM_OFF;
        } else {
            if (!(boolean) sticky[0].getVolatile()) flags |= TransferFallback.TRANSFER_OFF;
            if (!(boolean) sticky[1].getVolatile()) flags |= TransferFallback.FILE_OFF;
            if (!(boolean) sticky[2].getVolatile()) flags |= TransferFallback.PIPE_OFF;
        }
        return flags;
    }

    @Override
    public int reason(int op, Object self, Object other, long count, int path, long directCode, long mappedCode,
                      int stickyBefore, boolean mapped) {
        boolean to = op == Codes.OP_FILE_TRANSFER_TO;
        Object written = to ? other : self;
        TransferFallback.Facts facts = new TransferFallback.Facts(feature, op, peer(other), count,
                directCode != Probe.NOT_TRIED, stickyBefore,
                written != null && written.getClass() == fileChannelImpl && appendMode(written), sameFd(self, other));
        return mapped ? TransferFallback.whyNotMapped(facts) : TransferFallback.whyNotDirect(facts);
    }

    /** The other end of a transfer as the JDK's checks tell channels apart. */
    private TransferFallback.Peer peer(Object o) {
        if (o == null) return TransferFallback.Peer.OTHER;
        if (o.getClass() == fileChannelImpl) return TransferFallback.Peer.FILE;
        if (socketChannelImpl.isInstance(o)) return TransferFallback.Peer.SOCKET;
        if (sinkChannelImpl.isInstance(o)) return TransferFallback.Peer.PIPE_SINK;
        if (selChImpl.isInstance(o)) return TransferFallback.Peer.OTHER_SELECTABLE;
        return TransferFallback.Peer.OTHER;
    }

    private boolean appendMode(Object fileChannel) {
        FileDescriptor fd = (FileDescriptor) channelFd.get(fileChannel);
        return fd != null && (boolean) fdAppend.get(fd);
    }

    private boolean sameFd(Object a, Object b) {
        return a != null && b != null && a.getClass() == fileChannelImpl && b.getClass() == fileChannelImpl
                && channelFd.get(a) == channelFd.get(b);
    }
}
