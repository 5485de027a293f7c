// SPDX-License-Identifier: Apache-2.0
package io.copytrace.model;

/**
 * What the application asked the JDK to do, as recorded by one agent hook. The order is the wire
 * contract with the agent's boot probe ({@code io.copytrace.boot.Codes.OP_*}): append only.
 */
public enum Operation {
    FILE_READ("file.read", "FileChannel read"),
    FILE_WRITE("file.write", "FileChannel write"),
    FILE_TRANSFER_TO("file.transferTo", "FileChannel.transferTo"),
    FILE_TRANSFER_FROM("file.transferFrom", "FileChannel.transferFrom"),
    FILE_MAP("file.map", "FileChannel.map"),
    MAPPED_LOAD("mapped.load", "MappedByteBuffer.load"),
    MAPPED_FORCE("mapped.force", "MappedByteBuffer.force"),
    SOCKET_READ("socket.read", "SocketChannel read"),
    SOCKET_WRITE("socket.write", "SocketChannel write"),
    SOCKET_STREAM_READ("socket.stream.read", "java.net.Socket InputStream read"),
    SOCKET_STREAM_WRITE("socket.stream.write", "java.net.Socket OutputStream write"),
    DATAGRAM_RECEIVE("datagram.receive", "datagram receive"),
    DATAGRAM_SEND("datagram.send", "datagram send"),
    STREAM_READ("stream.read", "FileInputStream / RandomAccessFile read"),
    STREAM_WRITE("stream.write", "FileOutputStream / RandomAccessFile write"),
    FILES_COPY("files.copy", "Files.copy"),
    STREAM_TRANSFER_TO("stream.transferTo", "InputStream.transferTo"),
    TLS_WRAP("tls.wrap", "SSLEngine.wrap"),
    TLS_UNWRAP("tls.unwrap", "SSLEngine.unwrap"),
    NETTY_SEND_FILE("netty.sendFile", "Netty epoll LinuxSocket.sendFile"),
    HEAP_COPY("channel.heapCopy", "heap buffer copied to/from a temporary direct buffer (sun.nio.ch.IOUtil)"),
    FRAMEWORK_COPY("framework.copy", "heap buffer copied into direct memory by the framework before a write (Netty NIO transport)");

    private final String wireName;
    private final String title;

    Operation(String wireName, String title) {
        this.wireName = wireName;
        this.title = title;
    }

    /** The name used in recordings. */
    public String wireName() {
        return wireName;
    }

    /** A human title for reports. */
    public String title() {
        return title;
    }

    /** True for operations that read into the application (bytes flow from the endpoint to memory). */
    public boolean isInbound() {
        return switch (this) {
            case FILE_READ, SOCKET_READ, SOCKET_STREAM_READ, DATAGRAM_RECEIVE, STREAM_READ, TLS_UNWRAP -> true;
            default -> false;
        };
    }

    /** Looks an operation up by its wire name. */
    public static Operation ofWireName(String name) {
        for (Operation o : values()) if (o.wireName.equals(name)) return o;
        throw new IllegalArgumentException("unknown operation '" + name + "'");
    }
}
