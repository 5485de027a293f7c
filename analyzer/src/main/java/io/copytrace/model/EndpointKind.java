// SPDX-License-Identifier: Apache-2.0
package io.copytrace.model;

/** What sits at one end of an I/O operation. Order is the wire contract with {@code Codes.END_*}. */
public enum EndpointKind {
    NONE("none"),
    FILE("file"),
    SOCKET("socket"),
    DATAGRAM("datagram"),
    PIPE("pipe"),
    /** A WritableByteChannel/ReadableByteChannel that is not a JDK file, socket or pipe channel. */
    CHANNEL("channel"),
    /** An InputStream/OutputStream that is not a JDK file or socket stream. */
    STREAM("stream"),
    /** Application memory: see the record's buffer kind. */
    MEMORY("memory"),
    TLS_ENGINE("tls-engine");

    private final String wireName;

    EndpointKind(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in recordings. */
    public String wireName() {
        return wireName;
    }
}
