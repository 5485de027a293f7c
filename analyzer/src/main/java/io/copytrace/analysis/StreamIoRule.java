// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.model.CopyModel;
import io.copytrace.model.JvmCopy;
import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.Recording;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finding 6: bulk data through {@code java.io} file streams or {@code java.net.Socket} streams: one
 * JNI or temporary-buffer copy per byte on top of the syscall, and a malloc per call above 8 KiB.
 */
final class StreamIoRule implements Rule {
    static final String ID = "stream-io";

    @Override
    public List<Finding> find(Recording recording, HostCost cost, Set<CopyRecord> claimed) {
        List<Finding> findings = new ArrayList<>();
        for (CopyRecord r : recording.applicationRecords()) {
            if (claimed.contains(r)) continue;
            JvmCopy copy = CopyModel.jvmCopy(r.operation(), r.buffer());
            if (copy != JvmCopy.JAVA_IO_STREAM && copy != JvmCopy.SOCKET_STREAM) continue;
            if (r.jvmCopiedBytes() < MIN_BYTES) continue;
            findings.add(finding(recording, cost, r, copy));
            claimed.add(r);
        }
        return findings;
    }

    private static Finding finding(Recording recording, HostCost cost, CopyRecord r, JvmCopy copy) {
        boolean inbound = r.operation().isInbound();
        boolean socket = copy == JvmCopy.SOCKET_STREAM;
        Evidence.Builder evidence = new Evidence.Builder().put("calls", "calls", Facts.record(r))
                .put("jvmCopied", "JVM-copied", Prose.of(Figure.JVM_COPIED_BYTES, r.jvmCopiedBytes())
                        .text(" (").fig(Figure.JVM_COPY, copy.where()).text(")"));
        if (r.nativeAllocations() > 0) {
            evidence.put("mallocPerCall", "malloc per call", Prose.of(Figure.NATIVE_ALLOCATIONS, r.nativeAllocations())
                    .text(" calls above 8 KiB allocated and freed a native buffer (java.io copies through a stack buffer "
                            + "only up to 8 KiB)"));
        }
        evidence.put("endpoint", "endpoint", Facts.endpoint(inbound ? r.source() : r.target()));
        // A malloc+free above the mmap threshold is an mmap+munmap pair; smaller ones are not syscalls.
        FreshBuffers fresh = FreshBuffers.of(List.of(r));
        if (fresh.perCall()) evidence.put("freshArrays", "fresh buffers", fresh.line(cost));
        Saving saving = Saving.of(r.jvmCopiedBytes(), r.jvmCopiedBytesInCache(recording.jvm().feature()), 0, cost)
                .plus(fresh.saving(cost));
        String title = (socket ? "java.net.Socket stream " : "java.io stream ") + (inbound ? "reads" : "writes")
                + " moved " + Units.bytes(r.bytesMoved()) + " with an extra JVM copy per byte"
                + (r.nativeAllocations() > 0 ? " and a malloc per call" : "");
        String advice = socket
                ? "Socket streams copy every byte[] into a temporary direct buffer (NioSocketImpl). A SocketChannel with "
                  + "a reused direct buffer moves the same bytes without that copy; for files sent to the socket, "
                  + "FileChannel.transferTo removes the user-space copies entirely."
                : "FileInputStream/FileOutputStream/RandomAccessFile copy through JNI into native memory on every call"
                  + (r.nativeAllocations() > 0 ? ", with a malloc and free per call above 8 KiB" : "")
                  + ". A FileChannel with a reused direct buffer avoids the copy; whole-file copies need no user "
                  + "memory at all with Files.copy(Path, Path) or FileChannel.transferTo.";
        String fix = socket
                ? """
                  SocketChannel channel = SocketChannel.open(address);       // instead of new Socket(...)
                  ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);   // reused
                  channel.write(buffer.flip());"""
                : """
                  Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);   // whole files: in-kernel
                  // or stream-shaped code on a channel with a reused direct buffer:
                  try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                      ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
                      while (ch.read(buffer.clear()) > 0) consume(buffer.flip());
                  }""";
        return new Finding(ID, FindingKind.OPPORTUNITY, title, r.site(), r.bytesMoved(), evidence.build(), saving, advice, fix,
                recording.exactSites() ? Confidence.HIGH : Confidence.MEDIUM).withPaths(CopyPaths.streamIo(recording, r));
    }
}
