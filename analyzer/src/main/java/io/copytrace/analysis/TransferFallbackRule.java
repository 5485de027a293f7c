// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.model.CopyModel;
import io.copytrace.model.EndpointKind;
import io.copytrace.model.FallbackReason;
import io.copytrace.model.Operation;
import io.copytrace.model.TransferPath;
import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.Recording;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finding 3: a transferTo/transferFrom (or Files.copy, InputStream.transferTo) that fell back to the
 * mapped or loop path: the reason the JDK had, and how to get the in-kernel path back.
 */
final class TransferFallbackRule implements Rule {
    static final String ID = "transfer-fallback";

    @Override
    public List<Finding> find(Recording recording, HostCost cost, Set<CopyRecord> claimed) {
        List<Finding> findings = new ArrayList<>();
        List<CopyRecord> records = recording.applicationRecords();
        for (CopyRecord r : records) {
            if (claimed.contains(r) || !isTransfer(r.operation()) || r.bytesMoved() <= 0) continue;
            if (r.path() != TransferPath.MAPPED && r.path() != TransferPath.LOOP) continue;
            if (r.reason() == FallbackReason.TLS) continue; // the TLS rule says it better
            List<CopyRecord> inner = wrapperWrites(r, recording.records(), claimed); // nested ones included
            findings.add(finding(recording, cost, r, records, inner));
            claimed.add(r);
            claimed.addAll(inner);
        }
        return findings;
    }

    /**
     * For a loop into an application channel or stream: the nested records of that wrapper's own I/O
     * (their stack passes through this transfer's call site). Their copies disappear with the fix too.
     */
    private static List<CopyRecord> wrapperWrites(CopyRecord r, List<CopyRecord> all, Set<CopyRecord> claimed) {
        List<CopyRecord> inner = new ArrayList<>();
        if (r.path() != TransferPath.LOOP) return inner;
        if (r.target().kind() != EndpointKind.CHANNEL && r.target().kind() != EndpointKind.STREAM) return inner;
        for (CopyRecord o : all) {
            if (o.nested() && !claimed.contains(o) && o != r && o.site().stack().contains(r.site().frame())) inner.add(o);
        }
        return inner;
    }

    static boolean isTransfer(Operation op) {
        return switch (op) {
            case FILE_TRANSFER_TO, FILE_TRANSFER_FROM, FILES_COPY, STREAM_TRANSFER_TO -> true;
            default -> false;
        };
    }

    private static Finding finding(Recording recording, HostCost cost, CopyRecord r, List<CopyRecord> all,
                                   List<CopyRecord> inner) {
        int jdk = recording.jvm().feature();
        EndpointKind realTarget = r.target().kind() == EndpointKind.FILE ? EndpointKind.FILE : EndpointKind.SOCKET;
        long syscallsAfter = CopyModel.estimatedSyscalls(r.operation(), TransferPath.DIRECT, realTarget, jdk, r.calls(),
                r.bytesMoved());
        // In-kernel transfer still costs one page copy per byte (sendfile, copy_file_range on ext4).
        long copiesNow = r.cpuCopiedBytes();
        long inCache = r.jvmCopiedBytesInCache(jdk);
        long syscallsNow = r.estimatedSyscalls(jdk);
        for (CopyRecord w : inner) {
            copiesNow += w.cpuCopiedBytes();
            inCache += w.jvmCopiedBytesInCache(jdk);
            syscallsNow += w.estimatedSyscalls(jdk);
        }
        // the direct path still copies each byte once in the kernel, unless sendfile's egress interfaces offload
        long copiesAfter = realTarget == EndpointKind.SOCKET ? r.bytesMoved() * SendfileCopies.perByte(
                new io.copytrace.recording.Endpoint(EndpointKind.SOCKET, r.target().names(), r.target().egress()))
                : r.bytesMoved();
        Saving saving = Saving.of(copiesNow - copiesAfter, inCache, syscallsNow - syscallsAfter, cost);

        Evidence.Builder evidence = new Evidence.Builder().put("calls", "calls", Facts.record(r))
                .put("path", "path", Prose.of(Figure.PATH, r.path().wireName())
                        .text(" (" + r.path().title() + ") instead of direct"))
                .put("reason", "reason", reason(r.reason()));
        if (r.path() == TransferPath.LOOP && r.mappedReason() != null && r.mappedReason() != FallbackReason.NONE) {
            evidence.put("notMappedEither", "not mapped either", reason(r.mappedReason()));
        }
        for (CopyRecord w : inner) {
            evidence.put("wrapperRecord", Prose.of("the wrapper's own ").fig(Figure.OPERATION, w.operation().wireName())
                    .text(" at ").fig(Figure.SITE, w.site().frame()), Facts.record(w));
        }
        evidence.put("source", "source", Facts.endpoint(r.source()))
                .put("target", "target", Facts.endpoint(r.target()))
                .put("jdk", "JDK", Prose.of(Figure.JAVA_VERSION, recording.jvm().javaVersion()).text(" (feature ")
                        .fig(Figure.JDK_FEATURE, jdk).text(")"));
        Prose culprit = culprit(r, all);
        if (culprit != null) evidence.put("earlierRefusal", "earlier refusal", culprit);

        String title = r.operation().title() + " fell back to the " + r.path().wireName() + " path for "
                + Units.bytes(r.bytesMoved()) + " (" + r.reason().wireName() + ")";
        return new Finding(ID, FindingKind.OPPORTUNITY, title, r.site(), r.bytesMoved(), evidence.build(), saving,
                advice(r, jdk), fix(r), Confidence.HIGH)
                .withPaths(CopyPaths.fallback(recording, r, inner, realTarget, syscallsNow, syscallsAfter));
    }

    /** "append-target: the target file is open in append mode: …". */
    private static Prose reason(FallbackReason reason) {
        return Prose.of(Figure.REASON, reason.wireName()).text(": " + reason.explanation());
    }

    /** For a sticky flag: the record that switched the direct path off, if the recording has it. */
    private static Prose culprit(CopyRecord r, List<CopyRecord> all) {
        if (r.reason() != FallbackReason.STICKY_FLAG) return null;
        for (CopyRecord o : all) {
            if (o != r && isTransfer(o.operation())
                    && (o.reason() == FallbackReason.APPEND_TARGET || o.reason() == FallbackReason.KERNEL_REFUSED)) {
                return Prose.of(Figure.OPERATION, o.operation().wireName()).text(" at ").fig(Figure.SITE, o.site().frame())
                        .text(" (").fig(Figure.REASON, o.reason().wireName()).text(", target ")
                        .then(Facts.endpoint(o.target())).text(")");
            }
        }
        return Prose.of("not in this recording (before the window, or in JDK-internal code)");
    }

    private static String advice(CopyRecord r, int jdk) {
        String target = String.join(", ", r.target().names());
        return switch (r.reason()) {
            case TARGET_TYPE -> "The target " + (target.isEmpty() ? "" : "(" + target + ") ")
                    + "is not a JDK FileChannel or SocketChannel, so the JDK cannot hand the bytes to the kernel and "
                    + "loops through an 8 KiB heap buffer (4 CPU copies per byte plus what the wrapper does). Pass the "
                    + "underlying channel itself: not Channels.newChannel(outputStream), a decorator or a custom channel.";
            case TARGET_TYPE_ON_THIS_JDK -> jdk >= 25
                    ? "JDK 25 dropped sendfile for Pipe.SinkChannel and DatagramChannel targets (JDK 17 and 21 have it). "
                      + "Write to a SocketChannel or FileChannel directly, or keep this path knowingly."
                    : "This JDK has no in-kernel path for this pair (JDK 17 transferFrom maps the source; JDK 21+ uses "
                      + "copy_file_range). On JDK 17 call source.transferTo(position, count, target) instead: that is sendfile.";
            case APPEND_TARGET -> "sendfile and copy_file_range refuse targets opened with APPEND. Open the target without "
                    + "APPEND and write at its end explicitly. On JDK 17 and 21 one such transfer also switches the "
                    + "direct file→file path off for the rest of the JVM's life (JDK 25 is not sticky).";
            case STICKY_FLAG -> "An earlier refusal (an append-mode target or an EINVAL from the kernel) switched the "
                    + "direct path off for this target kind for the JVM's life (JDK 17/21 static flags). Fix that earlier "
                    + "transfer; the flag resets only with a new JVM" + (jdk >= 25 ? "." : " (JDK 25 has no such flag).");
            case KERNEL_REFUSED -> "The kernel refused sendfile/copy_file_range for this pair (file system or target "
                    + "type without support). Check the target's file system; the JDK falls back by itself, nothing "
                    + "else to change in code.";
            case BELOW_MAPPED_THRESHOLD -> "Transfers below 16 KiB skip the mapped path and loop. Batch small pieces "
                    + "into larger transfers, or make the target a JDK channel so the direct path applies.";
            case SOURCE_SIZE_ZERO -> "The source reports size 0 (/proc, /sys, some FUSE files), so the JDK loops. Such "
                    + "files are small: read them with Files.readAllBytes; nothing to gain from zero copy.";
            case SOURCE_NOT_FILE -> "transferFrom a socket always loops through a heap buffer (the JDK has no splice). "
                    + "Read into a reused direct buffer and write it positionally to avoid the JVM copies.";
            case SAME_FILE, NOTHING_TO_TRANSFER -> "The JDK had nothing to hand to the kernel here.";
            default -> "The JDK did not say why the direct path was not taken. Check that both ends are JDK "
                    + "FileChannel/SocketChannel objects and the target is not in APPEND mode.";
        };
    }

    private static String fix(CopyRecord r) {
        return switch (r.reason()) {
            case TARGET_TYPE -> """
                    // pass the real channel, not a wrapper:
                    SocketChannel socket = SocketChannel.open(address);      // instead of new Socket(...)
                    file.transferTo(position, count, socket);                 // not Channels.newChannel(out)""";
            case APPEND_TARGET, STICKY_FLAG -> """
                    try (FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
                        long at = out.size();                                  // append by position, not APPEND mode
                        while (count > 0) {
                            long n = in.transferTo(position, count, out.position(at));
                            position += n; at += n; count -= n;
                        }
                    }""";
            case TARGET_TYPE_ON_THIS_JDK -> """
                    // JDK 17: source.transferTo(position, count, fileChannel) is sendfile; transferFrom maps the source.
                    // JDK 25: write to the SocketChannel/FileChannel itself, not a Pipe.SinkChannel or DatagramChannel.""";
            case SOURCE_NOT_FILE -> """
                    ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);   // reused
                    while (socket.read(buffer.clear()) > 0) { buffer.flip(); position += file.write(buffer, position); }""";
            default -> "";
        };
    }
}
