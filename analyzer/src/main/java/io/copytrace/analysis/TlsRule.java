// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

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
 * Finding 7: TLS in the path. SSLEngine encrypts in user space, so the bytes must pass through user
 * memory: no sendfile in the JDK. Stated as facts and options, with the bytes affected.
 */
final class TlsRule implements Rule {
    static final String ID = "tls";

    @Override
    public List<Finding> find(Recording recording, HostCost cost, Set<CopyRecord> claimed) {
        Map<String, List<CopyRecord>> byMethod = new LinkedHashMap<>();
        for (CopyRecord r : recording.applicationRecords()) {
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
            findings.add(finding(recording, group, wrapped, unwrapped));
        }
        return findings;
    }

    private static Finding finding(Recording recording, List<CopyRecord> group, long wrapped, long unwrapped) {
        CopyRecord heaviest = group.stream().max((a, b) -> Long.compare(a.bytesMoved(), b.bytesMoved())).orElseThrow();
        String method = heaviest.site().method();
        long fileBytes = recording.applicationRecords().stream()
                .filter(r -> r.site().method().equals(method) && r.source().kind() == EndpointKind.FILE)
                .mapToLong(CopyRecord::bytesMoved).sum();
        Map<String, String> evidence = new LinkedHashMap<>();
        // Heaviest first; one entry per record, even when several share a frame (different buffers or callers).
        List<CopyRecord> byBytes = new ArrayList<>(group);
        byBytes.sort((a, b) -> Long.compare(b.bytesMoved(), a.bytesMoved()));
        for (CopyRecord r : byBytes) {
            String key = r.operation().wireName() + " " + r.site().frame() + " (" + r.buffer().wireName() + " buffer)";
            for (int n = 2; evidence.containsKey(key); n++) key = key.replaceFirst("( #\\d+)?$", " #" + n);
            evidence.put(key, Analysis.describe(r));
        }
        evidence.put("bytes affected", Units.bytes(wrapped) + " encrypted, " + Units.bytes(unwrapped) + " decrypted");
        if (fileBytes > 0) {
            evidence.put("file data encrypted", Units.bytes(fileBytes) + " read from files in the same method: with "
                    + "plaintext this could be sendfile");
        }
        String title = "TLS in the path: " + Units.bytes(wrapped + unwrapped) + " pass through SSLEngine in user space,"
                + " so sendfile is impossible in the JDK";
        String advice = "Facts: SSLEngine.wrap/unwrap encrypt and decrypt in user space, so every byte is read into the "
                + "JVM, transformed, and written from user memory (Kafka's SslTransportLayer, Netty's SslHandler work "
                + "the same way; KAFKA-2517). The JDK has no kernel TLS (kTLS). Options outside the JDK: terminate TLS "
                + "in front of the JVM (a proxy or sidecar on the same host) and serve plaintext there with sendfile; or "
                + "use kernel TLS through a native TLS stack that supports it (Linux tls module with OpenSSL 3 built "
                + "with ktls). Inside the JDK: wrap from and write direct buffers so the socket write adds no heap copy.";
        return new Finding(ID, FindingKind.LIMITATION, title, heaviest.site(), wrapped + unwrapped, evidence,
                Saving.NONE, advice, "", Confidence.HIGH);
    }

    private static long bytes(List<CopyRecord> group, Operation op) {
        return group.stream().filter(r -> r.operation() == op).mapToLong(CopyRecord::bytesMoved).sum();
    }
}
