// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.model.BufferKind;
import io.copytrace.model.CopyModel;
import io.copytrace.model.CopyPattern;
import io.copytrace.model.EndpointKind;
import io.copytrace.model.Operation;
import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.Flow;
import io.copytrace.recording.PageFaults;
import io.copytrace.recording.Recording;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finding 4: a mapped buffer written to a socket in large pieces is mmap + write: page faults and
 * mapping syscalls that sendfile does not need; mmap pays off for small random reads instead. With flows
 * the writes are tied to the map call that made their memory (wherever they run: a framework's flush), and
 * the finding names that map call site; without flows (older recordings) each mapped write is one finding.
 */
final class MappedSendRule implements Rule {
    static final String ID = "mapped-send";
    /** Sends at least this large per call count as "large sequential". */
    static final long LARGE_SEND = 64 * 1024;

    @Override
    public List<Finding> find(Recording recording, HostCost cost, Set<CopyRecord> claimed) {
        List<Finding> findings = new ArrayList<>();
        List<CopyRecord> records = recording.applicationRecords();
        Map<CopyRecord, Map<CopyRecord, long[]>> byMap = new IdentityHashMap<>();
        for (Flow f : recording.flows()) {
            CopyRecord map = f.from().orElse(null), write = f.to();
            if (map == null || map.operation() != Operation.FILE_MAP || !write.isApplication() || claimed.contains(write)) continue;
            if (write.operation() != Operation.SOCKET_WRITE && write.operation() != Operation.SOCKET_STREAM_WRITE) continue;
            long[] v = byMap.computeIfAbsent(map, k -> new IdentityHashMap<>()).computeIfAbsent(write, k -> new long[2]);
            v[0] += f.bytes();
            v[1] += f.writeCalls();
        }
        byMap.forEach((map, writes) -> {
            long bytes = 0, calls = 0;
            for (long[] v : writes.values()) {
                bytes += v[0];
                calls += v[1];
            }
            if (bytes < MIN_BYTES || bytes / Math.max(1, calls) < LARGE_SEND) return;
            findings.add(fromMapping(recording, cost, map, writes, bytes, calls));
            writes.forEach((w, v) -> {
                if (v[0] * 2 >= w.bytesMoved()) claimed.add(w);
            });
        });
        for (CopyRecord r : records) {
            if (claimed.contains(r) || r.buffer() != BufferKind.MAPPED) continue;
            if (r.operation() != Operation.SOCKET_WRITE && r.operation() != Operation.SOCKET_STREAM_WRITE) continue;
            if (r.bytesMoved() < MIN_BYTES || r.bytesPerCall() < LARGE_SEND) continue;
            findings.add(finding(recording, cost, r, records));
            claimed.add(r);
        }
        return findings;
    }

    /** The writes that sent memory of one mapping, tied to the map call that made it. */
    private static Finding fromMapping(Recording recording, HostCost cost, CopyRecord map, Map<CopyRecord, long[]> writes,
                                       long bytes, long calls) {
        int jdk = recording.jvm().feature();
        long now = calls + 2 * map.calls();
        long after = CopyModel.directSyscalls(bytes, EndpointKind.SOCKET, jdk);
        CopyRecord heaviest = writes.keySet().stream().max(java.util.Comparator.comparingLong(CopyRecord::bytesMoved))
                .orElseThrow();
        long saved = sendfileSaves(heaviest, bytes);
        Prose mapped = Prose.of(Figure.SITE, map.site().frame()).text(": ").fig(Figure.MAP_CALLS, map.calls())
                .text(" FileChannel.map calls, ").fig(Figure.MAPPED_BYTES, map.bytesMoved()).text(" mapped");
        if (!map.source().names().isEmpty()) mapped.text(" of ").fig(Figure.FILES, map.source().names());
        Evidence.Builder evidence = new Evidence.Builder().put("mappedAt", "mapped at", mapped);
        writes.forEach((w, v) -> evidence.put("write", RelayRule.label(evidence, "write", w), Prose.of(Figure.WRITTEN_BYTES, v[0])
                .text(" of the mapping in ").fig(Figure.WRITE_CALLS, v[1]).text(" calls; ").then(Facts.record(w))));
        evidence.put("matched", "matched", Prose.of("by memory address: the written memory lies in the mapping"))
                .put("pattern", "pattern", Facts.mmapWrite());
        writeFaults(writes.keySet(), evidence);
        Saving saving = Saving.of(saved, now - after, cost)
                .plus(Saving.ofMinorFaults(faults(writes.keySet()).minor(), cost));
        List<String> methods = new ArrayList<>(List.of(map.site().method()));
        writes.keySet().forEach(w -> methods.add(w.site().method()));
        loads(recording.applicationRecords(), methods, evidence);
        pageFaults(recording, evidence);
        KernelPacing.note(evidence, heaviest.target());
        evidence.put("withTransferTo", "with transferTo", Facts.sendfileInstead(heaviest.target()))
                .put("applicationFrameMap", "application frame (map)", RelayRule.applicationFrame(map));
        boolean netty = writes.keySet().stream().anyMatch(w -> RelayRule.onStack(w, "io.netty."));
        String title = "A mapped file is written to a socket (" + Units.bytes(bytes) + " in " + Units.count(calls)
                + " writes): mmap+write where sendfile does the same with fewer steps";
        String advice = "The memory written comes from FileChannel.map at " + map.site().frame() + ". Writing a mapping"
                + " to a socket faults every page in and copies it into the socket buffer; transferTo sends the same"
                + " bytes with sendfile, without the mapping, its page faults and munmap TLB flushes"
                + (netty ? "; in Netty, a DefaultFileRegion over the file does that (FileChannel.transferTo on NIO,"
                        + " JNI sendfile on epoll)" : "")
                + ". Keep the mapping for what mmap is good at: small random reads of a file.";
        String fix = netty ? """
                // instead of ctx.write(Unpooled.wrappedBuffer(file.map(READ_ONLY, 0, length))):
                ctx.write(new DefaultFileRegion(fileChannel, 0, length));"""
                : """
                // instead of socket.write(file.map(READ_ONLY, position, count)):
                while (count > 0) {
                    long n = file.transferTo(position, count, socketChannel); // sendfile
                    position += n; count -= n;
                }""";
        return new Finding(ID, FindingKind.OPPORTUNITY, title, map.site(), bytes, evidence.build(), saving, advice, fix,
                Confidence.HIGH).withPaths(CopyPaths.mappedSend(recording, List.copyOf(writes.keySet()), bytes, now, after));
    }

    private static Finding finding(Recording recording, HostCost cost, CopyRecord r, List<CopyRecord> all) {
        int jdk = recording.jvm().feature();
        long maps = 0;
        for (CopyRecord o : all) {
            if (o.operation() == Operation.FILE_MAP && o.site().method().equals(r.site().method())) maps += o.calls();
        }
        // mmap + munmap per mapping, plus one write per call; sendfile needs one (two on 21+) per transfer.
        long now = r.estimatedSyscalls(jdk) + 2 * maps;
        long after = CopyModel.directSyscalls(r.bytesMoved(), EndpointKind.SOCKET, jdk);
        long saved = sendfileSaves(r, r.bytesMoved());
        Evidence.Builder evidence = new Evidence.Builder().put("calls", "calls", Facts.record(r))
                .put("pattern", "pattern", Facts.mmapWrite());
        if (maps > 0) {
            evidence.put("mappingsAtMethod", "mappings at this method", Prose.of(Figure.MAP_CALLS, maps)
                    .text(" FileChannel.map calls"));
        }
        writeFaults(List.of(r), evidence);
        Saving saving = Saving.of(saved, now - after, cost).plus(Saving.ofMinorFaults(r.pageFaults().minor(), cost));
        loads(all, List.of(r.site().method()), evidence);
        pageFaults(recording, evidence);
        KernelPacing.note(evidence, r.target());
        evidence.put("withTransferTo", "with transferTo", Facts.sendfileInstead(r.target()))
                .put("target", "target", Facts.endpoint(r.target()));
        String title = "A mapped buffer is written to a socket (" + Units.bytes(r.bytesMoved()) + " in "
                + Units.count(r.calls()) + " calls): mmap+write where sendfile does the same with fewer steps";
        String advice = "Writing a MappedByteBuffer to a socket faults every page in and copies it into the socket "
                + "buffer; FileChannel.transferTo to the SocketChannel sends the same bytes with sendfile, without the "
                + "mapping, its page faults and munmap TLB flushes, and with 0 CPU copies where the NIC does SG-DMA. "
                + "Keep the mapping for what mmap is good at: small random reads of a file.";
        String fix = """
                // instead of socket.write(file.map(READ_ONLY, position, count)):
                while (count > 0) {
                    long n = file.transferTo(position, count, socketChannel); // sendfile
                    position += n; count -= n;
                }""";
        return new Finding(ID, FindingKind.OPPORTUNITY, title, r.site(), r.bytesMoved(), evidence.build(), saving, advice, fix,
                Confidence.MEDIUM).withPaths(CopyPaths.mappedSend(recording, List.of(r), r.bytesMoved(), now, after));
    }

    /**
     * The page faults the writes took themselves (their threads' own counters around each call), when the
     * recording measured them: the price of faulting the mapping in, paid inside the writes.
     */
    private static void writeFaults(Collection<CopyRecord> writes, Evidence.Builder evidence) {
        PageFaults sum = faults(writes);
        long calls = 0;
        for (CopyRecord w : writes) calls += w.calls();
        if (!sum.measured()) {
            evidence.put("writeFaults", "page faults in these writes", Prose.of("not measured (kernel=off, or an older"
                    + " agent): the mapping's page faults are not in the saving"));
            return;
        }
        evidence.put("writeFaults", "page faults in these writes", Prose.of(Figure.PAGE_FAULTS_MINOR, sum.minor())
                .text(" minor, ").fig(Figure.PAGE_FAULTS_MAJOR, sum.major()).text(" major (read from storage), taken inside ")
                .fig(Figure.PAGE_FAULT_CALLS, sum.calls()).text(" of the ").fig(Figure.WRITE_CALLS, calls)
                .text(" write calls by the writing threads; sendfile takes none: the minor ones are in the saving"
                        + " (the major ones read storage either way)"));
    }

    /** The page faults the writes' calls took, as measured (only the measured calls). */
    private static PageFaults faults(Collection<CopyRecord> writes) {
        PageFaults sum = PageFaults.NONE;
        for (CopyRecord w : writes) sum = sum.plus(w.pageFaults());
        return sum;
    }

    /**
     * Whether {@code MappedByteBuffer.load} faults mappings in ahead of the writes, at the given methods (the map
     * call's and the writes') and anywhere in the recording, with the faults those loads took. The JDK has no
     * madvise of its own: load() is its only way (MADV_WILLNEED, then a touch of every page).
     */
    private static void loads(List<CopyRecord> records, List<String> methods, Evidence.Builder evidence) {
        long here = 0, anywhere = 0;
        PageFaults faults = PageFaults.NONE;
        for (CopyRecord o : records) {
            if (o.operation() != Operation.MAPPED_LOAD) continue;
            anywhere += o.calls();
            if (!methods.contains(o.site().method())) continue;
            here += o.calls();
            faults = faults.plus(o.pageFaults());
        }
        Prose p = Prose.of(Figure.LOAD_CALLS, here).text(" MappedByteBuffer.load calls at this method (")
                .fig(Figure.LOAD_CALLS_IN_RECORDING, anywhere).text(" in the recording)");
        if (faults.measured()) {
            p.text(", which took ").fig(Figure.PAGE_FAULTS_MINOR, faults.minor()).text(" minor and ")
                    .fig(Figure.PAGE_FAULTS_MAJOR, faults.major()).text(" major page faults");
        } else if (here == 0) {
            p.text(": the writes fault the pages in (the JDK's only madvise is load's MADV_WILLNEED)");
        }
        evidence.put("mappedLoad", "load", p);
    }

    /** The JVM's minor page faults over the window, when the kernel section counted them. */
    private static void pageFaults(Recording recording, Evidence.Builder evidence) {
        recording.kernel().ifPresent(k -> {
            Long minor = k.counters().get("pageFaultsMinor");
            if (minor != null) {
                evidence.put("pageFaults", "page faults (whole JVM)", Prose.of(Figure.PAGE_FAULTS_MINOR, minor).text(" minor"));
            }
        });
    }

    /**
     * CPU-copied bytes sendfile saves over mmap + write: none (both copy once) unless the socket's egress
     * interfaces offload, when sendfile copies nothing.
     */
    private static long sendfileSaves(CopyRecord write, long bytes) {
        return bytes * (CopyPattern.MMAP_WRITE.cpuCopies() - SendfileCopies.perByte(write.target()));
    }
}
