// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.model.CopyModel;
import io.copytrace.model.JvmCopy;
import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.Recording;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finding 2: channel I/O with a heap ByteBuffer makes the JDK copy every byte into (or out of) a
 * per-thread temporary direct buffer, again after each partial write, and allocates native memory per
 * call above {@code jdk.nio.maxCachedBufferSize}.
 */
final class HeapBufferRule implements Rule {
    static final String ID = "heap-buffer";
    /** Requests above this per call make the per-thread cached temporary buffer itself worth a look. */
    static final long LARGE_REQUEST = 1 << 20;

    @Override
    public List<Finding> find(Recording recording, HostCost cost, Set<CopyRecord> claimed) {
        List<Finding> findings = new ArrayList<>();
        for (CopyRecord r : recording.applicationRecords()) {
            if (claimed.contains(r) || CopyModel.jvmCopy(r.operation(), r.buffer()) != JvmCopy.HEAP_CHANNEL_IO) continue;
            if (r.jvmCopiedBytes() < MIN_BYTES) continue;
            findings.add(finding(recording, cost, r));
            claimed.add(r);
        }
        return findings;
    }

    private static Finding finding(Recording recording, HostCost cost, CopyRecord r) {
        boolean inbound = r.operation().isInbound();
        long recopied = inbound ? 0 : Math.max(0, r.jvmCopiedBytes() - r.bytesMoved());
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("calls", Analysis.describe(r));
        evidence.put("JVM-copied", Units.bytes(r.jvmCopiedBytes()) + " heap ↔ temporary direct buffer (sun.nio.ch.IOUtil)");
        if (recopied > 0) {
            evidence.put("re-copied after partial writes", Units.bytes(recopied) + " in " + Units.count(r.partialCalls())
                    + " partial writes: the unwritten rest is copied again on every retry");
        }
        Long maxCached = recording.jvm().maxCachedBufferSize();
        if (r.nativeAllocations() > 0) {
            evidence.put("native allocations", Units.count(r.nativeAllocations())
                    + " calls allocated and freed a temporary direct buffer (request above jdk.nio.maxCachedBufferSize"
                    + (maxCached == null ? "" : " = " + Units.bytes(maxCached)) + ")");
        }
        if (r.requestedPerCall() >= LARGE_REQUEST && maxCached == null) {
            evidence.put("native memory", "each thread doing this caches a temporary direct buffer of ~"
                    + Units.bytes(r.requestedPerCall()) + " (per carrier thread on JDK 25); many threads × that is"
                    + " hidden native memory: cap it with -Djdk.nio.maxCachedBufferSize");
        }
        evidence.put("endpoint", (inbound ? r.source() : r.target()).describe());
        // The temporary buffer's malloc/free above the cache limit costs an mmap + munmap each.
        Saving saving = Saving.of(r.jvmCopiedBytes(), 2 * r.nativeAllocations(), cost);
        String title = "Heap ByteBuffer in " + r.operation().title() + ": the JDK copied "
                + Units.bytes(r.jvmCopiedBytes()) + " into a temporary direct buffer" + (recopied > 0 ? ", " + Units.bytes(recopied)
                + " of it again after partial writes" : "");
        String advice = "sun.nio.ch.IOUtil copies a heap buffer's remaining() bytes into a per-thread temporary direct "
                + "buffer before every " + (inbound ? "read (and back out after it)" : "write") + ". A direct buffer "
                + "allocated once and reused (per connection, per thread or from a pool) removes that copy"
                + (recopied > 0 ? " and the re-copies after partial writes" : "") + ". If this site sends a file, "
                + "FileChannel.transferTo removes the user-space copies altogether.";
        String fix = """
                // once per connection or thread (or borrow from a pool), not per call:
                ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
                ...
                buffer.clear();
                int n = channel.read(buffer);   // or: buffer.put(...); buffer.flip(); channel.write(buffer);""";
        return new Finding(ID, FindingKind.OPPORTUNITY, title, r.site(), r.bytesMoved(), evidence, saving, advice, fix,
                recording.exactSites() ? Confidence.HIGH : Confidence.MEDIUM).withPaths(CopyPaths.heapBuffer(recording, r));
    }
}
