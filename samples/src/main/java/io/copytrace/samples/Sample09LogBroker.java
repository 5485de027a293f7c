// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples;

import io.copytrace.samples.broker.BrokerClients;
import io.copytrace.samples.broker.BrokerConfig;
import io.copytrace.samples.broker.Clients;
import io.copytrace.samples.broker.LogBroker;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/**
 * Lesson 9: a Kafka-like log broker, the copies of a real service.
 *
 * <p>Producers send batches of records over TCP; the broker ({@link LogBroker}) appends them to segment
 * files; consumers fetch the log back, over plaintext and over TLS. The broker copies data the way Kafka
 * does (zero-copy primer §5):
 * <ul>
 * <li><b>Produce</b>: the request is read into a heap buffer and appended from it: K + U on the way in,
 * U + K on the way out, 4 CPU copies per produced byte. copytrace finds both JVM copies as
 * <b>heap-buffer</b> findings (the socket read and the segment append). Fix: {@code --produce-buffers=direct}.</li>
 * <li><b>Plaintext fetch</b>: {@code FileChannel.transferTo} to the socket: sendfile, a <b>zero-copy</b>
 * "good" finding. The copy-heavy variant {@code --fetch=heap-loop} (what a naive server does) is a
 * <b>read-write-loop</b> finding.</li>
 * <li><b>TLS fetch</b>: bytes must be encrypted in user space, so sendfile is impossible: a <b>tls</b>
 * limitation (broker side, and the consumer's decryption), plus a <b>heap-buffer</b> finding for the heap
 * network buffer Kafka writes the encrypted bytes from. {@code --tls=off} leaves TLS out.</li>
 * </ul>
 * It moves a fixed amount of data ({@code --mib}, split between the producers), every consumer reads the
 * whole log, and it prints its own totals ({@code TRUTH produced=...}) to check the report against, after
 * checking that the clients saw exactly the bytes the broker took and served. The clients run in the
 * broker's process; with {@code -Dcopytrace.sink=host:port} (the benchmark) they run in that
 * {@code tools.SinkServer}'s process instead ({@link BrokerClients}), so this process CPU is the broker's.
 *
 * <h2>How to run</h2>
 * <pre>
 * make demo      # this sample under the agent, reports in copytrace-report/
 * java -javaagent:dist/copytrace.jar=out=out/s09 -cp samples/target/classes \
 *      io.copytrace.samples.Sample09LogBroker [--produce-buffers=heap|direct] \
 *      [--fetch=transferTo|heap-loop] [--tls=on|off] [--mib=64] [--producers=2]
 * java -jar dist/copytrace.jar report out/s09/recording-*.json --format html --out s09.html
 * </pre>
 */
public final class Sample09LogBroker {
    private Sample09LogBroker() {}

    public static void main(String[] args) throws Exception {
        run(args).print();
    }

    /** Runs the sample with {@code args} (see the class comment) and returns what it moved. */
    public static Totals run(String... args) throws Exception {
        Flags flags = Flags.parse(args);
        boolean directProduce = flags.choice("produce-buffers", "heap", "direct").equals("direct");
        boolean transferTo = flags.choice("fetch", "transferTo", "heap-loop").equals("transferTo");
        boolean tlsOn = flags.choice("tls", "on", "off").equals("on");
        int mib = flags.positive("mib", 64);
        int producers = flags.positive("producers", 2);
        int segmentMib = flags.positive("segment-mib", 16);
        int fetchKib = flags.positive("fetch-kib", 1024);
        Path dir = SampleFiles.workDir(flags.string("dir", ""));
        flags.done();

        Totals totals = new Totals();
        Path logDir = Files.createDirectories(dir.resolve("log"));
        BrokerConfig config = new BrokerConfig(directProduce, transferTo, tlsOn, logDir,
                (long) segmentMib * SampleFiles.MiB, fetchKib * SampleFiles.KiB);
        byte[] key = tlsOn ? Clients.selfSignedKey(dir) : new byte[0];
        SSLContext tls = tlsOn ? Clients.tls(key) : null;
        String remote = System.getProperty(Loopback.REMOTE, "");
        // with a sink server the clients run in its process and reach the broker on this end of the connection
        try (SocketChannel control = remote.isEmpty() ? null : BrokerClients.connect(remote);
             LogBroker broker = new LogBroker(config, tls, control == null ? InetAddress.getByName("127.0.0.1")
                     : ((InetSocketAddress) control.getLocalAddress()).getAddress())) {
            BrokerClients clients = new BrokerClients(broker.produceAddress().getAddress(),
                    broker.produceAddress().getPort(), broker.fetchAddress().getPort(),
                    tlsOn ? broker.fetchTlsAddress().getPort() : 0, (long) mib * SampleFiles.MiB, producers,
                    config.maxFetchBytes(), key);
            totals.timed(() -> {
                long[] counted = control == null ? clients.run(tls) : clients.remote(control);
                for (int i = 0; i < counted.length; i++) {
                    String name = BrokerClients.COUNTED.get(i);
                    if (tlsOn || !name.contains("tls")) totals.add(name, counted[i]);
                }
                return counted[0] + counted[1] + counted[2];
            });
            broker.awaitClientsGone();
            addBrokerTotals(broker, tlsOn, totals);
        } finally {
            SampleFiles.deleteTree(dir);
        }
        checkBothSides(totals, tlsOn);
        return totals;
    }

    private static void addBrokerTotals(LogBroker broker, boolean tlsOn, Totals totals) {
        totals.add("log.bytes", broker.logEnd());
        totals.add("segments", broker.segments());
        totals.add("broker.produced", broker.producedBytes());
        totals.add("broker.produce.requests", broker.produceRequests());
        totals.add("broker.fetched.plaintext", broker.fetchedPlaintext());
        if (!tlsOn) return;
        totals.add("broker.fetched.tls", broker.fetchedTls());
        totals.add("broker.tls.plaintext-wrapped", broker.tlsCounters().plaintextWrapped());
        totals.add("broker.tls.encrypted-sent", broker.tlsCounters().encryptedSent());
        totals.add("broker.tls.encrypted-received", broker.tlsCounters().encryptedReceived());
        totals.add("broker.tls.plaintext-unwrapped", broker.tlsCounters().plaintextUnwrapped());
    }

    /** The clients must have seen exactly the bytes the broker took and served, wherever they ran. */
    private static void checkBothSides(Totals totals, boolean tlsOn) {
        same(totals, "produced", "broker.produced", "log.bytes", "fetched.plaintext", "broker.fetched.plaintext");
        if (!tlsOn) return;
        same(totals, "log.bytes", "fetched.tls", "broker.fetched.tls");
        same(totals, "broker.tls.encrypted-sent", "consumer.tls.encrypted-received");
        same(totals, "consumer.tls.encrypted-sent", "broker.tls.encrypted-received");
        same(totals, "broker.tls.plaintext-wrapped", "consumer.tls.plaintext-unwrapped");
        same(totals, "consumer.tls.plaintext-wrapped", "broker.tls.plaintext-unwrapped");
    }

    private static void same(Totals totals, String... keys) {
        for (String key : keys) {
            if (totals.get(key) != totals.get(keys[0])) {
                throw new IllegalStateException("clients and broker disagree: " + key + "=" + totals.get(key)
                        + ", " + keys[0] + "=" + totals.get(keys[0]));
            }
        }
    }
}
