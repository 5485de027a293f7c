// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.model.CopyPattern;
import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.Endpoint;

/** Evidence that several rules give the same way: a record, an endpoint, the copies and syscalls of a fix. */
final class Facts {
    private Facts() {}

    /** "512 file.write calls, 4.0 MiB moved, path syscall, buffer heap, 2.00 CPU copies/byte". */
    static Prose record(CopyRecord r) {
        return Prose.of(Figure.CALLS, r.calls()).text(" ").fig(Figure.OPERATION, r.operation().wireName())
                .text(r.calls() == 1 ? " call, " : " calls, ").fig(Figure.BYTES_MOVED, r.bytesMoved())
                .text(" moved, path ").fig(Figure.PATH, r.path().wireName())
                .text(", buffer ").fig(Figure.BUFFER, r.buffer().wireName())
                .text(", ").fig(Figure.CPU_COPIES_PER_BYTE, r.cpuCopiesPerByte()).text(" CPU copies/byte");
    }

    /** "socket /127.0.0.1:42191": the kind, then the names when recorded. */
    static Prose endpoint(Endpoint e) {
        Prose p = Prose.of(Figure.ENDPOINT, e.kind().wireName());
        return e.names().isEmpty() ? p.fact(Figure.ENDPOINT_NAMES, e.names())
                : p.text(" ").fig(Figure.ENDPOINT_NAMES, e.names());
    }

    /** "read  Prog.loop(Prog.java:75)": what a record does, at its site. */
    static Prose atSite(String what, CopyRecord r) {
        return Prose.of(what + " ").fig(Figure.SITE, r.site().frame());
    }

    /**
     * Copies per byte with transferTo to {@code socket}: "1.00 with transferTo = sendfile (0 with a …NIC)", or
     * from the recorded egress interfaces: "0.00 with transferTo = sendfile (lo: scatter-gather on, …)".
     */
    static Prose afterTransferTo(String mechanism, Endpoint socket) {
        if (!socket.egress().isEmpty()) {
            return Prose.of(Figure.CPU_COPIES_PER_BYTE, (double) SendfileCopies.perByte(socket))
                    .text(" with transferTo = ").fig(Figure.MECHANISM, mechanism).text(" (").then(egress(socket))
                    .text(")");
        }
        return Prose.of(Figure.CPU_COPIES_PER_BYTE, (double) CopyPattern.SENDFILE.cpuCopies())
                .text(" with transferTo = ").fig(Figure.MECHANISM, mechanism)
                .text(" (").fig(Figure.CPU_COPIES_PER_BYTE_WITH_SG_DMA, CopyPattern.SENDFILE_SG.cpuCopies())
                .text(" with a scatter/gather-DMA NIC)");
    }

    /** What sendfile costs to {@code socket} on this host: "lo: scatter-gather on, tx-checksumming on → 0 CPU …". */
    static Prose egress(Endpoint socket) {
        return Prose.of(SendfileCopies.why(socket))
                .fact(Figure.EGRESS, socket.egress().stream().map(io.copytrace.recording.Nic::name).toList());
    }

    /** Copies per byte with copy_file_range: "1.00 with copy_file_range on ext4 (0 on reflink filesystems)". */
    static Prose afterCopyFileRange() {
        return Prose.of(Figure.CPU_COPIES_PER_BYTE, (double) CopyPattern.COPY_FILE_RANGE.cpuCopies())
                .text(" with ").fig(Figure.MECHANISM, CopyPattern.COPY_FILE_RANGE.title()).text(" on ext4 (")
                .fig(Figure.CPU_COPIES_PER_BYTE_ON_REFLINK, 0).text(" on reflink filesystems)");
    }

    /**
     * What a kernel file → file copy of {@code bytes} still costs beyond its one page copy, taken off the saving:
     * "~15 ms: the kernel copy's work beyond its one page copy (a splice through a pipe, 64 KiB at a time; 15 ns
     * per KiB), taken off the saving".
     */
    static Prose fileCopyFixCost(long bytes, HostCost cost) {
        return Prose.of(Figure.FIX_COST_NANOS, cost.fileCopyOverheadNanos(bytes))
                .text(String.format(java.util.Locale.ROOT, ": the kernel copy's work beyond its one page copy (a splice"
                        + " through a pipe, 64 KiB at a time; %.0f ns per KiB), taken off the saving",
                        cost.fileCopyOverheadNanosPerKib()));
    }

    /** A receive buffer's copy runs at least this many times slower 1–15 bytes ahead of its source for the line. */
    static final double SHORT_DISTANCE_SLOWDOWN = 1.5;

    /**
     * How to allocate the direct buffer a socket receive should go into, when this host's kernel copies slowly into
     * memory 1–15 bytes ahead of its source ({@link ShortDistanceCopy}, measured at report time); null when it does
     * not, or was not measured.
     */
    static Prose receiveBuffer(HostCost cost) {
        ShortDistanceCopy.Measured m = cost.shortDistanceCopy();
        if (m == null || m.slowdown() < SHORT_DISTANCE_SLOWDOWN) return null;
        return Prose.of("page-align it: ByteBuffer.allocateDirect(size + 4095).alignedSlice(4096), or"
                + " -Dsun.nio.PageAlignDirectMemory=true for every direct buffer. allocateDirect's larger buffers often"
                + " come from malloc 16 bytes past a page, and a body read after a header of 1–15 bytes starts that far"
                + " past a page in the socket's memory; on this host the kernel's copy into memory 1–15 bytes ahead"
                + " of its source's page offset ran at ")
                .fig(Figure.SHORT_DISTANCE_COPY_NANOS_PER_KIB, Math.round(m.aheadNanosPerKib()))
                .text(" ns per KiB against ").fig(Figure.APART_COPY_NANOS_PER_KIB, Math.round(m.apartNanosPerKib()))
                .text(" (" + (cost.measured() ? "measured at report time" : "as given")
                        + "; not in the saving: which reads meet it depends on the data's offsets)");
    }

    /** "257 / ~1": syscalls over the window now, and (estimated) after the fix. */
    static Prose syscallsNowAfter(long now, long after) {
        return Prose.of(Figure.SYSCALLS_NOW, now).text(" / ~").fig(Figure.SYSCALLS_AFTER, after);
    }

    /** "mmap+write: 1 CPU copy per byte (page cache → socket buffer) plus page faults". */
    static Prose mmapWrite() {
        return Prose.of(Figure.PATTERN, CopyPattern.MMAP_WRITE.title()).text(": ")
                .fig(Figure.CPU_COPIES_PER_BYTE, CopyPattern.MMAP_WRITE.cpuCopies())
                .text(" CPU copy per byte (page cache → socket buffer) plus page faults");
    }

    /**
     * "sendfile: 1 CPU copy per byte, 0 with a scatter/gather-DMA NIC; no faults, no mapping", or with the
     * recorded egress interfaces of {@code socket}: "sendfile: 0 CPU copies per byte (lo: …); no faults, …".
     */
    static Prose sendfileInstead(Endpoint socket) {
        if (!socket.egress().isEmpty()) {
            return Prose.of(Figure.MECHANISM, CopyPattern.SENDFILE.title()).text(": ")
                    .fig(Figure.CPU_COPIES_PER_BYTE, SendfileCopies.perByte(socket)).text(" CPU copies per byte (")
                    .then(egress(socket)).text("); no faults, no mapping");
        }
        return Prose.of(Figure.MECHANISM, CopyPattern.SENDFILE.title()).text(": ")
                .fig(Figure.CPU_COPIES_PER_BYTE, CopyPattern.SENDFILE.cpuCopies()).text(" CPU copy per byte, ")
                .fig(Figure.CPU_COPIES_PER_BYTE_WITH_SG_DMA, CopyPattern.SENDFILE_SG.cpuCopies())
                .text(" with a scatter/gather-DMA NIC; no faults, no mapping");
    }
}
