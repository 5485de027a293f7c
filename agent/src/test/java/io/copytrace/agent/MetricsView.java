// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** One scrape of a {@code /metrics} endpoint, as a test reads it: its samples, parsed from the text. */
record MetricsView(int status, String contentType, String body, List<Sample> samples) {
    /** The OpenMetrics Accept header Prometheus sends. */
    static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
            + "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    /** One sample line: name, labels, value. */
    record Sample(String name, Map<String, String> labels, long value) {
        String label(String key) {
            return labels.get(key);
        }
    }

    /** GETs {@code http://127.0.0.1:PORT/PATH} with {@code accept} (null: none). */
    static MetricsView get(int port, String path, String accept) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        if (accept != null) c.setRequestProperty("Accept", accept);
        c.setConnectTimeout(10_000);
        c.setReadTimeout(30_000);
        int status = c.getResponseCode();
        String body;
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String type = c.getContentType();
        boolean exposition = status == 200 && type != null
                && (type.startsWith("text/plain") || type.startsWith("application/openmetrics-text"));
        return new MetricsView(status, type, body, exposition ? parse(body) : List.of());
    }

    /** The sample lines of an exposition (comments skipped); label values unescaped. */
    static List<Sample> parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            int space = line.lastIndexOf(' ');
            String series = line.substring(0, space);
            Map<String, String> labels = new LinkedHashMap<>();
            int brace = series.indexOf('{');
            String name = brace < 0 ? series : series.substring(0, brace);
            for (int i = brace + 1; brace >= 0 && i < series.length() - 1; ) {
                int eq = series.indexOf("=\"", i);
                StringBuilder v = new StringBuilder();
                int j = eq + 2;
                for (; series.charAt(j) != '"'; j++) {
                    char ch = series.charAt(j);
                    if (ch == '\\') {
                        char next = series.charAt(++j);
                        v.append(next == 'n' ? '\n' : next);
                    } else {
                        v.append(ch);
                    }
                }
                labels.put(series.substring(i, eq), v.toString());
                i = j + 2; // past the quote and the comma
            }
            out.add(new Sample(name, labels, Long.parseLong(line.substring(space + 1))));
        }
        return out;
    }

    /** The sum of {@code name}'s samples that {@code which} accepts. */
    long sum(String name, Predicate<Sample> which) {
        return samples.stream().filter(s -> s.name().equals(name) && which.test(s)).mapToLong(Sample::value).sum();
    }

    /** The one sample of {@code name} without labels. */
    long value(String name) {
        return sum(name, s -> s.labels().isEmpty());
    }

    /** The site labels of the copy series. */
    Set<String> sites() {
        Set<String> sites = new HashSet<>();
        for (Sample s : samples) if (s.name().equals("copytrace_moved_bytes_total")) sites.add(s.label("site"));
        return sites;
    }

    /**
     * Ports process {@code pid} listens on over TCP: its socket descriptors matched to the listening sockets of
     * {@code /proc/PID/net/tcp} and {@code tcp6} by inode.
     */
    static Set<Integer> listeningPorts(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) inodes.add(target.substring(8, target.length() - 1));
                } catch (IOException closedMeanwhile) {
                    // a descriptor closed while listed
                }
            }
        }
        Set<Integer> ports = new HashSet<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path p = Path.of("/proc/" + pid + "/net/" + table);
            if (!Files.exists(p)) continue;
            for (String line : Files.readAllLines(p)) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st ... inode (the 10th field); 0A = LISTEN
                if (f.length > 9 && f[3].equals("0A") && inodes.contains(f[9])) {
                    ports.add(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }

    /** A TCP port on 127.0.0.1 that was free a moment ago. */
    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
