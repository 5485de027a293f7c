// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.workloads;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Apache Kafka broker (4.4, KRaft, one node that is broker and controller) in this JVM, with a
 * PLAINTEXT and an SSL listener on 127.0.0.1. Per listener a producer sends {@link #RECORDS} records of
 * {@link #SIZE} bytes to a topic of its own (one partition, replication 1) and a consumer reads them all back
 * over the same listener. The broker is started the way {@code kafka-storage.sh format} and
 * {@code kafka-server-start.sh} do it: {@link Formatter} writes meta.properties and the bootstrap metadata
 * (static quorum: {@code controller.quorum.voters}), then {@link KafkaRaftServer} starts the controller and the
 * broker. Everything is bounded by timeouts; the broker is shut down before the method returns.
 */
final class KafkaBroker {
    static final int RECORDS = 2_000;
    static final int SIZE = 1 << 10;
    static final String PASSWORD = "changeit";
    static final long TIMEOUT_MS = 30_000;

    private KafkaBroker() {}

    static void run(Path dir) throws Exception {
        Path logs = dir.resolve("kafka-logs");
        Path store = keyStore(dir);
        new Formatter().setNodeId(1).setClusterId(Uuid.randomUuid().toString())
                .setControllerListenerName("CONTROLLER").setHasDynamicQuorum(false)
                .setReleaseVersion(MetadataVersion.latestProduction())
                .addDirectory(logs.toString()).setMetadataLogDirectory(logs.toString())
                .setPrintStream(System.err).run();
        int[] ports = freePorts(3);
        String plaintext = "127.0.0.1:" + ports[0];
        String ssl = "127.0.0.1:" + ports[1];
        String controller = "127.0.0.1:" + ports[2];
        System.out.println("listeners PLAINTEXT " + plaintext + " SSL " + ssl + " CONTROLLER " + controller);

        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@" + controller);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("listeners", "PLAINTEXT://" + plaintext + ",SSL://" + ssl + ",CONTROLLER://" + controller);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + plaintext + ",SSL://" + ssl);
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SSL:SSL,CONTROLLER:PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("ssl.keystore.type", "PKCS12");
        p.setProperty("ssl.keystore.location", store.toString());
        p.setProperty("ssl.keystore.password", PASSWORD);
        p.setProperty("ssl.key.password", PASSWORD);
        p.setProperty("log.dirs", logs.toString());
        p.setProperty("log.segment.bytes", String.valueOf(1 << 20)); // the smallest Kafka 4 allows
        p.setProperty("num.partitions", "1");
        p.setProperty("default.replication.factor", "1");
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.num.partitions", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("log.cleaner.dedupe.buffer.size", String.valueOf(2 << 20)); // as Kafka's test kit
        p.setProperty("num.network.threads", "1");
        p.setProperty("num.io.threads", "2");
        p.setProperty("background.threads", "2");
        p.setProperty("server.max.startup.time.ms", String.valueOf(TIMEOUT_MS));

        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(p, false), Time.SYSTEM);
        long start = System.nanoTime();
        try {
            server.startup();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", plaintext,
                    "request.timeout.ms", "10000", "default.api.timeout.ms", String.valueOf(TIMEOUT_MS)))) {
                admin.createTopics(List.of(new NewTopic("plaintext", 1, (short) 1), new NewTopic("ssl", 1, (short) 1)))
                        .all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
            System.out.println("broker up and topics created in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            Properties client = new Properties();
            client.setProperty("security.protocol", "SSL");
            client.setProperty("ssl.truststore.type", "PKCS12");
            client.setProperty("ssl.truststore.location", store.toString());
            client.setProperty("ssl.truststore.password", PASSWORD);
            exchange("plaintext", plaintext, new Properties());
            exchange("ssl", ssl, client);
            System.out.println("done in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        } finally {
            server.shutdown();
            server.awaitShutdown();
        }
        // what the broker appended: every segment of the broker (the KRaft metadata log too), and per topic
        Workloads.truth("logBytes", logBytes(logs, ""));
        for (String topic : List.of("plaintext", "ssl")) {
            Workloads.truth(topic + ".logBytes", logBytes(logs, topic + "-0"));
        }
    }

    /** Produces the records to {@code topic} over one listener, then consumes them back over it. */
    static void exchange(String topic, String bootstrap, Properties security) throws Exception {
        Properties pp = new Properties();
        pp.putAll(security);
        pp.setProperty("bootstrap.servers", bootstrap);
        pp.setProperty("acks", "all");
        pp.setProperty("compression.type", "none");
        pp.setProperty("linger.ms", "5");
        pp.setProperty("max.block.ms", String.valueOf(TIMEOUT_MS));
        pp.setProperty("request.timeout.ms", "10000");
        pp.setProperty("delivery.timeout.ms", String.valueOf(TIMEOUT_MS));
        byte[] value = new byte[SIZE];
        Arrays.fill(value, (byte) 'k');
        long sent = 0;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) acks.add(producer.send(new ProducerRecord<>(topic, value)));
            producer.flush();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                sent++;
            }
        }

        Properties cp = new Properties();
        cp.putAll(security);
        cp.setProperty("bootstrap.servers", bootstrap);
        cp.setProperty("enable.auto.commit", "false");
        // above the segment size: a fetch never cuts a batch, so each log byte is fetched exactly once
        cp.setProperty("max.partition.fetch.bytes", String.valueOf(4 << 20));
        cp.setProperty("request.timeout.ms", "10000");
        cp.setProperty("default.api.timeout.ms", String.valueOf(TIMEOUT_MS));
        long received = 0;
        long bytes = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(cp, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
            while (received < sent && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    received++;
                    bytes += r.value().length;
                }
            }
        }
        if (sent != RECORDS || received != RECORDS || bytes != (long) RECORDS * SIZE) {
            throw new IllegalStateException(topic + ": sent " + sent + ", received " + received + " records of "
                    + bytes + " bytes");
        }
        Workloads.truth(topic + ".records", received);
        Workloads.truth(topic + ".recordBytes", bytes);
    }

    /** Bytes in the {@code .log} segment files under {@code logs} (all, or one partition's folder). */
    static long logBytes(Path logs, String partition) throws Exception {
        try (Stream<Path> s = Files.walk(logs.resolve(partition))) {
            return s.filter(f -> f.toString().endsWith(".log")).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /** A self-signed EC key pair for 127.0.0.1 in a PKCS12 store, made by the running JDK's keytool. */
    static Path keyStore(Path dir) throws Exception {
        Path ks = dir.resolve("kafka.p12");
        Files.deleteIfExists(ks);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "broker", "-keyalg", "EC", "-dname", "CN=localhost",
                "-ext", "SAN=IP:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD).inheritIO().start();
        if (!p.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("keytool failed");
        }
        return ks;
    }

    /** Ports free a moment ago on 127.0.0.1 (the controller's must be known before the config is written). */
    static int[] freePorts(int n) throws Exception {
        ServerSocket[] sockets = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) if (s != null) s.close();
        }
    }
}
