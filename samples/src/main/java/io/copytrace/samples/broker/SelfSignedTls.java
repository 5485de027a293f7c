// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.broker;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS 1.3 context for {@code localhost} with a self-signed EC key made at run time by the running JDK's
 * {@code keytool}: no key material is shipped, and both broker and clients trust exactly that key.
 */
final class SelfSignedTls {
    private static final char[] PASSWORD = "copytrace-sample".toCharArray();

    private SelfSignedTls() {}

    /** Generates {@code dir/broker.p12} and returns its bytes: the key store both sides load ({@link #context}). */
    static byte[] generate(Path dir) throws IOException, InterruptedException {
        Path keystore = dir.resolve("broker.p12");
        Files.deleteIfExists(keystore);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "broker", "-keyalg", "EC",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "1",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", new String(PASSWORD),
                "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IOException(keytool + " failed: " + output);
        return Files.readAllBytes(keystore);
    }

    /** A context that serves and trusts the key in {@code keystore} (PKCS12 bytes from {@link #generate}). */
    static SSLContext context(byte[] keystore) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(new ByteArrayInputStream(keystore), PASSWORD);
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }
}
