// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.model.CopyModel;
import io.copytrace.model.CopyPattern;
import io.copytrace.model.EndpointKind;
import io.copytrace.model.KernelTls;
import io.copytrace.model.Operation;
import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.HostTls;
import io.copytrace.recording.Recording;
import io.copytrace.recording.Site;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finding 7: TLS in the path. SSLEngine encrypts in user space, so the bytes must pass through user
 * memory: no sendfile in the JDK. Stated as facts and options, with the bytes affected (per thread group and
 * socket peer) and what TLS costs: the CPU copies it adds over the plaintext path, per the copy model,
 * priced like a saving so that the limitation ranks among the opportunities.
 */
final class TlsRule implements Rule {
    static final String ID = "tls";
    /** Socket records of the TLS code listed as its endpoints, heaviest first. */
    static final int MAX_SOCKET_RECORDS = 4;

    @Override
    public List<Finding> find(Recording recording, HostCost cost, Set<CopyRecord> claimed) {
        List<CopyRecord> app = recording.applicationRecords();
        Map<String, List<CopyRecord>> byMethod = new LinkedHashMap<>();
        for (CopyRecord r : app) {
            if (r.operation() == Operation.TLS_WRAP || r.operation() == Operation.TLS_UNWRAP) {
                byMethod.computeIfAbsent(r.site().method(), k -> new ArrayList<>()).add(r);
            }
        }
        List<Finding> findings = new ArrayList<>();
        for (List<CopyRecord> group : byMethod.values()) {
            long wrapped = bytes(group, Operation.TLS_WRAP);
            long unwrapped = bytes(group, Operation.TLS_UNWRAP);
            if (wrapped + unwrapped < MIN_BYTES) continue;
            claimed.addAll(group);
            findings.add(finding(recording, app, cost, group, wrapped, unwrapped));
        }
        return findings;
    }

    private static Finding finding(Recording recording, List<CopyRecord> app, HostCost hostCost, List<CopyRecord> group,
                                   long wrapped, long unwrapped) {
        // Heaviest first; one entry per record, even when several share a frame (different buffers or callers).
        List<CopyRecord> byBytes = new ArrayList<>(group);
        byBytes.sort(Comparator.comparingLong(CopyRecord::bytesMoved).reversed());
        CopyRecord heaviest = byBytes.get(0);
        Evidence.Builder evidence = new Evidence.Builder();
        for (CopyRecord r : byBytes) put(evidence, "tlsRecord", recordLabel(r), Facts.record(r));
        evidence.put("bytesAffected", "bytes affected", encryptedDecrypted(wrapped, unwrapped));
        List<Prose> threads = byThreadGroup(byBytes);
        if (threads != null) {
            evidence.put("byThreadGroup", "by thread group (listener)", new Prose().items(Figure.THREAD_GROUPS, "; ", threads));
        }
        for (CopyRecord s : socketIo(app, group)) {
            boolean inbound = s.operation().isInbound();
            put(evidence, "socketRecord", recordLabel(s), Facts.record(s).text(inbound ? ", from " : ", to ")
                    .then(Facts.endpoint(inbound ? s.source() : s.target())));
        }

        FileData file = fileData(app, group);
        long fileSent = Math.min(file.bytes(), wrapped);
        if (file.bytes() > 0) {
            Prose where = new Prose();
            if (file.sameMethod() > 0) {
                where.fig(Figure.FILE_BYTES_SAME_METHOD, file.sameMethod()).text(" read from files in the same method");
            }
            if (file.inferred() > 0) {
                where.text(file.sameMethod() > 0 ? ", " : "").fig(Figure.FILE_BYTES_INFERRED, file.inferred())
                        .text(" read from files by code that goes on to encrypt (from the stacks)");
            }
            evidence.put("fileDataEncrypted", "file data encrypted", where.text(": with plaintext this could be sendfile"));
        }
        List<Part> parts = List.of(
                new Part("file data sent", fileSent, Operation.TLS_WRAP, true, "read into user memory, encrypt, write",
                        Prose.of("sendfile; ").fig(Figure.CPU_COPIES_PER_BYTE_WITH_SG_DMA, CopyPattern.SENDFILE_SG.cpuCopies())
                                .text(" with a scatter/gather-DMA NIC")),
                new Part(fileSent > 0 ? "other data sent" : "sent", wrapped - fileSent, Operation.TLS_WRAP, false,
                        "encrypt, write", Prose.of("write")),
                new Part("received", unwrapped, Operation.TLS_UNWRAP, false, "read, decrypt", Prose.of("read")));
        List<Prose> perByte = new ArrayList<>();
        List<Prose> terms = new ArrayList<>();
        long copies = 0;
        Part costliest = null; // the part pictured: the most copies added
        for (Part p : parts) {
            if (p.bytes() <= 0) continue;
            perByte.add(Prose.of(Figure.DATA, p.label()).text(" ")
                    .fig(Figure.TLS_CPU_COPIES_PER_BYTE, CopyModel.tlsPathCopiesPerByte(p.op(), p.file()))
                    .text(" through the TLS path (" + p.tlsSteps() + ") vs ")
                    .fig(Figure.PLAINTEXT_CPU_COPIES_PER_BYTE, CopyModel.plaintextPathCopiesPerByte(p.op(), p.file()))
                    .text(" without TLS (").then(p.plainSteps()).text(")"));
            int extra = CopyModel.tlsExtraCopiesPerByte(p.op(), p.file());
            terms.add(Prose.of(Figure.ADDED_CPU_COPIES_PER_BYTE, extra).text(" × ").fig(Figure.BYTES, p.bytes()).text(" ")
                    .fig(Figure.DATA, p.label()));
            copies += extra * p.bytes();
            if (costliest == null || extra * p.bytes() > CopyModel.tlsExtraCopiesPerByte(costliest.op(), costliest.file())
                    * costliest.bytes()) costliest = p;
        }
        evidence.put("cpuCopiesPerByte", "CPU copies per byte", new Prose().items(Figure.DATA_PARTS, "; ", perByte)
                        .text("; each heap buffer on the way adds 1 (its own heap-buffer finding)"))
                .put("copiesTlsAdds", "copies TLS adds", new Prose().items(Figure.DATA_PARTS, " + ", terms).text(" = ")
                        .fig(Figure.ADDED_CPU_COPIED_BYTES, copies)
                        .text(" (the cipher's own work counted as one copy: a lower bound)"));
        Saving cost = Saving.of(copies, 0, hostCost);
        evidence.put("kernelTls", "kernel TLS here", kernelTls(recording, group, fileSent, wrapped - fileSent, unwrapped));

        String title = "TLS in the path: " + Units.bytes(wrapped + unwrapped) + " pass through SSLEngine in user space, "
                + Units.bytes(copies) + " of CPU copies more than without TLS; sendfile is impossible in the JDK";
        String advice = "Facts: SSLEngine.wrap/unwrap encrypt and decrypt in user space, so every byte is read into the "
                + "JVM, transformed, and written from user memory (Kafka's SslTransportLayer, Netty's SslHandler work "
                + "the same way; KAFKA-2517): file data sent over TLS costs "
                + CopyModel.tlsPathCopiesPerByte(Operation.TLS_WRAP, true) + " CPU copies per byte, with sendfile "
                + CopyModel.plaintextPathCopiesPerByte(Operation.TLS_WRAP, true) + ". The cost is the copies TLS adds, "
                + "priced at memcpy speed; encryption costs more than a copy. Kernel TLS (kTLS, the Linux tls module) "
                + "would let sendfile run on the TLS socket: 0 user-space copies for sendfile-able data, the kernel "
                + "(or a NIC with TLS offload) encrypting as it sends. The JDK has no kTLS. Options outside the JDK: "
                + "terminate TLS in front of the JVM (a proxy or sidecar on the same host) and serve plaintext there "
                + "with sendfile; or use kernel TLS through a native TLS stack that supports it (Linux tls module with "
                + "OpenSSL 3 built with ktls). Inside the JDK: wrap from and write direct buffers so the socket write "
                + "adds no heap copy.";
        return new Finding(ID, FindingKind.LIMITATION, title, heaviest.site(), wrapped + unwrapped, evidence.build(),
                Saving.NONE, advice, "", Confidence.HIGH, cost)
                .withPaths(CopyPaths.tls(recording, costliest.op(), costliest.file(), costliest.bytes()));
    }

    /**
     * What kernel TLS could do for this traffic, as facts of the recorded host: the negotiated suites (the TLS
     * endpoint's names), whether kTLS implements them, whether the tls module is loaded and tls_stat present,
     * and the CPU copies a kTLS path would save (file data by sendfile, encrypted once in the kernel).
     */
    private static Prose kernelTls(Recording recording, List<CopyRecord> group, long fileSent, long otherSent,
                                   long received) {
        java.util.TreeSet<String> suites = new java.util.TreeSet<>();
        for (CopyRecord r : group) {
            suites.addAll(r.operation() == Operation.TLS_WRAP ? r.target().names() : r.source().names());
        }
        Prose p = new Prose();
        if (suites.isEmpty()) {
            p.text("negotiated cipher suite not recorded");
        } else {
            boolean all = suites.stream().allMatch(KernelTls::supports);
            p.fig(Figure.CIPHER_SUITES, List.copyOf(suites)).text(" (" + KernelTls.protocol(suites.first()) + "): ")
                    .fact(Figure.KTLS_SUITES, all)
                    .text(all ? "suites Linux kTLS implements" : "not all suites are ones Linux kTLS implements"
                            + " (AES-GCM-128/256, AES-CCM-128, ChaCha20-Poly1305)");
        }
        p.text("; this host: ");
        HostTls host = recording.hostTls().orElse(null);
        if (host == null || host.moduleLoaded() == null) {
            p.text("tls module not recorded");
        } else {
            p.fact(Figure.KTLS_MODULE_LOADED, host.moduleLoaded())
                    .text(host.moduleLoaded() ? "tls module loaded" : "tls module not loaded (no /sys/module/tls)");
            if (host.tlsStat() != null) {
                p.fact(Figure.TLS_STAT_PRESENT, host.tlsStat())
                        .text(host.tlsStat() ? ", /proc/net/tls_stat present" : ", no /proc/net/tls_stat");
            }
        }
        long saved = (long) (CopyModel.tlsPathCopiesPerByte(Operation.TLS_WRAP, true)
                - KernelTls.pathCopiesPerByte(Operation.TLS_WRAP, true)) * fileSent
                + (long) (CopyModel.tlsPathCopiesPerByte(Operation.TLS_WRAP, false)
                - KernelTls.pathCopiesPerByte(Operation.TLS_WRAP, false)) * otherSent
                + (long) (CopyModel.tlsPathCopiesPerByte(Operation.TLS_UNWRAP, false)
                - KernelTls.pathCopiesPerByte(Operation.TLS_UNWRAP, false)) * received;
        p.text("; the JDK's SSLEngine has no kTLS: with it (a native TLS stack handing keys to the kernel) file data"
                + " would cost " + KernelTls.pathCopiesPerByte(Operation.TLS_WRAP, true) + " CPU copy per byte instead of "
                + CopyModel.tlsPathCopiesPerByte(Operation.TLS_WRAP, true) + " (sendfile, encrypted once in the kernel), other"
                + " data as now: ").fig(Figure.KTLS_SAVED_CPU_COPIED_BYTES, saved).text(" fewer CPU copies");
        return p;
    }

    /** "tls.wrap Prog.tls(Prog.java:168) (heap buffer)". */
    private static Prose recordLabel(CopyRecord r) {
        return Prose.of(Figure.OPERATION, r.operation().wireName()).text(" ").fig(Figure.SITE, r.site().frame())
                .text(" (").fig(Figure.BUFFER, r.buffer().wireName()).text(" buffer)");
    }

    /** Adds an evidence line, numbering labels that repeat: "… (heap buffer) #2". */
    private static void put(Evidence.Builder evidence, String name, Prose label, Prose value) {
        String plain = label.render();
        int n = 1;
        while (evidence.hasLabel(n == 1 ? plain : plain + " #" + n)) n++;
        evidence.put(name, n == 1 ? label : label.text(" #" + n), value);
    }

    private static Prose encryptedDecrypted(long wrapped, long unwrapped) {
        return Prose.of(Figure.ENCRYPTED_BYTES, wrapped).text(" encrypted, ").fig(Figure.DECRYPTED_BYTES, unwrapped)
                .text(" decrypted");
    }

    /**
     * Bytes per thread name group of the records (Kafka names its network threads after their listener), or
     * null when no record has thread names. A record seen on several groups counts for them together.
     */
    private static List<Prose> byThreadGroup(List<CopyRecord> group) {
        if (group.stream().allMatch(r -> r.threads().isEmpty())) return null;
        Map<String, long[]> bytes = new LinkedHashMap<>();
        for (CopyRecord r : group) {
            String key = r.threads().isEmpty() ? "threads not recorded" : String.join(" + ", r.threads());
            long[] b = bytes.computeIfAbsent(key, k -> new long[2]);
            b[r.operation() == Operation.TLS_WRAP ? 0 : 1] += r.bytesMoved();
        }
        List<Prose> parts = new ArrayList<>();
        bytes.forEach((threads, b) -> parts.add(Prose.of(Figure.THREADS, threads).text(": ").then(encryptedDecrypted(b[0], b[1]))));
        return parts;
    }

    /**
     * The socket I/O of the TLS code: socket writes (for wraps) and reads (for unwraps) in the same method as a
     * TLS record or in a method that calls it or that it calls (Kafka's SslTransportLayer.write wraps and calls
     * flush), heaviest first; their peers are the endpoints.
     */
    private static List<CopyRecord> socketIo(List<CopyRecord> app, List<CopyRecord> group) {
        boolean wraps = group.stream().anyMatch(r -> r.operation() == Operation.TLS_WRAP);
        boolean unwraps = group.stream().anyMatch(r -> r.operation() == Operation.TLS_UNWRAP);
        List<CopyRecord> io = new ArrayList<>();
        for (CopyRecord r : app) {
            boolean wanted = switch (r.operation()) {
                case SOCKET_WRITE, SOCKET_STREAM_WRITE -> wraps;
                case SOCKET_READ, SOCKET_STREAM_READ -> unwraps;
                default -> false;
            };
            if (wanted && group.stream().anyMatch(t -> t.site().isNextTo(r.site()))) io.add(r);
        }
        io.sort(Comparator.comparingLong(CopyRecord::bytesMoved).reversed());
        return io.subList(0, Math.min(MAX_SOCKET_RECORDS, io.size()));
    }

    /**
     * File bytes that fed the encryption: read in a wrap's method, and read by code that goes on to encrypt
     * (inferred from the stacks).
     */
    private record FileData(long sameMethod, long inferred) {
        long bytes() {
            return sameMethod + inferred;
        }
    }

    /**
     * Reads from files by the code that encrypts: in a wrap's method, or within one invocation of a method that
     * also leads to a wrap: the read's method or its caller is on the wrap's stack, called from the very same
     * frame (line included) in both stacks. Kafka's SslTransportLayer.transferFrom reads a chunk, then its
     * write() wraps it; a read beside the TLS code in main(), or in a stack cut at its site frame, is not linked.
     */
    private static FileData fileData(List<CopyRecord> app, List<CopyRecord> group) {
        List<CopyRecord> wraps = group.stream().filter(r -> r.operation() == Operation.TLS_WRAP).toList();
        long sameMethod = 0, inferred = 0;
        for (CopyRecord r : app) {
            if (r.source().kind() != EndpointKind.FILE || !r.operation().isInbound()) continue;
            if (wraps.stream().anyMatch(w -> w.site().method().equals(r.site().method()))) {
                sameMethod += r.bytesMoved();
            } else if (wraps.stream().anyMatch(w -> sameInvocation(r.site().stack(), w.site().stack()))) {
                inferred += r.bytesMoved();
            }
        }
        return new FileData(sameMethod, inferred);
    }

    /** True when the read's method or its caller runs in the wrap's stack, called from the same frame in both. */
    private static boolean sameInvocation(List<String> read, List<String> wrap) {
        for (int i = 0; i <= 1 && i + 1 < read.size(); i++) {
            String method = Site.methodOf(read.get(i));
            for (int j = 0; j + 1 < wrap.size(); j++) {
                if (Site.methodOf(wrap.get(j)).equals(method) && wrap.get(j + 1).equals(read.get(i + 1))) return true;
            }
        }
        return false;
    }

    /** Bytes of one direction and kind of data, and the steps of its path with and without TLS. */
    private record Part(String label, long bytes, Operation op, boolean file, String tlsSteps, Prose plainSteps) {}

    private static long bytes(List<CopyRecord> group, Operation op) {
        return group.stream().filter(r -> r.operation() == op).mapToLong(CopyRecord::bytesMoved).sum();
    }
}
