// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.copytrace.json.JsonReader;
import io.copytrace.testing.ForkedJvm;
import io.copytrace.testing.Jdk;
import io.copytrace.testing.StdoutProtocol;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real Prometheus server (Debian's {@code prometheus}, run as a plain child process with its own config and
 * storage in the test's folder) scrapes the agent on loopback, and its query API answers with the workload's
 * own byte counts: the exposition is one Prometheus reads (it asks for OpenMetrics), with exact values.
 */
class PrometheusScrapeIT {
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void prometheusScrapesTheAgentAndAnswersWithTheWorkloadsBytes(Jdk jdk) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PROMETHEUS),
                "no prometheus binary at " + PROMETHEUS + " (Debian's prometheus package; .ci/run installs it)");
        int agentPort = MetricsView.freePort();
        MetricsIT.App app = MetricsIT.App.start(jdk, ",metrics=127.0.0.1:" + agentPort);
        Path work = app.run().work();
        int webPort = MetricsView.freePort();
        Files.writeString(work.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: copytrace
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(agentPort));
        Process prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + work.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + work.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + webPort)
                .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
        long writeBytes;
        long writeCpuBytes;
        long readBytes;
        try {
            writeBytes = awaitQuery(webPort, "sum(copytrace_moved_bytes_total{operation=\"file.write\",buffer=\"heap\"})",
                    work, prometheus);
            writeCpuBytes = awaitQuery(webPort,
                    "sum(copytrace_cpu_copied_bytes_total{operation=\"file.write\",buffer=\"heap\"})", work, prometheus);
            readBytes = awaitQuery(webPort, "sum(copytrace_moved_bytes_total{operation=\"file.read\"})", work, prometheus);
        } finally {
            prometheus.destroy();
            if (!prometheus.waitFor(30, TimeUnit.SECONDS)) prometheus.destroyForcibly();
        }
        Map<String, Long> truth = StdoutProtocol.truth(app.stop().stdout());
        assertEquals(truth.get("written"), writeBytes);
        assertEquals(2 * truth.get("written"), writeCpuBytes);
        assertEquals(truth.get("read"), readBytes);
    }

    /**
     * The value Prometheus answers for {@code query} once it has one (the first scrapes take a second or two):
     * an instant query, asked again every 200 ms for up to 60 s.
     */
    private static long awaitQuery(int port, String query, Path work, Process prometheus) throws Exception {
        String path = "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && prometheus.isAlive()) {
            try {
                MetricsView answer = MetricsView.get(port, path, null);
                if (answer.status() == 200) {
                    List<?> result = (List<?>) ((Map<?, ?>) ((Map<?, ?>) JsonReader.parse(answer.body())).get("data")).get("result");
                    if (!result.isEmpty()) return Long.parseLong((String) ((List<?>) ((Map<?, ?>) result.get(0)).get("value")).get(1));
                }
            } catch (IOException notListeningYet) {
                // Prometheus is still starting
            }
            Thread.sleep(200);
        }
        String targets;
        try {
            targets = MetricsView.get(port, "/api/v1/targets", null).body();
        } catch (IOException e) {
            targets = e.toString();
        }
        return fail("Prometheus had no answer for " + query + "; targets: " + targets + "\nlog:\n"
                + Files.readString(work.resolve("prometheus.log")));
    }
}
