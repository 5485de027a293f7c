// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.model.CopyModel;
import io.copytrace.model.EndpointKind;
import io.copytrace.model.Operation;
import io.copytrace.model.TransferPath;
import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.Recording;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finding 1: a method that reads a file and writes about as many bytes to a socket or a file moves them
 * through user memory; {@code transferTo}/{@code transferFrom} let the kernel move them instead.
 */
final class ReadWriteLoopRule implements Rule {
    static final String ID = "read-write-loop";
    /** Records below this are incidental I/O in the same method (a SecureRandom seed, a header). */
    static final long INCIDENTAL_BYTES = 64 * 1024;
    /** Reads and writes within this ratio of each other count as one stream of bytes. */
    static final double SAME_BYTES_RATIO = 0.8;

    @Override
    public List<Finding> find(Recording recording, HostCost cost, Set<CopyRecord> claimed) {
        // A loop's read and write sit in one method, often on different lines: group by class.method.
        Map<String, List<CopyRecord>> byMethod = new LinkedHashMap<>();
        for (CopyRecord r : recording.applicationRecords()) {
            if (r.path() == TransferPath.SYSCALL && !claimed.contains(r) && r.bytesMoved() >= INCIDENTAL_BYTES) {
                byMethod.computeIfAbsent(r.site().method(), k -> new ArrayList<>()).add(r);
            }
        }
        List<Finding> findings = new ArrayList<>();
        for (List<CopyRecord> group : byMethod.values()) loop(recording, cost, group, null, claimed, findings);
        // With flows the relay rule links reads and writes by memory, exactly: no inference from callers.
        if (!recording.flows().isEmpty()) return findings;
        // A loop split over two methods (read in one, write in another) shows in the stacks as one
        // caller of both: group what is left by the caller's class.method.
        Map<String, List<CopyRecord>> byCaller = new LinkedHashMap<>();
        for (List<CopyRecord> group : byMethod.values()) {
            for (CopyRecord r : group) {
                String caller = r.site().callerMethod();
                if (caller != null && !claimed.contains(r)) byCaller.computeIfAbsent(caller, k -> new ArrayList<>()).add(r);
            }
        }
        for (Map.Entry<String, List<CopyRecord>> e : byCaller.entrySet()) {
            // Only a caller of exactly two methods, one reading and one writing: a dispatcher or main()
            // calling many methods would otherwise join unrelated reads and writes.
            Set<String> methods = new LinkedHashSet<>();
            for (CopyRecord r : e.getValue()) methods.add(r.site().method());
            if (methods.size() == 2) loop(recording, cost, e.getValue(), e.getKey(), claimed, findings);
        }
        return findings;
    }

    /** Adds a finding when {@code group} holds file reads and about as many written bytes; {@code caller} for split loops. */
    private static void loop(Recording recording, HostCost cost, List<CopyRecord> group, String caller,
                             Set<CopyRecord> claimed, List<Finding> findings) {
        // Plain loops, not streams: there is one group per method, ten thousand of them in a big recording.
        List<CopyRecord> reads = new ArrayList<>(), toSocket = new ArrayList<>(), toFile = new ArrayList<>();
        for (CopyRecord r : group) {
            if (isFileRead(r)) reads.add(r);
            else if (isWrite(r) && r.target().kind() == EndpointKind.SOCKET) toSocket.add(r);
            else if (isWrite(r) && r.target().kind() == EndpointKind.FILE) toFile.add(r);
        }
        if (reads.isEmpty() || toSocket.isEmpty() && toFile.isEmpty()) return;
        long read = sum(reads);
        boolean socket = sum(toSocket) >= sum(toFile);
        List<CopyRecord> writes = socket ? toSocket : toFile;
        long written = sum(writes);
        if (read < MIN_BYTES || written < MIN_BYTES) return;
        if ((double) Math.min(read, written) / Math.max(read, written) < SAME_BYTES_RATIO) return;
        if (caller != null && !oneMethodEach(reads, writes)) return;
        findings.add(finding(recording, cost, reads, writes, socket, caller));
        claimed.addAll(reads);
        claimed.addAll(writes);
    }

    /** True when all reads come from one method and all writes from another. */
    private static boolean oneMethodEach(List<CopyRecord> reads, List<CopyRecord> writes) {
        String reader = reads.get(0).site().method(), writer = writes.get(0).site().method();
        if (reader.equals(writer)) return false;
        for (CopyRecord r : reads) if (!r.site().method().equals(reader)) return false;
        for (CopyRecord r : writes) if (!r.site().method().equals(writer)) return false;
        return true;
    }

    private static Finding finding(Recording recording, HostCost cost, List<CopyRecord> reads, List<CopyRecord> writes,
                                   boolean socket, String caller) {
        int jdk = recording.jvm().feature();
        long moved = Math.min(sum(reads), sum(writes));
        long copiedNow = 0, inCache = 0, syscallsNow = 0;
        for (CopyRecord r : reads) {
            copiedNow += r.cpuCopiedBytes();
            inCache += r.jvmCopiedBytesInCache(jdk);
            syscallsNow += r.estimatedSyscalls(jdk);
        }
        for (CopyRecord r : writes) {
            copiedNow += r.cpuCopiedBytes();
            inCache += r.jvmCopiedBytesInCache(jdk);
            syscallsNow += r.estimatedSyscalls(jdk);
        }
        Set<String> files = new LinkedHashSet<>();
        reads.forEach(r -> files.addAll(r.source().names()));
        EndpointKind target = socket ? EndpointKind.SOCKET : EndpointKind.FILE;
        CopyRecord heaviestWrite = writes.stream().max(Comparator.comparingLong(CopyRecord::bytesMoved)).orElseThrow();
        // ext4's copy_file_range makes one in-kernel page copy per byte; sendfile one too, or 0 when the socket's
        // egress interfaces offload (scatter-gather and TX checksumming)
        long copiedAfter = socket ? moved * SendfileCopies.perByte(heaviestWrite.target()) : moved;
        long syscallsAfter = CopyModel.directSyscalls(moved, target, jdk) * Math.max(1, files.size());
        // the fix removes every JVM copy: those of small chunks ran in the CPU cache
        Saving saving = Saving.of(copiedNow - copiedAfter, inCache, syscallsNow - syscallsAfter, cost);
        // a kernel file copy costs more than its one page copy, which copiedAfter already leaves in
        if (!socket) saving = saving.lessFixCost(cost.fileCopyOverheadNanos(moved));
        FreshBuffers fresh = FreshBuffers.of(reads); // the fix reads into no buffer at all
        saving = saving.plus(fresh.saving(cost));

        Evidence.Builder evidence = new Evidence.Builder();
        for (CopyRecord r : reads) evidence.put("read", Facts.atSite("read ", r), Facts.record(r));
        if (fresh.perCall()) evidence.put("freshArrays", "fresh buffers", fresh.line(cost));
        for (CopyRecord r : writes) evidence.put("write", Facts.atSite("write", r), Facts.record(r));
        evidence.put("copiesPerByteNow", "copies per byte now", Prose.of(Figure.CPU_COPIES_PER_BYTE, (double) copiedNow / moved)
                        .text(" (read+write through user memory)"))
                .put("copiesPerByteAfter", "copies per byte after", socket
                        ? Facts.afterTransferTo(CopyModel.directMechanism(jdk, Operation.FILE_TRANSFER_TO, target),
                                heaviestWrite.target())
                        : Facts.afterCopyFileRange())
                .put("syscallsNowAfter", "syscalls now / after", Facts.syscallsNowAfter(syscallsNow, syscallsAfter));
        if (!socket) evidence.put("fixCost", "the fix's own cost", Facts.fileCopyFixCost(moved, cost));
        if (socket) KernelPacing.note(evidence, heaviestWrite.target());
        if (caller != null) {
            evidence.put("loopIn", "loop in", Prose.of(Figure.CALLER, caller).text(" (calls both the read and the write method)"));
        }
        evidence.put("attribution", "attribution", recording.exactSites() ? Prose.of(Figure.ATTRIBUTION, "exact")
                : Prose.of(Figure.ATTRIBUTION, "sampled").text(": sites of some calls are inferred"));

        boolean streams = writes.stream().anyMatch(r -> r.operation() == Operation.SOCKET_STREAM_WRITE
                || r.operation() == Operation.STREAM_WRITE)
                || reads.stream().anyMatch(r -> r.operation() == Operation.STREAM_READ);
        String what = socket ? "file → socket" : "file → file";
        String title = "A " + what + " read/write loop copies " + Units.bytes(moved) + " through user memory: use "
                + (socket ? "FileChannel.transferTo (sendfile)" : "FileChannel.transferTo/transferFrom or Files.copy (copy_file_range)");
        String advice = (caller == null ? "The method reads " : caller + " calls a method that reads ")
                + Units.bytes(sum(reads)) + " from " + String.join(", ", files)
                + (caller == null ? " and writes " : " and one that writes ") + Units.bytes(sum(writes)) + " to a " + (socket ? "socket" : "file")
                + ": every byte crosses into user memory and back"
                + (streams ? " (java.io/Socket streams add a JNI copy per side)" : "")
                + ". Let the kernel move it: one syscall per transfer instead of a read and a write per chunk.";
        String fix = socket
                ? """
                  try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
                      long position = 0, size = file.size();
                      while (position < size) {
                          position += file.transferTo(position, size - position, socketChannel); // sendfile
                      }
                  }
                  // a java.net.Socket made with new Socket() has no channel: connect with
                  // SocketChannel.open(address) and use channel.socket() where a Socket is still needed"""
                : """
                  Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING); // whole file: copy_file_range / sendfile
                  // or, for a range or an open channel (not in APPEND mode):
                  try (FileChannel in = FileChannel.open(source); FileChannel out = FileChannel.open(target, WRITE, CREATE)) {
                      long position = 0, size = in.size();
                      while (position < size) position += in.transferTo(position, size - position, out);
                  }""";
        boolean close = (double) Math.min(sum(reads), sum(writes)) / Math.max(sum(reads), sum(writes)) >= 0.95;
        // Split over two methods, the loop is inferred from the caller: never more than medium.
        Confidence confidence = recording.exactSites() && close && caller == null ? Confidence.HIGH : Confidence.MEDIUM;
        return new Finding(ID, FindingKind.OPPORTUNITY, title, heaviestWrite.site(), moved, evidence.build(), saving, advice,
                fix, confidence).withPaths(CopyPaths.loop(recording, reads, writes, target, moved, syscallsNow, syscallsAfter));
    }

    private static boolean isFileRead(CopyRecord r) {
        return (r.operation() == Operation.FILE_READ || r.operation() == Operation.STREAM_READ)
                && r.source().kind() == EndpointKind.FILE;
    }

    /** A write of the application's memory to an endpoint (channel, java.io or socket stream). */
    static boolean isWrite(CopyRecord r) {
        return switch (r.operation()) {
            case FILE_WRITE, SOCKET_WRITE, SOCKET_STREAM_WRITE, STREAM_WRITE -> true;
            default -> false;
        };
    }

    private static long sum(List<CopyRecord> records) {
        long sum = 0;
        for (CopyRecord r : records) sum += r.bytesMoved();
        return sum;
    }
}
