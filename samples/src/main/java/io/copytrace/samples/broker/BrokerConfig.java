// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.broker;

import java.nio.file.Path;

/**
 * How the broker runs: which buffers the produce path uses, how plaintext fetches are served, whether a TLS
 * listener serves fetches too, and how much data moves.
 *
 * @param directProduceBuffers produce requests are read into and appended from direct buffers (the fix),
 *                             instead of heap buffers (what Kafka does)
 * @param fetchTransferTo      plaintext fetches use {@code FileChannel.transferTo} (sendfile, what Kafka
 *                             does), instead of a heap-buffer read/write loop
 * @param tls                  a TLS listener serves fetches too, through {@code SSLEngine} (Kafka's
 *                             {@code SslTransportLayer}: file into a direct buffer, wrap into a heap buffer)
 * @param logDir               where the segment files live
 * @param segmentBytes         a segment is rolled when it reaches this size
 * @param maxFetchBytes        the most one fetch response carries
 */
public record BrokerConfig(boolean directProduceBuffers, boolean fetchTransferTo, boolean tls, Path logDir,
                           long segmentBytes, int maxFetchBytes) {}
