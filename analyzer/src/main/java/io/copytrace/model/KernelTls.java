// SPDX-License-Identifier: Apache-2.0
package io.copytrace.model;

/**
 * What Linux kernel TLS (the {@code tls} module, kTLS) could take over from the JVM's SSLEngine: which cipher
 * suites it implements and what it would cost in CPU copies (primer §8).
 */
public final class KernelTls {
    private KernelTls() {}

    /**
     * True for a suite kTLS implements: AES-GCM-128/256, AES-CCM-128 and ChaCha20-Poly1305, in TLS 1.2
     * ({@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}) and TLS 1.3 ({@code TLS_AES_128_GCM_SHA256}) naming.
     */
    public static boolean supports(String suite) {
        if (suite == null) return false;
        return suite.contains("AES_128_GCM") || suite.contains("AES_256_GCM") || suite.contains("CHACHA20_POLY1305")
                || (suite.contains("AES_128_CCM") && !suite.contains("CCM_8"));
    }

    /** The protocol a suite name implies: TLS 1.3 names carry no key exchange ({@code TLS_AES_…}). */
    public static String protocol(String suite) {
        return suite.startsWith("TLS_") && !suite.contains("_WITH_") ? "TLS 1.3" : "TLS 1.2 or older";
    }

    /**
     * CPU copies per byte with kTLS, counting the cipher pass as one copy as {@link CopyModel#tlsPathCopiesPerByte}
     * does: file data goes out by sendfile and is encrypted once in the kernel (1); other data is still copied
     * into the kernel and encrypted there (2, as now); received data is decrypted in the kernel's read (2).
     */
    public static int pathCopiesPerByte(Operation tlsOp, boolean fileData) {
        int cipher = CopyPattern.TLS_PASS.cpuCopies();
        return tlsOp == Operation.TLS_WRAP && fileData ? cipher : CopyModel.tlsPathCopiesPerByte(tlsOp, fileData);
    }
}
