// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.model.IoForm;
import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.Recording;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finding 5: many calls moving few bytes each: a syscall (two mode switches) per handful of bytes.
 * Batching, gathering writes or a larger buffer make the same bytes cost a fraction of the calls.
 */
final class SmallIoRule implements Rule {
    static final String ID = "small-io";
    /** Fewer calls than this are not worth a finding. */
    static final long MIN_CALLS = 1_000;
    /** Calls asking for less than this on average are "small". */
    static final long SMALL_CALL = 4 * 1024;
    /** The chunk a batched version would move per syscall. */
    static final long BATCH = 64 * 1024;

    @Override
    public List<Finding> find(Recording recording, HostCost cost, Set<CopyRecord> claimed) {
        List<Finding> findings = new ArrayList<>();
        for (CopyRecord r : recording.applicationRecords()) {
            // Not claimed-exclusive: small calls cost syscalls, not copies, so nothing is counted twice.
            if (!isPlainIo(r) || r.calls() < MIN_CALLS) continue;
            if (r.requestedPerCall() >= SMALL_CALL || r.bytesPerCall() >= SMALL_CALL) continue;
            long needed = Math.max(1, (r.bytesMoved() + BATCH - 1) / BATCH);
            if (r.calls() - needed < MIN_CALLS / 2) continue;
            findings.add(finding(recording, cost, r, needed));
        }
        return findings;
    }

    private static boolean isPlainIo(CopyRecord r) {
        return switch (r.operation()) {
            // datagrams are one message per call by design: not batchable in the JDK
            case FILE_READ, FILE_WRITE, SOCKET_READ, SOCKET_WRITE, SOCKET_STREAM_READ, SOCKET_STREAM_WRITE,
                 STREAM_READ, STREAM_WRITE -> true;
            default -> false;
        };
    }

    private static Finding finding(Recording recording, HostCost cost, CopyRecord r, long needed) {
        boolean inbound = r.operation().isInbound();
        boolean singleByte = r.form() == IoForm.SINGLE_BYTE;
        boolean stream = switch (r.operation()) {
            case STREAM_READ, STREAM_WRITE, SOCKET_STREAM_READ, SOCKET_STREAM_WRITE -> true;
            default -> false;
        };
        long saved = r.calls() - needed;
        Saving saving = Saving.of(0, saved, cost);
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("calls", Analysis.describe(r));
        evidence.put("bytes per call", Units.bytes(r.bytesPerCall()) + " moved, " + Units.bytes(r.requestedPerCall())
                + " requested" + (singleByte ? " (read()/write(int): one syscall per byte)" : ""));
        evidence.put("syscalls now / needed", Units.count(r.calls()) + " / " + Units.count(needed) + " at "
                + Units.bytes(BATCH) + " per call");
        evidence.put("mode switches avoided", Units.count(2 * saved));
        evidence.put("endpoint", (inbound ? r.source() : r.target()).describe());
        String title = Units.count(r.calls()) + " " + r.operation().title() + " calls of ~" + Units.bytes(r.bytesPerCall())
                + " each: " + Units.count(saved) + " syscalls more than needed";
        String advice;
        String fix;
        if (stream) {
            advice = "Each " + (inbound ? "read" : "write") + " on an unbuffered stream is a syscall. A buffered stream "
                    + "turns them into one per " + Units.bytes(BATCH) + ".";
            fix = inbound
                    ? "InputStream in = new BufferedInputStream(rawIn, 64 * 1024);"
                    : "OutputStream out = new BufferedOutputStream(rawOut, 64 * 1024);   // flush() at message boundaries";
        } else if (inbound) {
            advice = "Reading a few bytes per call pays a syscall per few bytes. Read into one large buffer and parse "
                    + "from it.";
            fix = """
                    ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);   // reused
                    channel.read(buffer); buffer.flip();
                    while (buffer.remaining() >= recordSize) parse(buffer);""";
        } else {
            advice = "Writing a few bytes per call pays a syscall per message. Gather the pieces into one "
                    + "write(ByteBuffer[]) (writev) or accumulate them in one buffer and write it when full.";
            fix = """
                    ByteBuffer[] batch = pending.toArray(ByteBuffer[]::new);   // collect small messages
                    while (hasRemaining(batch)) channel.write(batch);          // one writev for many""";
        }
        return new Finding(ID, FindingKind.OPPORTUNITY, title, r.site(), r.bytesMoved(), evidence, saving, advice, fix,
                singleByte || recording.exactSites() ? Confidence.HIGH : Confidence.MEDIUM);
    }
}
