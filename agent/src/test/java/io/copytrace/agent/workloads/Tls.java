// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.workloads;

import java.io.FileInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.TrustManagerFactory;

/** Two SSLEngines talking in memory: a handshake, then 1 MiB of application data from client to server. */
final class Tls {
    static final int DATA = 1 << 20;

    private Tls() {}

    static void run(Path dir) throws Exception {
        Path ks = dir.resolve("tls.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "demo", "-keyalg", "EC", "-dname", "CN=localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .inheritIO().start();
        if (p.waitFor() != 0) throw new IllegalStateException("keytool failed");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(ks.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        SSLEngine client = ctx.createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        SSLEngine server = ctx.createSSLEngine();
        server.setUseClientMode(false);

        int net = client.getSession().getPacketBufferSize();
        int app = client.getSession().getApplicationBufferSize();
        ByteBuffer c2s = ByteBuffer.allocate(net);
        ByteBuffer s2c = ByteBuffer.allocate(net);
        ByteBuffer empty = ByteBuffer.allocate(0);
        ByteBuffer clientIn = ByteBuffer.allocate(app);
        ByteBuffer serverIn = ByteBuffer.allocate(DATA + app);

        ByteBuffer data = ByteBuffer.allocate(DATA);
        client.beginHandshake();
        server.beginHandshake();
        boolean dataSent = false;
        long consumed = 0;
        for (int round = 0; round < 10_000 && serverIn.position() < DATA; round++) {
            ByteBuffer toSend = handshaking(client) ? empty : data;
            if (!handshaking(client) && !dataSent && !data.hasRemaining()) dataSent = true;
            SSLEngineResult r = wrap(client, toSend, c2s);
            consumed += r.bytesConsumed();
            runTasks(client);
            wrap(server, empty, s2c);
            runTasks(server);
            c2s.flip();
            while (c2s.hasRemaining()) {
                SSLEngineResult u = unwrap(server, c2s, serverIn);
                runTasks(server);
                if (u.getStatus() != SSLEngineResult.Status.OK || u.bytesConsumed() == 0) break;
            }
            c2s.compact();
            s2c.flip();
            while (s2c.hasRemaining()) {
                SSLEngineResult u = unwrap(client, s2c, clientIn);
                runTasks(client);
                clientIn.clear(); // the client receives no application data
                if (u.getStatus() != SSLEngineResult.Status.OK || u.bytesConsumed() == 0) break;
            }
            s2c.compact();
        }
        Workloads.truth("wrapped", consumed);
        Workloads.truth("received", serverIn.position());
        System.out.println("SUITE " + client.getSession().getCipherSuite());
    }

    private static boolean handshaking(SSLEngine e) {
        SSLEngineResult.HandshakeStatus s = e.getHandshakeStatus();
        return s != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING && s != SSLEngineResult.HandshakeStatus.FINISHED;
    }

    static SSLEngineResult wrap(SSLEngine e, ByteBuffer src, ByteBuffer dst) throws Exception {
        return e.wrap(src, dst);
    }

    static SSLEngineResult unwrap(SSLEngine e, ByteBuffer src, ByteBuffer dst) throws Exception {
        return e.unwrap(src, dst);
    }

    private static void runTasks(SSLEngine e) {
        for (Runnable t; (t = e.getDelegatedTask()) != null; ) t.run();
    }
}
