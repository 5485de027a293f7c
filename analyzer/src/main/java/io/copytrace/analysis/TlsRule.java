// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.model.CopyModel;
import io.copytrace.model.CopyPattern;
import io.copytrace.model.EndpointKind;
import io.copytrace.model.Operation;
import io.copytrace.recording.CopyRecord;
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
        Map<String, String> evidence = new LinkedHashMap<>();
        for (CopyRecord r : byBytes) put(evidence, r.operation().wireName() + " " + r.site().frame() + " ("
                + r.buffer().wireName() + " buffer)", Analysis.describe(r));
        evidence.put("bytes affected", encryptedDecrypted(wrapped, unwrapped));
        String threads = byThreadGroup(byBytes);
        if (threads != null) evidence.put("by thread group (listener)", threads);
        for (CopyRecord s : socketIo(app, group)) {
            put(evidence, s.operation().wireName() + " " + s.site().frame() + " (" + s.buffer().wireName() + " buffer)",
                    Analysis.describe(s) + ", " + (s.operation().isInbound() ? "from " : "to ")
                            + (s.operation().isInbound() ? s.source() : s.target()).describe());
        }

        FileData file = fileData(app, group);
        long fileSent = Math.min(file.bytes(), wrapped);
        if (file.bytes() > 0) {
            String where = file.sameMethod() > 0 ? Units.bytes(file.sameMethod()) + " read from files in the same method" : "";
            if (file.inferred() > 0) {
                where += (where.isEmpty() ? "" : ", ") + Units.bytes(file.inferred()) + " read from files by code that goes "
                        + "on to encrypt (from the stacks)";
            }
            evidence.put("file data encrypted", where + ": with plaintext this could be sendfile");
        }
        List<Part> parts = List.of(
                new Part("file data sent", fileSent, Operation.TLS_WRAP, true, "read into user memory, encrypt, write",
                        "sendfile; " + CopyPattern.SENDFILE_SG.cpuCopies() + " with a scatter/gather-DMA NIC"),
                new Part(fileSent > 0 ? "other data sent" : "sent", wrapped - fileSent, Operation.TLS_WRAP, false,
                        "encrypt, write", "write"),
                new Part("received", unwrapped, Operation.TLS_UNWRAP, false, "read, decrypt", "read"));
        List<String> perByte = new ArrayList<>();
        List<String> terms = new ArrayList<>();
        long copies = 0;
        Part costliest = null; // the part pictured: the most copies added
        for (Part p : parts) {
            if (p.bytes() <= 0) continue;
            perByte.add(p.label() + " " + CopyModel.tlsPathCopiesPerByte(p.op(), p.file()) + " through the TLS path ("
                    + p.tlsSteps() + ") vs " + CopyModel.plaintextPathCopiesPerByte(p.op(), p.file()) + " without TLS ("
                    + p.plainSteps() + ")");
            int extra = CopyModel.tlsExtraCopiesPerByte(p.op(), p.file());
            terms.add(extra + " × " + Units.bytes(p.bytes()) + " " + p.label());
            copies += extra * p.bytes();
            if (costliest == null || extra * p.bytes() > CopyModel.tlsExtraCopiesPerByte(costliest.op(), costliest.file())
                    * costliest.bytes()) costliest = p;
        }
        evidence.put("CPU copies per byte", String.join("; ", perByte)
                + "; each heap buffer on the way adds 1 (its own heap-buffer finding)");
        evidence.put("copies TLS adds", String.join(" + ", terms) + " = " + Units.bytes(copies)
                + " (the cipher's own work counted as one copy: a lower bound)");
        Saving cost = Saving.of(copies, 0, hostCost);

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
        return new Finding(ID, FindingKind.LIMITATION, title, heaviest.site(), wrapped + unwrapped, evidence,
                Saving.NONE, advice, "", Confidence.HIGH, cost)
                .withPaths(CopyPaths.tls(recording, costliest.op(), costliest.file(), costliest.bytes()));
    }

    /** Adds an evidence line, numbering keys that repeat. */
    private static void put(Map<String, String> evidence, String key, String value) {
        for (int n = 2; evidence.containsKey(key); n++) key = key.replaceFirst("( #\\d+)?$", " #" + n);
        evidence.put(key, value);
    }

    private static String encryptedDecrypted(long wrapped, long unwrapped) {
        return Units.bytes(wrapped) + " encrypted, " + Units.bytes(unwrapped) + " decrypted";
    }

    /**
     * Bytes per thread name group of the records (Kafka names its network threads after their listener), or
     * null when no record has thread names. A record seen on several groups counts for them together.
     */
    private static String byThreadGroup(List<CopyRecord> group) {
        if (group.stream().allMatch(r -> r.threads().isEmpty())) return null;
        Map<String, long[]> bytes = new LinkedHashMap<>();
        for (CopyRecord r : group) {
            String key = r.threads().isEmpty() ? "threads not recorded" : String.join(" + ", r.threads());
            long[] b = bytes.computeIfAbsent(key, k -> new long[2]);
            b[r.operation() == Operation.TLS_WRAP ? 0 : 1] += r.bytesMoved();
        }
        List<String> parts = new ArrayList<>();
        bytes.forEach((threads, b) -> parts.add(threads + ": " + encryptedDecrypted(b[0], b[1])));
        return String.join("; ", parts);
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
    private record Part(String label, long bytes, Operation op, boolean file, String tlsSteps, String plainSteps) {}

    private static long bytes(List<CopyRecord> group, Operation op) {
        return group.stream().filter(r -> r.operation() == op).mapToLong(CopyRecord::bytesMoved).sum();
    }
}
