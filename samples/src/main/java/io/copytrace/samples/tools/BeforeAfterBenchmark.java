// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.tools;

import io.copytrace.samples.Flags;
import io.copytrace.samples.Loopback;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The predicted saving, checked: for each sample with a fixed variant, the CPU the <em>sending</em> JVM spends
 * in the copy-heavy and in the fixed variant, beside the saving the copytrace report of the copy-heavy variant
 * predicts ({@link SavingCheck}).
 *
 * <p>The receiving side runs in another process ({@link SinkProcess}: in a network namespace of its own over a
 * veth pair when run as root, else on loopback), so the sender's process CPU holds none of the receiver's
 * copies; the broker's producers and consumers (samples 09, 09t) run there too ({@code broker.BrokerClients}). Every measurement is a fresh sending JVM ({@link SenderRun}) that runs the sample {@code --warmup}
 * times, then {@code --runs} times measured (its median run counts); copy-heavy and fixed JVMs alternate,
 * {@code --pairs} of them, the order swapped every other pair; each row's verdict comes from the pairs' savings, the
 * median's 95 % interval within 25 % of the prediction, wholly outside, or both ({@link SavingCheck}; 6 pairs by default,
 * the fewest whose interval, all of them, reaches 95 %). CPU is the sending JVM's during the sample's timed
 * I/O (every thread, user + kernel; payloads of 1 GiB): with {@code --cpu=perf} (the default {@code auto} when
 * root and {@code perf} can) from a {@code perf record} of the JVM with the samples in the NET_RX softirq left out
 * ({@link SenderCpu}: the receive processing, which this kernel charges to whatever task it interrupts), with
 * {@code --cpu=process} the JVM's process CPU (10 ms resolution). The prediction is
 * recorded once under the agent with the same receiver (default options, so the egress interfaces' offloads
 * are read) and reported three times, before, amid and after the pairs, with host costs measured at each report
 * (the median report counts: the host's phase moves its calibration as it moves the senders), the sends priced on
 * the samples' own path, not loopback ({@code --socket-send-peer}: a session of the same sink); with perf the small
 * send as the senders are measured ({@link SendPrice}, given as {@code --socket-send-ns}).
 *
 * <pre>
 * make bench-samples
 * java -cp samples/target/classes:analyzer/target/classes io.copytrace.samples.tools.BeforeAfterBenchmark \
 *      [--jar=dist/copytrace.jar] [--java=JAVA_HOME] [--pairs=6] [--runs=3] [--warmup=2] [--only=01,09]
 *      [--peer=auto|netns|process] [--placement=free|auto|pinned] [--receive=softirq|auto|threaded]
 *      [--congestion=cubic|host|reno|bbr] [--cpu=auto|perf|process] [--out=docs/bench]
 * </pre>
 * {@code --placement} ({@link Placement}): {@code pinned} runs the sending JVMs (and the recording one) on one CPU,
 * the receiver on another, and steers the veth pair's receive processing to the receiver's CPU, so the receiving
 * softirq is never charged to a sender (who pays an IPI per packet batch instead); {@code auto} does so when it
 * can (root, network namespace, 2 CPUs, {@code taskset}). {@code free} is the default: pinned, every row whose fix
 * is {@code transferTo} measured 45–260 ms less saving than predicted (02, 10, 10h also less than free), 01 and 07 did
 * not (docs/bench/session11-samples.md): under the host's BBR, TCP's pacing in the kernel, dearer with RPS (session
 * 23: with cubic, pinned, 02 read −8 % and 09 +13 % on 25). The report itself runs unpinned: its
 * cross-core calibration needs two CPUs. Each row prints the NET_RX softirqs each CPU ran during its pairs and the
 * softirq time /proc/stat gives each CPU. {@code --receive} ({@link SinkProcess.Receive}): {@code threaded} moves the
 * veth pair's receive processing into NAPI kernel threads (GRO and threaded NAPI on both ends, TSO off and the
 * largest MTU so TCP still sends ~64 KiB segments), so it is never charged to a sender, and each row prints those
 * threads' CPU; {@code softirq}, the default, leaves it in the NET_RX softirq. {@code --congestion}: the veth routes'
 * TCP congestion control ({@link NetNamespace#congestion}); {@code cubic}, the default, does not pace (BBR on a queue
 * without fq paces in the kernel, which the model does not price); {@code host} keeps the host's. Not over loopback.
 * Writes {@code before-after-jdkN.md} into {@code --out} (nothing when {@code --out=}).
 */
public final class BeforeAfterBenchmark {
    /**
     * A sample's copy-heavy and fixed variants, the rules of the findings the fixed variant fixes (none named:
     * every finding, the report's potential saving), and the TRUTH keys whose sum is the payload.
     */
    record Case(String id, String name, String mainClass, String[] before, String[] after, List<String> fixes,
                String... payload) {
        /** A fixed variant that fixes every finding. */
        Case(String id, String name, String mainClass, String[] before, String[] after, String... payload) {
            this(id, name, mainClass, before, after, List.of(), payload);
        }
    }

    private static final String SAMPLES = "io.copytrace.samples.";

    static final List<Case> CASES = List.of(
            new Case("01", "java.io stream copy -> Files.copy", SAMPLES + "Sample01StreamCopy",
                    new String[] {"--mib=1024"}, new String[] {"--mib=1024", "--copy=files-copy"}, "copied"),
            new Case("02", "heap-buffer loop -> transferTo", SAMPLES + "Sample02HeapBufferSend",
                    new String[] {"--mib=1024"}, new String[] {"--mib=1024", "--send=transferTo"}, "sent"),
            new Case("03", "direct-buffer loop -> transferTo", SAMPLES + "Sample03DirectBufferSend",
                    new String[] {"--mib=1024"}, new String[] {"--mib=1024", "--send=transferTo"}, "sent"),
            new Case("06", "mmap + write -> transferTo", SAMPLES + "Sample06MappedSend",
                    new String[] {"--mib=1024"}, new String[] {"--mib=1024", "--send=transferTo"}, "sent"),
            new Case("07", "tiny writes -> gathering writes", SAMPLES + "Sample07GatheringWrite",
                    new String[] {"--messages=400000"}, new String[] {"--messages=400000", "--writes=gathering"}, "sent"),
            new Case("09", "broker: heap produce + heap-loop fetch -> direct + transferTo", SAMPLES + "Sample09LogBroker",
                    new String[] {"--mib=256", "--tls=off", "--fetch=heap-loop"},
                    new String[] {"--mib=256", "--tls=off", "--produce-buffers=direct"},
                    "produced", "fetched.plaintext"),
            new Case("09t", "broker with TLS: heap produce -> direct produce (TLS fetch unchanged)", SAMPLES + "Sample09LogBroker",
                    new String[] {"--mib=128"}, new String[] {"--mib=128", "--produce-buffers=direct"},
                    List.of("relay"), // the TLS fetch's heap-buffer finding stays: this fix is not about it
                    "produced", "fetched.plaintext", "fetched.tls"),
            new Case("10", "split relay (direct buffers, two threads) -> transferTo", SAMPLES + "Sample10SplitRelay",
                    new String[] {"--mib=1024"}, new String[] {"--mib=1024", "--send=transferTo"}, "sent"),
            new Case("10h", "split relay (heap buffers, two threads) -> transferTo", SAMPLES + "Sample10SplitRelay",
                    new String[] {"--mib=1024", "--buffers=heap"}, new String[] {"--mib=1024", "--send=transferTo"},
                    "sent"));

    /** What the report says fixing the copy-heavy variant saves, and the host costs it priced them with. */
    record Prediction(long copies, long syscalls, long cpuNanos, double memcpyGbps, double cachedCopyGbps,
                      double syscallNanos, double socketSendNanos, long pageFaults, double minorFaultNanos,
                      double fileCopyOverheadNanosPerKib, long handOffs, double contextSwitchNanos,
                      double crossCoreNanosPerKib) {}

    /** How a sending JVM's CPU is measured ({@code --cpu}): {@code auto} takes perf when it can. */
    enum Cpu { AUTO, PERF, PROCESS }

    /** How the benchmark runs: the flags (see the class comment). */
    record Settings(String jar, String java, int pairs, int runs, int warmup, List<String> only,
                    SinkProcess.Mode peer, Placement.Request placement, SinkProcess.Receive receive, String congestion,
                    Cpu cpu, String out) {
        static Settings parse(String... args) {
            Flags flags = Flags.parse(args);
            String only = flags.string("only", "");
            Settings s = new Settings(flags.string("jar", "dist/copytrace.jar"),
                    flags.string("java", System.getProperty("java.home")), flags.positive("pairs", 6),
                    flags.positive("runs", 3), flags.positive("warmup", 2),
                    only.isEmpty() ? List.of() : List.of(only.split(",")),
                    SinkProcess.Mode.valueOf(flags.choice("peer", "auto", "netns", "process").toUpperCase(Locale.ROOT)),
                    Placement.Request.valueOf(flags.choice("placement", "free", "auto", "pinned").toUpperCase(Locale.ROOT)),
                    SinkProcess.Receive.valueOf(flags.choice("receive", "softirq", "auto", "threaded").toUpperCase(Locale.ROOT)),
                    flags.choice("congestion", "cubic", "host", "reno", "bbr"),
                    Cpu.valueOf(flags.choice("cpu", "auto", "perf", "process").toUpperCase(Locale.ROOT)),
                    flags.string("out", "docs/bench"));
            flags.done();
            return s;
        }

        String javaBinary() {
            return Path.of(java, "bin", "java").toString();
        }
    }

    private BeforeAfterBenchmark() {}

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.parse(args);
        String classPath = System.getProperty("java.class.path");
        String javaVersion = javaVersion(settings.javaBinary());
        boolean perf = settings.cpu() != Cpu.PROCESS && SenderCpu.usable();
        if (settings.cpu() == Cpu.PERF && !perf) throw new IllegalStateException("--cpu=perf: perf record cannot run here "
                + "(needs root and perf with kernel call chains)");
        try (SinkProcess sink = SinkProcess.start(settings.peer(), settings.placement(), settings.receive(),
                settings.congestion(), settings.javaBinary(), classPath)) {
            Placement placement = sink.placement();
            String head = String.format(Locale.ROOT, "Java %s, %d CPUs; %s; %s; %d pairs of sending JVMs (copy-heavy and "
                            + "fixed alternating), each %d warm-up + %d measured runs (median)", javaVersion,
                    Runtime.getRuntime().availableProcessors(), sink.describe(), placement.describe(), settings.pairs(), settings.warmup(),
                    settings.runs()) + (perf ? "; sender CPU from perf samples of the sending JVM (" + SenderCpu.PERIOD_NANOS
                    / 1_000_000 + " ms of CPU per sample) with those in the NET_RX softirq (the receive processing) left out"
                    : "; sender CPU = its process CPU (receive processing the kernel charged to it included)");
            System.out.println(head);
            List<String> rows = new ArrayList<>(BenchTable.header());
            List<String> notes = new ArrayList<>();
            for (Case c : CASES) {
                if (!settings.only().isEmpty() && !settings.only().contains(c.id())) continue;
                System.out.printf("%s %s ...%n", c.id(), c.name());
                Path recorded = Files.createTempDirectory("copytrace-bench");
                List<Prediction> predictions = new ArrayList<>();
                List<Long> before = new ArrayList<>(), after = new ArrayList<>();
                List<Map<String, Long>> heavyRuns = new ArrayList<>(), fixedRuns = new ArrayList<>();
                long[] netRx0 = Placement.netRxPerCpu(), softirq0 = Placement.softirqMillisPerCpu();
                List<Long> napi = sink.receiveThreads(); // listed once: it scans /proc
                long napi0 = NetNamespace.cpuNanos(napi);
                long payload = 0;
                try {
                    Path recording = record(settings, placement, c, sink.control(), recorded);
                    predictions.add(predict(settings, perf, placement, c, sink.control(), recording));
                    for (int i = 0; i < settings.pairs(); i++) {
                        boolean heavyFirst = i % 2 == 0; // swap the order every other pair: drift hits both alike
                        List<Map<String, Long>> first = send(settings, perf, placement, c, heavyFirst ? c.before() : c.after(), sink.control());
                        List<Map<String, Long>> second = send(settings, perf, placement, c, heavyFirst ? c.after() : c.before(), sink.control());
                        List<Map<String, Long>> heavy = heavyFirst ? first : second, fixed = heavyFirst ? second : first;
                        before.add(medianCpu(heavy));
                        after.add(medianCpu(fixed));
                        heavyRuns.addAll(heavy);
                        fixedRuns.addAll(fixed);
                        payload = payload(c, heavy.get(0));
                        if (i == settings.pairs() / 2) predictions.add(predict(settings, perf, placement, c, sink.control(), recording));
                    }
                    predictions.add(predict(settings, perf, placement, c, sink.control(), recording));
                } finally {
                    deleteTree(recorded);
                }
                Prediction predicted = median(predictions);
                String netRx = c.id() + ": during the recording, the pairs and the reports, NET_RX softirqs "
                        + Placement.perCpuDelta(netRx0, Placement.netRxPerCpu()) + "; softirq time (/proc/stat, ms) "
                        + Placement.perCpuDelta(softirq0, Placement.softirqMillisPerCpu())
                        + (napi.isEmpty() ? "" : "; the NAPI threads' CPU (receive processing) "
                        + String.format(Locale.ROOT, "%.1f", (NetNamespace.cpuNanos(napi) - napi0) / 1e6) + " ms")
                        + (perf ? "; per run (median), process CPU / sampled / NET_RX left out / the sender's held off"
                        + " in tcp_write_xmit: before " + perRun(heavyRuns)
                        + ", after " + perRun(fixedRuns) : "")
                        + "; the " + predictions.size() + " reports (before, amid and after the pairs) predicted "
                        + predictions.stream().map(p -> String.valueOf(p.cpuNanos() / 1_000_000)).collect(Collectors.joining(" / "))
                        + " ms at " + predictions.stream().map(p -> String.format(Locale.ROOT, "%.1f", p.memcpyGbps()))
                        .collect(Collectors.joining(" / ")) + " GB/s (the median counts)";
                System.out.println(netRx);
                notes.add(netRx);
                String row = BenchTable.row(c, payload, predicted, new SavingCheck(predicted.cpuNanos(), before, after));
                System.out.println(row);
                rows.add(row);
            }
            System.out.println();
            rows.forEach(System.out::println);
            notes.forEach(System.out::println);
            if (!settings.out().isEmpty()) {
                Path file = Path.of(settings.out(), "before-after-jdk" + javaVersion.split("[.+-]")[0] + ".md");
                Files.createDirectories(file.getParent()); // an hour of pairs is not lost to a missing folder
                Files.writeString(file, BenchTable.document(head, rows, notes));
                System.out.println("wrote " + file);
            }
        }
    }

    /** One sending JVM: the sample's measured runs' totals. */
    private static List<Map<String, Long>> send(Settings s, boolean perf, Placement placement, Case c, String[] variant,
                                                String sink) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(s.javaBinary(), "-Dcopytrace.sink=" + sink,
                "-cp", System.getProperty("java.class.path"), SenderRun.class.getName(), c.mainClass(),
                String.valueOf(s.warmup()), String.valueOf(s.runs())));
        cmd.addAll(Arrays.asList(variant));
        return runLines(placement.sender(cmd), perf, s.runs());
    }

    /**
     * The {@code RUN} lines ({@link SenderRun#parse}) a JVM running {@code cmd} prints, {@code expected} of them; with
     * {@code perf} run under {@code perf record}, each line with its sender CPU ({@link SenderCpu#measure}).
     */
    private static List<Map<String, Long>> runLines(List<String> cmd, boolean perf, int expected) throws Exception {
        Path log = Files.createTempFile("copytrace-bench", ".log"), data = Files.createTempFile("copytrace-perf", ".data");
        try {
            exec(perf ? SenderCpu.wrap(cmd, data) : cmd, log);
            List<Map<String, Long>> runs = SenderRun.parse(Files.readString(log));
            if (runs.size() != expected) throw new IOException("expected " + expected + " runs:\n" + Files.readString(log));
            return perf ? SenderCpu.measure(data, runs) : runs;
        } finally {
            Files.deleteIfExists(log);
            Files.deleteIfExists(data);
        }
    }

    /** The sender's CPU of a JVM's median run: perf's figure when there is one, else the process CPU. */
    private static long medianCpu(List<Map<String, Long>> runs) {
        return median(runs, runs.get(0).containsKey("time.sender-cpu-ns") ? "time.sender-cpu-ns" : "time.cpu-ns");
    }

    private static long median(List<Map<String, Long>> runs, String key) {
        return SavingCheck.median(runs.stream().map(r -> r.get(key)).toList());
    }

    /**
     * The runs' medians of process CPU, sampled CPU, the NET_RX softirq's CPU left out and the sender's held off in
     * {@code tcp_write_xmit} ({@link SenderCpu}), in ms, and of the sender's CPU by thread group, the busiest five
     * (where a saving went, or did not).
     */
    private static String perRun(List<Map<String, Long>> runs) {
        Map<String, Long> byThreads = new HashMap<>();
        for (Map<String, Long> run : runs) {
            for (String key : run.keySet()) {
                if (key.startsWith(SenderCpu.BY_THREADS)) {
                    byThreads.computeIfAbsent(key.substring(SenderCpu.BY_THREADS.length()), g -> SavingCheck.median(
                            runs.stream().map(r -> r.getOrDefault(key, 0L)).toList()));
                }
            }
        }
        String threads = byThreads.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(5).map(e -> e.getKey() + " " + e.getValue() / 1_000_000).collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "%d / %d / %d / %d ms", median(runs, "time.cpu-ns") / 1_000_000,
                median(runs, "time.sampled-cpu-ns") / 1_000_000, median(runs, "time.net-rx-ns") / 1_000_000,
                median(runs, SenderCpu.HELD_OFF_KEY) / 1_000_000)
                + (threads.isEmpty() ? "" : " (the sender's by thread: " + threads + ")");
    }

    private static long payload(Case c, Map<String, Long> totals) {
        long payload = 0;
        for (String key : c.payload()) payload += totals.getOrDefault(key, 0L);
        return payload;
    }

    /** Records the copy-heavy variant once under the agent (default options) into {@code dir}: its recording. */
    static Path record(Settings s, Placement placement, Case c, String sink, Path dir) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(s.javaBinary(), "-javaagent:" + s.jar() + "=out=" + dir,
                "-Dcopytrace.sink=" + sink, "-cp", System.getProperty("java.class.path"), c.mainClass()));
        cmd.addAll(Arrays.asList(c.before()));
        exec(placement.sender(cmd), dir.resolve("sample.log")); // placed as the senders: the same switch counts
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("recording-\\d+\\.json")).findFirst()
                    .orElseThrow(() -> new IOException("no recording in " + dir));
        }
    }

    /**
     * The report's potential saving for {@code recording}, with host costs measured now: a report is made before,
     * amid and after a case's pairs and the median counts, as the measured saving is a median over the same minutes.
     */
    static Prediction predict(Settings s, boolean perf, Placement placement, Case c, String sink, Path recording)
            throws Exception {
        Path dir = Files.createTempDirectory("copytrace-report");
        try {
            Path report = dir.resolve("report.json");
            List<String> command = new ArrayList<>(List.of(s.javaBinary(), "-jar", s.jar(), "report", recording.toString(),
                    "--format", "json", "--out", report.toString()));
            // sends priced on the samples' own path (a session of the same sink), not over loopback; with perf the
            // small send as the senders are measured: the receive processing left out
            if (perf) command.addAll(List.of("--socket-send-ns", String.valueOf(Math.round(sendPrice(s, placement, sink)))));
            try (Loopback path = Loopback.remote(sink)) {
                InetSocketAddress peer = (InetSocketAddress) path.address();
                command.addAll(List.of("--socket-send-peer", peer.getHostString() + ":" + peer.getPort()));
                exec(command, dir.resolve("report.log"));
            }
            ReportView view = ReportView.read(report);
            Map<String, Object> saving = saving(view, c.fixes());
            Map<String, Object> cost = view.section("hostCost");
            return new Prediction(ReportView.num(saving, "cpuCopiedBytes"), ReportView.num(saving, "syscalls"),
                    ReportView.num(saving, "estimatedCpuNanos"),
                    ((Number) cost.get("memcpyBytesPerNanosecond")).doubleValue(),
                    ((Number) cost.get("cachedCopyBytesPerNanosecond")).doubleValue(),
                    ((Number) cost.get("syscallNanoseconds")).doubleValue(),
                    ((Number) cost.get("socketSendNanoseconds")).doubleValue(), ReportView.num(saving, "pageFaults"),
                    ((Number) cost.get("minorFaultNanoseconds")).doubleValue(),
                    ((Number) cost.get("fileCopyOverheadNanosecondsPerKib")).doubleValue(), handOffs(view),
                    ((Number) cost.get("contextSwitchNanoseconds")).doubleValue(),
                    ((Number) cost.get("crossCoreNanosecondsPerKib")).doubleValue());
        } finally {
            deleteTree(dir);
        }
    }

    /** The prediction whose estimate is the median of {@code predictions} (an odd number of them). */
    static Prediction median(List<Prediction> predictions) {
        List<Prediction> sorted = new ArrayList<>(predictions);
        sorted.sort(java.util.Comparator.comparingLong(Prediction::cpuNanos));
        return sorted.get(sorted.size() / 2);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** A small send's CPU to the sink for the sender alone ({@link SendPrice} under perf), in ns. */
    private static double sendPrice(Settings s, Placement placement, String sink) throws Exception {
        List<String> cmd = List.of(s.javaBinary(), "-cp", System.getProperty("java.class.path"), SendPrice.class.getName(),
                sink);
        return SendPrice.nanosPerSend(runLines(placement.sender(cmd), true, SendPrice.ROUNDS));
    }

    /**
     * What fixing the findings of {@code rules} saves: the sum of their savings; every finding's (the report's
     * potential saving) when {@code rules} is empty.
     */
    static Map<String, Object> saving(ReportView report, List<String> rules) {
        if (rules.isEmpty()) return report.section("potentialSaving");
        Map<String, Object> sum = new HashMap<>();
        for (Map<String, Object> finding : report.findings()) {
            if (!rules.contains(finding.get("rule"))) continue;
            ReportView.obj(finding, "saving").forEach((key, value) ->
                    sum.merge(key, ((Number) value).longValue(), (a, b) -> (Long) a + (Long) b));
        }
        return sum;
    }

    /** The thread hand-offs the report priced (its relay findings' {@code handOffs} lines), 0 when none. */
    private static long handOffs(ReportView view) {
        long n = 0;
        for (Map<String, Object> f : view.findings()) {
            if (!(f.get("evidence") instanceof List<?> lines)) continue;
            for (Object line : lines) {
                if (line instanceof Map<?, ?> m && "handOffs".equals(m.get("name")) && m.get("handOffs") instanceof Number k) {
                    n += k.longValue();
                }
            }
        }
        return n;
    }

    private static String javaVersion(String java) throws Exception {
        Process p = new ProcessBuilder(java, "-XshowSettings:properties", "-version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out.lines().map(String::strip).filter(l -> l.startsWith("java.runtime.version = ")).findFirst()
                .map(l -> l.substring("java.runtime.version = ".length())).orElse("unknown");
    }

    private static void exec(List<String> cmd, Path log) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " failed:\n" + Files.readString(log));
        }
    }
}
