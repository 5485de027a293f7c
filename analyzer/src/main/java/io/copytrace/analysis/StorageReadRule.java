// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.model.BufferKind;
import io.copytrace.model.EndpointKind;
import io.copytrace.model.Operation;
import io.copytrace.model.TransferPath;
import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.KernelThreads;
import io.copytrace.recording.Recording;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where sent file bytes came from: the threads that send files in the kernel (sendfile, a mapping written to
 * a socket) and what the kernel's per-thread view says they read from storage in the window. A page-cache
 * miss under sendfile blocks the sending thread on the disk (Kafka's network threads, KAFKA-7504); a hit
 * reads nothing from storage. Thread groups are matched by name (the kernel keeps 15 characters), so what
 * else those threads read counts too: medium confidence.
 */
final class StorageReadRule implements Rule {
    static final String ID = "storage-read";

    @Override
    public List<Finding> find(Recording recording, HostCost cost, Set<CopyRecord> claimed) {
        KernelThreads view = recording.kernel().flatMap(k -> k.threadView()).orElse(null);
        if (view == null) return List.of();
        Map<String, List<CopyRecord>> byGroup = new LinkedHashMap<>();
        for (CopyRecord r : recording.applicationRecords()) {
            if (!sendsFileFromKernel(r)) continue;
            for (String group : r.threads()) byGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(r);
        }
        List<Finding> findings = new ArrayList<>();
        for (Map.Entry<String, List<CopyRecord>> e : byGroup.entrySet()) {
            List<KernelThreads.Row> rows = kernelRows(view, e.getKey());
            long storage = sum(rows, "readBytes");
            long sent = e.getValue().stream().mapToLong(CopyRecord::bytesMoved).sum();
            if (storage < MIN_BYTES || cached(storage, sent)) continue;
            findings.add(finding(e.getKey(), e.getValue(), rows, storage, sum(rows, "pageFaultsMajor")));
        }
        return findings;
    }

    /** What the sending threads read from storage: 0 bytes means their files came from the page cache. */
    static Prose storageRead(Recording recording, CopyRecord r) {
        KernelThreads view = recording.kernel().flatMap(k -> k.threadView()).orElse(null);
        if (view == null || r.threads().isEmpty()) return null;
        List<KernelThreads.Row> rows = new ArrayList<>();
        for (String group : r.threads()) rows.addAll(kernelRows(view, group));
        if (rows.isEmpty()) return null;
        long storage = sum(rows, "readBytes");
        boolean cached = cached(storage, r.bytesMoved());
        return Prose.of(Figure.STORAGE_READ_BYTES, storage).text(" read from storage by the sending threads ("
                + String.join(", ", r.threads()) + ") in the window" + (cached ? ": mostly served from the page cache" : ""));
    }

    /**
     * True when the threads read under a tenth of what they sent from storage: their other reads (class files
     * faulted back in after a cache drop, a config) count too, so a page-cache hit is what stays well below.
     */
    static boolean cached(long storage, long sent) {
        return storage * 10 < Math.max(1, sent);
    }

    /** sendfile / copy_file_range to a socket, Netty's JNI sendfile, or a file mapping written to a socket. */
    static boolean sendsFileFromKernel(CopyRecord r) {
        boolean toSocket = r.target().kind() == EndpointKind.SOCKET;
        if (r.operation() == Operation.NETTY_SEND_FILE) return true;
        if (r.path() == TransferPath.DIRECT || r.path() == TransferPath.MAPPED) return toSocket;
        return toSocket && r.buffer() == BufferKind.MAPPED;
    }

    /**
     * The kernel's rows for a Java thread name group: the kernel names a thread by its first 15 characters
     * (the main thread "java"), so groups match when, without digits, the kernel's is a prefix of the Java one.
     */
    static List<KernelThreads.Row> kernelRows(KernelThreads view, String javaGroup) {
        String java = javaGroup.equals("main") ? "java" : strip(javaGroup);
        List<KernelThreads.Row> rows = new ArrayList<>();
        for (KernelThreads.Row g : view.groups()) {
            String kernel = strip(g.name());
            if (g.own() || kernel.length() < 4) continue;
            if (java.equals(kernel) || (g.name().length() >= 14 && java.startsWith(kernel))) rows.add(g);
        }
        return rows;
    }

    private static String strip(String group) {
        return group.replaceAll("[#0-9]", "");
    }

    private static long sum(List<KernelThreads.Row> rows, String key) {
        long n = 0;
        for (KernelThreads.Row r : rows) n += Math.max(0, r.get(key));
        return n;
    }

    private static Finding finding(String group, List<CopyRecord> sends, List<KernelThreads.Row> rows, long storage,
                                   long majorFaults) {
        CopyRecord heaviest = sends.stream().max(java.util.Comparator.comparingLong(CopyRecord::bytesMoved)).orElseThrow();
        long sent = sends.stream().mapToLong(CopyRecord::bytesMoved).sum();
        Evidence.Builder evidence = new Evidence.Builder();
        for (CopyRecord r : sends) evidence.put("send", Facts.atSite("send ", r), Facts.record(r));
        evidence.put("storageRead", "read from storage", Prose.of(Figure.STORAGE_READ_BYTES, storage)
                .text(" by thread group " + group + " (kernel: " + String.join(", ", rows.stream().map(KernelThreads.Row::name)
                        .toList()) + "), ").fig(Figure.PAGE_FAULTS_MAJOR, majorFaults).text(" major faults")
                .fact(Figure.THREADS, group));
        evidence.put("sent", "sent from files", Prose.of(Figure.BYTES_MOVED, sent)
                .text(" in the kernel by these threads: a page-cache hit reads nothing from storage"));
        String title = "Threads that send files in the kernel read " + Units.bytes(storage) + " from storage ("
                + group + "): sendfile waited on the disk";
        String advice = "sendfile (and a mapping written to a socket) reads the file from the page cache; a miss makes the"
                + " sending thread wait for the disk, so one cold file stalls every connection that thread serves"
                + " (Kafka's network threads, KAFKA-7504). Warm what will be sent before sending it on a latency-critical"
                + " thread: read ahead on another thread (posix_fadvise WILLNEED or a read of the range), or send from"
                + " a pool that may block; or give the page cache the memory to keep the hot files.";
        return new Finding(ID, FindingKind.OPPORTUNITY, title, heaviest.site(), storage, evidence.build(), Saving.NONE,
                advice, "", Confidence.MEDIUM);
    }
}
