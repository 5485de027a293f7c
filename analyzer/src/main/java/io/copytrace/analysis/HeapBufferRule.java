// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.model.CopyModel;
import io.copytrace.model.EndpointKind;
import io.copytrace.model.JvmCopy;
import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.TemporaryBufferCaches;
import io.copytrace.recording.Recording;
import java.util.ArrayList;
import java.util.List;
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
        Evidence.Builder evidence = new Evidence.Builder().put("calls", "calls", Facts.record(r))
                .put("jvmCopied", "JVM-copied", Prose.of(Figure.JVM_COPIED_BYTES, r.jvmCopiedBytes())
                        .text(" heap ↔ temporary direct buffer (sun.nio.ch.IOUtil)"));
        if (recopied > 0) {
            evidence.put("recopied", "re-copied after partial writes", Prose.of(Figure.RECOPIED_BYTES, recopied)
                    .text(" in ").fig(Figure.PARTIAL_CALLS, r.partialCalls())
                    .text(" partial writes: the unwritten rest is copied again on every retry"));
        }
        Long maxCached = recording.jvm().maxCachedBufferSize();
        if (r.nativeAllocations() > 0) {
            Prose allocations = Prose.of(Figure.NATIVE_ALLOCATIONS, r.nativeAllocations()).text(" calls allocated and "
                    + "freed a temporary direct buffer (request above jdk.nio.maxCachedBufferSize");
            if (maxCached != null) allocations.text(" = ").fig(Figure.MAX_CACHED_BUFFER_BYTES, maxCached);
            evidence.put("nativeAllocations", "native allocations", allocations.text(")"));
        }
        TemporaryBufferCaches caches = recording.temporaryBuffers().filter(c -> c.error() == null).orElse(null);
        if (caches != null && caches.bytes() > 0) {
            evidence.put("cachedBuffers", "cached temporary buffers", cachedBuffers(caches, r, maxCached));
        } else if (r.requestedPerCall() >= LARGE_REQUEST && maxCached == null) {
            evidence.put("nativeMemory", "native memory", Prose.of("each thread doing this caches a temporary direct "
                    + "buffer of ~").fig(Figure.CACHED_BUFFER_BYTES, r.requestedPerCall()).text(" (per carrier thread on "
                    + "JDK 25); many threads × that is hidden native memory: cap it with -Djdk.nio.maxCachedBufferSize"));
        }
        evidence.put("endpoint", "endpoint", Facts.endpoint(inbound ? r.source() : r.target()));
        Prose receiveBuffer = inbound && r.source().kind() == EndpointKind.SOCKET ? Facts.receiveBuffer(cost) : null;
        if (receiveBuffer != null) evidence.put("receiveBuffer", "receive buffer", receiveBuffer);
        FreshBuffers fresh = FreshBuffers.of(List.of(r));
        if (fresh.perCall()) evidence.put("freshArrays", "fresh buffers", fresh.line(cost));
        // The temporary buffer's malloc/free above the cache limit costs an mmap + munmap each.
        Saving saving = Saving.of(r.jvmCopiedBytes(), r.jvmCopiedBytesInCache(recording.jvm().feature()),
                2 * r.nativeAllocations(), cost).plus(fresh.saving(cost));
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
        return new Finding(ID, FindingKind.OPPORTUNITY, title, r.site(), r.bytesMoved(), evidence.build(), saving, advice, fix,
                recording.exactSites() ? Confidence.HIGH : Confidence.MEDIUM).withPaths(CopyPaths.heapBuffer(recording, r));
    }

    /**
     * The native memory the JDK's temporary buffer caches held at the close, this site's thread groups first:
     * "4.0 MiB in 4 threads of worker-# (16.0 MiB in 16 threads in all); cap: unset (…)".
     */
    private static Prose cachedBuffers(TemporaryBufferCaches caches, CopyRecord r, Long maxCached) {
        Prose p = new Prose();
        long siteBytes = 0, siteThreads = 0;
        List<String> groups = new java.util.ArrayList<>();
        for (String name : r.threads()) {
            TemporaryBufferCaches.Group g = caches.group(name);
            if (g == null) continue;
            siteBytes += g.bytes();
            siteThreads += g.threads();
            groups.add(name);
        }
        if (!groups.isEmpty()) {
            p.fig(Figure.SITE_CACHED_BUFFER_BYTES, siteBytes).text(" in ").fig(Figure.SITE_CACHED_BUFFER_THREADS, siteThreads)
                    .text(" threads of " + String.join(", ", groups) + " (");
        }
        p.fig(Figure.CACHED_BUFFER_BYTES_ALL, caches.bytes()).text(" in ").fig(Figure.CACHED_BUFFER_THREADS_ALL, caches.threads())
                .text(" threads in all" + (groups.isEmpty() ? "" : ")") + ", native memory held at the close; "
                        + (maxCached == null ? "jdk.nio.maxCachedBufferSize unset: every size is kept per thread (per carrier"
                        + " thread for virtual threads); -Djdk.nio.maxCachedBufferSize=BYTES caps what one buffer may keep"
                        + " (larger requests then allocate and free per call)" : "jdk.nio.maxCachedBufferSize caps them"));
        return p;
    }
}
