// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.broker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The broker's one partition: an append-only sequence of segment files, addressed by byte offset. Producers
 * append whole batches; consumers read from any offset below {@link #end()}.
 */
final class Log implements AutoCloseable {
    private final BrokerConfig config;
    private final List<LogSegment> segments = new ArrayList<>();
    private long end;

    Log(BrokerConfig config) {
        this.config = config;
    }

    /** Appends one batch of records and returns the log's new end offset. */
    synchronized long append(ByteBuffer batch) throws IOException {
        LogSegment active = segments.isEmpty() ? null : segments.get(segments.size() - 1);
        if (active == null || active.size() >= config.segmentBytes()) {
            active = new LogSegment(config.logDir().resolve(String.format("%020d.log", end)), end);
            segments.add(active);
        }
        end += batch.remaining();
        active.append(batch);
        return end;
    }

    /** The offset after the last appended byte. */
    synchronized long end() {
        return end;
    }

    /** Segments written so far. */
    synchronized int segmentCount() {
        return segments.size();
    }

    /** The segment holding {@code offset}; {@code offset} must be below {@link #end()}. */
    synchronized LogSegment segmentFor(long offset) {
        for (int i = segments.size() - 1; i >= 0; i--) {
            if (segments.get(i).baseOffset <= offset) return segments.get(i);
        }
        throw new IllegalArgumentException("offset " + offset + " is not in the log");
    }

    @Override
    public synchronized void close() throws IOException {
        for (LogSegment s : segments) s.close();
    }
}
