// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.model.CopyModel;
import io.copytrace.model.CopyPattern;
import io.copytrace.model.EndpointKind;
import io.copytrace.model.JvmCopy;
import io.copytrace.model.Operation;
import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.Flow;
import io.copytrace.recording.Recording;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A relay through user memory, found from the recording's flows: bytes a read put in memory and a write
 * took from the same memory, wherever the two ran (another class, another thread, through a framework's
 * pooled buffers or its own copy). One finding per read site and target kind. Memory read once and
 * written many times is a cache, not a relay: no finding.
 */
final class RelayRule implements Rule {
    static final String ID = "relay";
    /** Bytes written from a read above this multiple of the bytes it read: served from memory, not relayed. */
    static final double CACHE_RATIO = 1.5;
    /** A record is explained by the relay (claimed) when at least this share of its bytes was relayed. */
    static final double CLAIM_SHARE = 0.5;

    /** One read site's relays to one kind of target. */
    private static final class Relay {
        final Map<CopyRecord, long[]> reads = new IdentityHashMap<>(); // bytes relayed
        final List<Flow> flows = new ArrayList<>();
        final Map<CopyRecord, long[]> writes = new IdentityHashMap<>(); // bytes, calls
        long bytes;
        long handedOff;
        long viaCopy;
        double copiesNow; // CPU-copied bytes on the path, over the relayed bytes
        final EndpointKind source;
        final EndpointKind target;

        Relay(EndpointKind source, EndpointKind target) {
            this.source = source;
            this.target = target;
        }
    }

    @Override
    public List<Finding> find(Recording recording, HostCost cost, Set<CopyRecord> claimed) {
        Map<CopyRecord, Long> writtenFrom = new IdentityHashMap<>();
        for (Flow f : recording.flows()) f.from().ifPresent(r -> writtenFrom.merge(r, f.bytes(), Long::sum));
        Map<String, Relay> relays = new LinkedHashMap<>();
        for (Flow f : recording.flows()) {
            if (f.from().isEmpty() || f.viaTls()) continue; // TLS paths are the tls rule's
            CopyRecord read = f.from().get();
            CopyRecord write = f.to();
            if (!isRead(read) || !ReadWriteLoopRule.isWrite(write) || !read.isApplication() || !write.isApplication()) continue;
            if (claimed.contains(read) || claimed.contains(write)) continue; // a read/write loop already explains it
            // A cache: what this read filled was written out many times over.
            if (writtenFrom.get(read) > CACHE_RATIO * Math.max(1, read.bytesMoved())) continue;
            EndpointKind source = read.source().kind(), target = write.target().kind();
            if (!isEndpoint(source) || !isEndpoint(target)) continue;
            Relay relay = relays.computeIfAbsent(read.site().id() + " " + source + " " + target,
                    k -> new Relay(source, target));
            relay.reads.computeIfAbsent(read, k -> new long[1])[0] += f.bytes();
            long[] w = relay.writes.computeIfAbsent(write, k -> new long[2]);
            w[0] += f.bytes();
            w[1] += f.writeCalls();
            relay.flows.add(f);
            relay.bytes += f.bytes();
            if (f.handedOff()) relay.handedOff += f.bytes();
            if (f.viaFrameworkCopy()) relay.viaCopy += f.bytes();
            relay.copiesNow += f.bytes() * (read.cpuCopiesPerByte() + write.cpuCopiesPerByte()
                    + (f.viaFrameworkCopy() ? JvmCopy.FRAMEWORK.extraCpuCopies() : 0));
        }
        List<CopyRecord> frameworkCopies = new ArrayList<>();
        for (CopyRecord r : recording.applicationRecords()) {
            if (r.operation() == Operation.FRAMEWORK_COPY) frameworkCopies.add(r);
        }
        List<Finding> findings = new ArrayList<>();
        for (Relay relay : relays.values()) {
            if (relay.bytes < MIN_BYTES) continue;
            Finding f = finding(recording, cost, relay);
            if (f == null) continue;
            findings.add(f);
            relay.reads.forEach((r, v) -> claimIfMostlyRelayed(r, v[0], claimed));
            relay.writes.forEach((w, v) -> claimIfMostlyRelayed(w, v[0], claimed));
            if (relay.viaCopy > 0) claimed.addAll(frameworkCopies);
        }
        return findings;
    }

    private static void claimIfMostlyRelayed(CopyRecord r, long relayed, Set<CopyRecord> claimed) {
        if (mostlyRelayed(r, relayed)) claimed.add(r);
    }

    private static boolean mostlyRelayed(CopyRecord r, long relayed) {
        return relayed >= CLAIM_SHARE * r.bytesMoved();
    }

    /** JVM copies of the relayed bytes in records the relay claims that ran in the CPU cache: its saving prices them so. */
    private static long jvmCopiesInCache(Relay relay, int jdk) {
        double inCache = 0;
        for (Map<CopyRecord, long[]> side : List.of(relay.reads, relay.writes)) {
            for (Map.Entry<CopyRecord, long[]> e : side.entrySet()) {
                CopyRecord r = e.getKey();
                if (mostlyRelayed(r, e.getValue()[0]) && r.bytesMoved() > 0) {
                    inCache += (double) r.jvmCopiedBytesInCache(jdk) * e.getValue()[0] / r.bytesMoved();
                }
            }
        }
        return Math.round(inCache);
    }

    /**
     * JVM copies of the relayed bytes in records the relay does not claim: the heap-buffer and stream rules
     * report those records and their copies, so the relay's saving leaves them out (no byte saved twice).
     */
    private static long copiesSavedElsewhere(Relay relay) {
        double elsewhere = 0;
        for (Map<CopyRecord, long[]> side : List.of(relay.reads, relay.writes)) {
            for (Map.Entry<CopyRecord, long[]> e : side.entrySet()) {
                CopyRecord r = e.getKey();
                if (!mostlyRelayed(r, e.getValue()[0]) && r.bytesMoved() > 0) {
                    elsewhere += (double) r.jvmCopiedBytes() * e.getValue()[0] / r.bytesMoved();
                }
            }
        }
        return Math.round(elsewhere);
    }

    /** The relay's finding, or null when nothing better exists and it is no limitation worth stating. */
    private static Finding finding(Recording recording, HostCost cost, Relay relay) {
        int jdk = recording.jvm().feature();
        CopyRecord read = null;
        long readBytes = 0, readCalls = 0;
        for (CopyRecord r : relay.reads.keySet()) {
            if (read == null || relay.reads.get(r)[0] > relay.reads.get(read)[0]) read = r;
            readBytes += r.bytesMoved();
            readCalls += r.calls();
        }
        long writeCalls = 0;
        CopyRecord heaviestWrite = null;
        for (Map.Entry<CopyRecord, long[]> e : relay.writes.entrySet()) {
            writeCalls += e.getValue()[1];
            if (heaviestWrite == null || e.getValue()[0] > relay.writes.get(heaviestWrite)[0]) heaviestWrite = e.getKey();
        }
        double now = relay.copiesNow / relay.bytes;
        Fix fix = Fix.of(relay, read, heaviestWrite, jdk);
        if (fix == null) return null;
        long relayedReadCalls = Math.round(readCalls * Math.min(1.0, (double) relay.bytes / Math.max(1, readBytes)));
        long syscallsNow = relayedReadCalls + writeCalls;
        // JDK 21+ transferTo to a socket tries copy_file_range first: two syscalls per transfer
        boolean twoPerTransfer = fix.kernelTransfer && jdk >= 21 && relay.target == EndpointKind.SOCKET;
        long syscallsAfter = fix.readsGo ? writeCalls * (twoPerTransfer ? 2 : 1)
                : syscallsNow;
        long copiedNow = Math.round(relay.copiesNow);
        long copiedAfter = Math.round(fix.copiesAfter * relay.bytes);
        long elsewhere = copiesSavedElsewhere(relay);
        // Nothing beyond what the per-record findings already save (a relay that is a small part of busy
        // records, with no kernel path to offer): no finding of its own.
        if (fix.kind == FindingKind.OPPORTUNITY && !fix.readsGo && copiedNow - copiedAfter - elsewhere <= 0) return null;
        Saving saving = Saving.of(copiedNow - copiedAfter - elsewhere, jvmCopiesInCache(relay, jdk),
                syscallsNow - syscallsAfter, cost);
        RelayHandOffs.Priced handOffs = null;
        if (relay.handedOff > 0) {
            List<CopyRecord> records = new ArrayList<>(relay.reads.keySet());
            records.addAll(relay.writes.keySet());
            handOffs = RelayHandOffs.of(recording, records, syscallsNow, fix.threadsStay, cost);
            saving = saving.plus(new Saving(0, 0, 0, 0, handOffs.nanos()));
        }
        // bytes filled on one core and used on another travel between their caches: one thread, one cache
        boolean crossCore = relay.handedOff > 0 && fix.threadsStay == null && fix.kind != FindingKind.LIMITATION;
        if (crossCore) saving = saving.plus(new Saving(0, 0, 0, 0, cost.crossCoreNanos(relay.handedOff)));
        // the fix reads into a reused direct buffer, or into none: the reads it claims allocate no array per call
        FreshBuffers fresh = FreshBuffers.of(relay.reads.keySet().stream()
                .filter(r -> mostlyRelayed(r, relay.reads.get(r)[0])).toList());
        saving = saving.plus(fresh.saving(cost));
        boolean fileCopy = fix.kernelTransfer && relay.source == EndpointKind.FILE && relay.target == EndpointKind.FILE;
        // a kernel file copy costs more than its one page copy, which copiedAfter already leaves in
        if (fileCopy) saving = saving.lessFixCost(cost.fileCopyOverheadNanos(relay.bytes));

        Evidence.Builder evidence = new Evidence.Builder().put("relayed", "relayed", Prose.of(Figure.RELAYED_BYTES, relay.bytes)
                .text(" ").fig(Figure.SOURCE_KIND, kindName(relay.source)).text(" → ").fig(Figure.TARGET_KIND, kindName(relay.target))
                .text(" through user memory, matched by memory address (").fig(Figure.WRITE_CALLS, writeCalls).text(" write calls)"));
        for (CopyRecord r : relay.reads.keySet()) evidence.put("read", label(evidence, "read ", r), Facts.record(r));
        relay.writes.forEach((w, v) -> evidence.put("write", label(evidence, "write", w),
                Prose.of(Figure.RELAYED_BYTES, v[0]).text(" of it; ").then(Facts.record(w))));
        evidence.put("threads", "threads", relay.handedOff == 0
                ? Prose.of("read and written on the same thread").fact(Figure.HANDED_OFF_BYTES, 0)
                : Prose.of(Figure.HANDED_OFF_BYTES, relay.handedOff)
                        .text(" handed from the reading thread to another thread to be written"));
        if (handOffs != null) evidence.put("handOffs", "hand-offs", handOffs.line());
        if (crossCore) {
            evidence.put("crossCore", "between cores", Prose.of(Figure.HANDED_OFF_BYTES, relay.handedOff)
                    .text(String.format(java.util.Locale.ROOT, " filled by one thread and used by another travel between"
                            + " the cores' caches, and back when the buffer is reused: at %.0f ns per KiB, ",
                            cost.crossCoreNanosPerKib()))
                    .fig(Figure.CROSS_CORE_NANOS, cost.crossCoreNanos(relay.handedOff))
                    .text(" in the saving (the host's figure for two threads passing buffers; an estimate: where the"
                            + " scheduler ran both threads on one core the bytes stayed in its cache)"));
        }
        // a limitation has no saving to put them in
        if (fresh.perCall() && fix.kind != FindingKind.LIMITATION) evidence.put("freshArrays", "fresh buffers", fresh.line(cost));
        // the reads stay (into direct buffers): how to allocate them on this host
        Prose receiveBuffer = relay.source == EndpointKind.SOCKET && !fix.readsGo ? Facts.receiveBuffer(cost) : null;
        if (receiveBuffer != null) evidence.put("receiveBuffer", "receive buffer", receiveBuffer);
        if (relay.viaCopy > 0) {
            evidence.put("frameworkCopy", "framework copy", Prose.of(Figure.FRAMEWORK_COPIED_BYTES, relay.viaCopy)
                    .text(" copied again in Java between the read and the write (heap buffer copied into a direct one"
                            + " before the socket write: Netty's NIO transport)"));
        }
        evidence.put("copiesPerByteNow", "copies per byte now", Prose.of(Figure.CPU_COPIES_PER_BYTE, now).text(" (")
                        .fig(Figure.STEPS, pathNow(read, heaviestWrite, relay.viaCopy > 0)).text(")"))
                .put("copiesPerByteAfter", "copies per byte after", fix.after);
        if (fix.kernelTransfer && relay.target == EndpointKind.SOCKET) {
            KernelPacing.note(evidence, heaviestWrite.target());
        }
        if (elsewhere > 0) {
            evidence.put("countedElsewhere", "counted elsewhere", Prose.of(Figure.COUNTED_ELSEWHERE_BYTES, elsewhere)
                    .text(" of JVM copies on this path are saved by the heap-buffer or stream findings of records that"
                            + " also carry other traffic"));
        }
        evidence.put("syscallsNowAfter", "syscalls now / after", Facts.syscallsNowAfter(syscallsNow, syscallsAfter)
                        .text(fix.readsGo ? " (the reads go; one write or transfer per write call assumed)" : ""));
        if (fileCopy) evidence.put("fixCost", "the fix's own cost", Facts.fileCopyFixCost(relay.bytes, cost));
        evidence.put("applicationFrameRead", "application frame (read)", applicationFrame(read))
                .put("applicationFrameWrite", "application frame (write)", applicationFrame(heaviestWrite));
        Set<String> files = new LinkedHashSet<>();
        for (CopyRecord r : relay.reads.keySet()) files.addAll(r.source().names());
        if (!files.isEmpty()) evidence.put("sourceFiles", "source", Prose.of(Figure.FILES, List.copyOf(files)));
        String title = "A " + kindName(relay.source) + " → " + kindName(relay.target) + " relay copies "
                + Units.bytes(relay.bytes) + " through user memory (" + Units.ratio(now) + " CPU copies/byte): "
                + fix.headline;
        List<CopyPath> paths = CopyPaths.relay(recording, relay.flows, read, heaviestWrite, relay.source, relay.target,
                syscallsNow, syscallsAfter);
        if (fix.kind == FindingKind.LIMITATION) {
            // What the JDK cannot avoid on this path: its copies rank the limitation among the opportunities.
            return new Finding(ID, fix.kind, title, read.site(), relay.bytes, evidence.build(), Saving.NONE, fix.advice,
                    fix.code, Confidence.HIGH, Saving.of(copiedNow, 0, cost)).withPaths(paths);
        }
        return new Finding(ID, fix.kind, title, read.site(), relay.bytes, evidence.build(), saving, fix.advice, fix.code,
                Confidence.HIGH).withPaths(paths);
    }

    /** The copies on the path now, in the order the bytes take them. */
    private static List<String> pathNow(CopyRecord read, CopyRecord write, boolean viaCopy) {
        List<String> steps = new ArrayList<>();
        steps.add("kernel → user");
        if (read.jvmCopiedBytes() > 0) steps.add(jvmCopyName(read));
        if (viaCopy) steps.add("framework heap → direct");
        if (write.jvmCopiedBytes() > 0) steps.add(jvmCopyName(write));
        steps.add("user → kernel");
        return steps;
    }

    private static String jvmCopyName(CopyRecord r) {
        var copy = CopyModel.jvmCopy(r.operation(), r.buffer());
        return copy == null ? "JVM copy" : copy.title();
    }

    /** The fix for a relay, fitted to the framework on its stacks. */
    private record Fix(FindingKind kind, boolean readsGo, boolean kernelTransfer, double copiesAfter, Prose after, String headline,
                       String advice, String code, String threadsStay) {
        /** Fixes that put the whole transfer on one thread (one kernel call): no thread hands bytes to another. */
        static final String ONE_THREAD = null;

        /** The fix, or null when the JDK offers nothing better and the path is no limitation worth a finding. */
        static Fix of(Relay relay, CopyRecord read, CopyRecord write, int jdk) {
            boolean netty = onStack(read, "io.netty.") || onStack(write, "io.netty.");
            boolean jetty = onStack(read, "org.eclipse.jetty.") || onStack(write, "org.eclipse.jetty.");
            if (relay.source == EndpointKind.FILE && relay.target == EndpointKind.SOCKET) {
                Prose after = Facts.afterTransferTo(CopyModel.directMechanism(jdk, Operation.FILE_TRANSFER_TO, EndpointKind.SOCKET),
                        write.target());
                int sendfile = SendfileCopies.perByte(write.target()); // 0 when its interfaces offload
                if (netty) {
                    String chunked = onStack(read, "ChunkedNioFile") ? "ChunkedNioFile"
                            : onStack(read, "ChunkedFile") ? "ChunkedFile" : "a chunked input";
                    return new Fix(FindingKind.OPPORTUNITY, true, true, sendfile, after,
                            "serve the file with Netty's DefaultFileRegion instead of " + chunked,
                            "Netty reads the file into buffers (" + chunked + ", via ChunkedWriteHandler) and the event loop"
                                    + " writes them later: every byte crosses user memory. A DefaultFileRegion makes Netty"
                                    + " call FileChannel.transferTo (sendfile) on the NIO transport, and its own JNI sendfile on"
                                    + " epoll: the bytes never leave the kernel. Not possible with an SslHandler in the"
                                    + " pipeline (TLS must encrypt in user space; keep the chunked input there).",
                            """
                            // as Netty's HttpStaticFileServerHandler does:
                            if (ctx.pipeline().get(SslHandler.class) == null) {
                                ctx.write(new DefaultFileRegion(raf.getChannel(), 0, length), ctx.newProgressivePromise());
                                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                            } else {
                                ctx.writeAndFlush(new HttpChunkedInput(new ChunkedNioFile(raf.getChannel())));
                            }""", "Netty's event loop still writes the file region, so hand-offs to it stay");
                }
                if (jetty) {
                    // ResourceHandler.setUseFileMapping / setMinMappedFileSize (Jetty 12.0 and 12.1): mmap + write.
                    int mapped = CopyPattern.MMAP_WRITE.cpuCopies();
                    return new Fix(FindingKind.OPPORTUNITY, true, false, mapped,
                            Prose.of(Figure.CPU_COPIES_PER_BYTE, (double) mapped).text(" with file mapping (mmap + write: no read"
                                    + " into user memory; Jetty 12 has no sendfile path, so not 0 with an SG-DMA NIC)"),
                            "Jetty 12 has no sendfile: let it write a file mapping instead of reading the file",
                            "Jetty streams the file through pooled buffers into the socket on every request: a read into"
                                    + " user memory and a write out of it. Jetty 12 writes ByteBuffers (EndPoint.write) and"
                                    + " has no sendfile path. What it offers: file mapping (ResourceHandler.setUseFileMapping,"
                                    + " files from setMinMappedFileSize on are mapped once and written from the mapping: the"
                                    + " read and its copy go), and its content cache, which reads a hot file once and serves"
                                    + " it from memory. For large static files at volume, sendfile needs a server that has it"
                                    + " (Netty's DefaultFileRegion, a reverse proxy).",
                            """
                            ResourceHandler resources = new ResourceHandler();
                            resources.setUseFileMapping(true);
                            resources.setMinMappedFileSize(64 * 1024); // map files from 64 KiB on""",
                            "Jetty's threads still write the mapping, so its hand-offs stay");
                }
                return new Fix(FindingKind.OPPORTUNITY, true, true, sendfile, after, "use FileChannel.transferTo (sendfile)",
                        "A read fills memory from the file and a write (elsewhere, maybe on another thread) sends the same"
                                + " memory to a socket: every byte crosses into user memory and back. transferTo hands the"
                                + " file range to the kernel (sendfile): one in-kernel copy, no user memory.",
                        """
                        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
                            long position = 0, size = file.size();
                            while (position < size) {
                                position += file.transferTo(position, size - position, socketChannel); // sendfile
                            }
                        }""", Fix.ONE_THREAD);
            }
            if (relay.source == EndpointKind.FILE && relay.target == EndpointKind.FILE) {
                return new Fix(FindingKind.OPPORTUNITY, true, true, 1, Facts.afterCopyFileRange(),
                        "use Files.copy or FileChannel.transferTo/transferFrom (copy_file_range)",
                        "Bytes read from one file are written to another through user memory. The kernel can copy file"
                                + " to file itself: Files.copy(Path, Path), or transferTo/transferFrom between FileChannels"
                                + " (copy_file_range on JDK 21+, sendfile on 17).",
                        """
                        try (FileChannel in = FileChannel.open(source); FileChannel out = FileChannel.open(target, WRITE, CREATE)) {
                            long position = 0, size = in.size();
                            while (position < size) position += in.transferTo(position, size - position, out);
                        }""", Fix.ONE_THREAD);
            }
            double direct = CopyModel.javaLoopCopiesPerByte(io.copytrace.model.BufferKind.DIRECT);
            double now = relay.copiesNow / relay.bytes;
            if (relay.source == EndpointKind.SOCKET && relay.target == EndpointKind.FILE) {
                // With direct buffers this is the best the JDK can do (no socket → file splice): no finding.
                if (now <= direct + 0.01) return null;
                return new Fix(FindingKind.OPPORTUNITY, false, false, direct,
                        Prose.of(Figure.CPU_COPIES_PER_BYTE, direct).text(" with direct buffers: the JDK has no socket → file"
                                + " splice (transferFrom from a socket is a user-space loop)"),
                        "receive and write with direct buffers",
                        "Bytes received from a socket are written to a file through heap memory: the JVM copies them"
                                + " through a temporary direct buffer on each side, on top of the kernel's two copies. The"
                                + " JDK cannot splice a socket into a file (FileChannel.transferFrom(socket) runs an 8 KiB"
                                + " heap-buffer loop), so the relay stays in user memory; direct buffers remove the JVM's"
                                + " copies.",
                        """
                        ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024); // pooled and reused: no heap <-> native copies
                        socketChannel.read(buffer); buffer.flip(); fileChannel.write(buffer);""",
                        "the fix changes the buffers, not the threads, so the hand-offs stay");
            }
            return new Fix(FindingKind.LIMITATION, false, false, now, Prose.of(Figure.CPU_COPIES_PER_BYTE,
                            CopyPattern.SPLICE.cpuCopies()).text(" with splice(2) through a pipe, which the JDK does not"
                            + " offer (Netty's epoll transport has spliceTo)"),
                    "a proxy: the JDK has no splice",
                    "Bytes received from one socket are sent to another through user memory (a proxy). Only splice(2)"
                            + " through a pipe moves them socket to socket in the kernel; the JDK has no API for it."
                            + " Netty's epoll transport offers it (AbstractEpollStreamChannel.spliceTo); otherwise use direct"
                            + " buffers so the JVM adds no copies of its own.", "", "no fix inside the JDK removes them");
        }
    }

    /** "write site": the evidence label of a record, with its form and buffer when the site is taken already. */
    static Prose label(Evidence.Builder evidence, String what, CopyRecord r) {
        Prose label = Facts.atSite(what, r);
        if (!evidence.hasLabel(label.render())) return label;
        return label.text(" (").fig(Figure.FORM, r.form().wireName()).text(", ").fig(Figure.BUFFER, r.buffer().wireName())
                .text(")");
    }

    static boolean onStack(CopyRecord r, String part) {
        for (String frame : r.site().stack()) if (frame.contains(part)) return true;
        return false;
    }

    /** Frames of these packages are the framework's or the JDK's; the first other frame is the application's. */
    private static final String[] FRAMEWORKS = {"java.", "javax.", "jdk.", "sun.", "com.sun.", "io.netty.",
        "org.eclipse.jetty.", "org.apache.kafka.", "kafka.", "scala.", "io.copytrace.boot."};

    /** The nearest application frame of a record's stack, or a line saying there is none (the frame null). */
    static Prose applicationFrame(CopyRecord r) {
        for (String frame : r.site().stack()) {
            boolean framework = false;
            for (String p : FRAMEWORKS) framework |= frame.startsWith(p);
            if (!framework) return Prose.of(Figure.APPLICATION_FRAME, frame);
        }
        return new Prose().fact(Figure.APPLICATION_FRAME, null).text("none on the stack (").fig(Figure.SITE, r.site().frame())
                .text(" runs it: the framework's own thread or event loop)");
    }

    private static boolean isRead(CopyRecord r) {
        return switch (r.operation()) {
            case FILE_READ, STREAM_READ, SOCKET_READ, SOCKET_STREAM_READ -> true;
            default -> false;
        };
    }

    private static boolean isEndpoint(EndpointKind k) {
        return k == EndpointKind.FILE || k == EndpointKind.SOCKET;
    }

    private static String kindName(EndpointKind k) {
        return k == EndpointKind.FILE ? "file" : "socket";
    }
}
