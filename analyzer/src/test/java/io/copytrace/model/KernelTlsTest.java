// SPDX-License-Identifier: Apache-2.0
package io.copytrace.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which JDK cipher suites Linux kTLS implements (include/uapi/linux/tls.h: AES-GCM-128/256, AES-CCM-128, ChaCha20-Poly1305). */
class KernelTlsTest {
    @Test
    void suitesKtlsImplements() {
        for (String s : new String[] {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_AES_128_CCM_SHA256"}) {
            assertTrue(KernelTls.supports(s), s);
        }
        for (String s : new String[] {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA",
                "TLS_AES_128_CCM_8_SHA256", "SSL_NULL_WITH_NULL_NULL"}) {
            assertFalse(KernelTls.supports(s), s);
        }
        assertEquals("TLS 1.3", KernelTls.protocol("TLS_AES_256_GCM_SHA384"));
        assertEquals("TLS 1.2 or older", KernelTls.protocol("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
    }

    @Test
    void kernelTlsSavesTheReadAndTheUserSpaceEncryptionOfFileDataOnly() {
        assertEquals(1, KernelTls.pathCopiesPerByte(Operation.TLS_WRAP, true));
        assertEquals(3, CopyModel.tlsPathCopiesPerByte(Operation.TLS_WRAP, true));
        assertEquals(CopyModel.tlsPathCopiesPerByte(Operation.TLS_WRAP, false), KernelTls.pathCopiesPerByte(Operation.TLS_WRAP, false));
        assertEquals(CopyModel.tlsPathCopiesPerByte(Operation.TLS_UNWRAP, false), KernelTls.pathCopiesPerByte(Operation.TLS_UNWRAP, false));
    }
}
