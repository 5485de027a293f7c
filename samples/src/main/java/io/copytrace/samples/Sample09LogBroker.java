// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples;

import io.copytrace.samples.broker.BrokerConfig;
import io.copytrace.samples.broker.Clients;
import io.copytrace.samples.broker.LogBroker;
import io.copytrace.samples.broker.TlsCounters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * whole log, and it prints its own totals ({@code TRUTH produced=...}) to check the report against.
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
        SSLContext tls = tlsOn ? Clients.selfSignedTls(dir) : null;
        TlsCounters consumerTls = new TlsCounters();
        ExecutorService clients = Executors.newFixedThreadPool(producers + 2);
        try (LogBroker broker = new LogBroker(config, tls)) {
            long total = (long) mib * SampleFiles.MiB;
            totals.timed(() -> produceThenFetch(broker, config, tls, total, producers, clients, consumerTls, totals));
            totals.add("segments", broker.segments());
            totals.add("broker.produce.requests", broker.produceRequests());
            totals.add("broker.fetched.plaintext", broker.fetchedPlaintext());
            if (tlsOn) {
                totals.add("broker.fetched.tls", broker.fetchedTls());
                totals.add("broker.tls.plaintext-wrapped", broker.tlsCounters().plaintextWrapped());
                totals.add("broker.tls.encrypted-sent", broker.tlsCounters().encryptedSent());
                totals.add("broker.tls.encrypted-received", broker.tlsCounters().encryptedReceived());
                totals.add("broker.tls.plaintext-unwrapped", broker.tlsCounters().plaintextUnwrapped());
                totals.add("consumer.tls.plaintext-wrapped", consumerTls.plaintextWrapped());
                totals.add("consumer.tls.encrypted-sent", consumerTls.encryptedSent());
                totals.add("consumer.tls.encrypted-received", consumerTls.encryptedReceived());
                totals.add("consumer.tls.plaintext-unwrapped", consumerTls.plaintextUnwrapped());
            }
        } finally {
            clients.shutdownNow();
            SampleFiles.deleteTree(dir);
        }
        return totals;
    }

    /**
     * 1. the producers send their share of {@code total} concurrently; 2. one consumer per listener reads the
     * whole log. Returns the bytes produced plus the bytes fetched.
     */
    private static long produceThenFetch(LogBroker broker, BrokerConfig config, SSLContext tls, long total,
                                         int producers, ExecutorService clients, TlsCounters consumerTls,
                                         Totals totals) throws Exception {
        List<Future<Long>> produced = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            long share = total / producers + (p == 0 ? total % producers : 0);
            long seed = p;
            produced.add(clients.submit(() -> Clients.produce(broker.produceAddress(), share, seed)));
        }
        for (Future<Long> f : produced) totals.add("produced", f.get());
        long logEnd = broker.logEnd();
        totals.add("log.bytes", logEnd);

        Future<Long> plaintext = clients.submit(() ->
                Clients.fetch(broker.fetchAddress(), logEnd, config.maxFetchBytes()));
        Future<Long> encrypted = tls == null ? null : clients.submit(() ->
                Clients.fetchTls(broker.fetchTlsAddress(), tls, logEnd, config.maxFetchBytes(), consumerTls));
        totals.add("fetched.plaintext", plaintext.get());
        if (encrypted != null) totals.add("fetched.tls", encrypted.get());
        return totals.get("produced") + totals.get("fetched.plaintext") + totals.get("fetched.tls");
    }
}
