// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.model.BufferKind;
import io.copytrace.model.CopyModel;
import io.copytrace.model.EndpointKind;
import io.copytrace.model.Operation;
import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.Recording;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finding 4: a mapped buffer written to a socket in large pieces is mmap + write: page faults and
 * mapping syscalls that sendfile does not need; mmap pays off for small random reads instead.
 */
final class MappedSendRule implements Rule {
    static final String ID = "mapped-send";
    /** Sends at least this large per call count as "large sequential". */
    static final long LARGE_SEND = 64 * 1024;

    @Override
    public List<Finding> find(Recording recording, HostCost cost, Set<CopyRecord> claimed) {
        List<Finding> findings = new ArrayList<>();
        List<CopyRecord> records = recording.applicationRecords();
        for (CopyRecord r : records) {
            if (claimed.contains(r) || r.buffer() != BufferKind.MAPPED) continue;
            if (r.operation() != Operation.SOCKET_WRITE && r.operation() != Operation.SOCKET_STREAM_WRITE) continue;
            if (r.bytesMoved() < MIN_BYTES || r.bytesPerCall() < LARGE_SEND) continue;
            findings.add(finding(recording, cost, r, records));
            claimed.add(r);
        }
        return findings;
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
        Saving saving = Saving.of(0, now - after, cost);
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("calls", Analysis.describe(r));
        evidence.put("pattern", "mmap+write: 1 CPU copy per byte (page cache → socket buffer) plus page faults");
        if (maps > 0) evidence.put("mappings at this method", Units.count(maps) + " FileChannel.map calls");
        recording.kernel().ifPresent(k -> {
            Long minor = k.counters().get("pageFaultsMinor");
            if (minor != null) evidence.put("page faults (whole JVM)", Units.count(minor) + " minor");
        });
        evidence.put("with transferTo", "sendfile: 1 CPU copy per byte, 0 with a scatter/gather-DMA NIC; no faults, no mapping");
        evidence.put("target", r.target().describe());
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
        return new Finding(ID, FindingKind.OPPORTUNITY, title, r.site(), r.bytesMoved(), evidence, saving, advice, fix,
                Confidence.MEDIUM);
    }
}
