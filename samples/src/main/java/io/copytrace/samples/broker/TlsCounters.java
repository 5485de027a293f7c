// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.broker;

import java.util.concurrent.atomic.AtomicLong;

/** Bytes counted by the {@link TlsChannel}s of one side (the broker, or the consumers). */
public final class TlsCounters {
    final AtomicLong plaintextWrapped = new AtomicLong();
    final AtomicLong encryptedSent = new AtomicLong();
    final AtomicLong encryptedReceived = new AtomicLong();
    final AtomicLong plaintextUnwrapped = new AtomicLong();

    /** Application bytes given to {@code SSLEngine.wrap} (and consumed by it). */
    public long plaintextWrapped() {
        return plaintextWrapped.get();
    }

    /** TLS records written to sockets, handshake included. */
    public long encryptedSent() {
        return encryptedSent.get();
    }

    /** TLS records read from sockets, handshake included. */
    public long encryptedReceived() {
        return encryptedReceived.get();
    }

    /** Application bytes {@code SSLEngine.unwrap} produced. */
    public long plaintextUnwrapped() {
        return plaintextUnwrapped.get();
    }
}
