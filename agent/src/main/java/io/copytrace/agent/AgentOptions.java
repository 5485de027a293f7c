// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static io.copytrace.agent.TimeSuffix.H;
import static io.copytrace.agent.TimeSuffix.M;
import static io.copytrace.agent.TimeSuffix.MS;
import static io.copytrace.agent.TimeSuffix.S;
import static io.copytrace.agent.TimeSuffix.US;

import io.copytrace.agent.OptionType.Choice;
import io.copytrace.agent.OptionType.Folder;
import io.copytrace.agent.OptionType.Formats;
import io.copytrace.agent.OptionType.HostPort;
import io.copytrace.agent.OptionType.IntRange;
import io.copytrace.agent.OptionType.OrOff;
import io.copytrace.agent.OptionType.Prefixes;
import io.copytrace.agent.OptionType.Text;
import io.copytrace.agent.OptionType.Time;
import io.copytrace.agent.weave.WovenClassCache;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The agent's one options parser, driven by the typed {@link OptionSpec}s in {@link #SPECS}. Options come
 * from {@code -javaagent:copytrace.jar=k=v,k=v}, else the system property {@code copytrace.k}, else the
 * environment variable {@code COPYTRACE_K} (dashes become underscores). A comma-separated token without
 * {@code =} continues the previous option's list of a list option ({@code include=com.acme,org.foo}).
 * Every problem is collected, then reported together.
 */
public final class AgentOptions {
    static final OptionSpec<Path> OUT = new OptionSpec<>("out", new Folder("a writable directory"),
            "copytrace-recording", "Directory the recording (recording-PID.json) is written to.");
    static final OptionSpec<Duration> DURATION = new OptionSpec<>("duration",
            new Time("a duration", List.of(MS, S, M, H), null, null, "500ms, 30s, 5m, 1h", "until the JVM exits"), "",
            "Length of the recording window from agent start; the recording is written when it ends.");
    static final OptionSpec<Duration> CHECKPOINT = new OptionSpec<>("checkpoint",
            new OrOff<>(new Time("a duration", List.of(MS, S, M, H), null, null, "500ms, 30s, 5m", null)), "60s",
            "Rewrite the recording this often while the window is open, so a hard kill (kill -9, a crash, an OOM"
                    + " kill) loses at most one interval; off writes it only when the window closes.");
    static final OptionSpec<List<String>> INCLUDE = new OptionSpec<>("include", new Prefixes(), "",
            "Only call sites under these prefixes are recorded per site; others fold into one \"excluded\" row.");
    static final OptionSpec<List<String>> EXCLUDE = new OptionSpec<>("exclude", new Prefixes(), "",
            "Call sites under these prefixes fold into one \"excluded\" row.");
    static final OptionSpec<List<String>> WRAPPERS = new OptionSpec<>("wrappers", new Prefixes(), "",
            "I/O wrapper libraries to look through when finding the call site (JDK frames always are).");
    static final OptionSpec<Integer> STACK_DEPTH = new OptionSpec<>("stack-depth", new IntRange(1, 256), "16",
            "Frames kept per call site stack.");
    static final OptionSpec<String> JDK_INTERNAL = new OptionSpec<>("jdk-internal", new Choice("true", "false"), "true",
            "Record the JDK's own I/O (jar reads, no application frame) per site, labelled jdk-internal;"
                    + " false folds it into one row.");
    static final OptionSpec<String> FLOWS = new OptionSpec<>("flows", new Choice("on", "off"), "on",
            "Follow the bytes: match each write's memory to the read that filled it (relays across classes and"
                    + " threads, docs/provenance.md); off saves its per-call cost and finds no relays.");
    static final OptionSpec<Integer> MAX_SITES = new OptionSpec<>("max-sites", new IntRange(1, 1_000_000), "10000",
            "Distinct call sites kept; later ones fold into one \"other\" row (said in the recording).");
    static final OptionSpec<Integer> SAMPLE_INTERVAL = new OptionSpec<>("sample-interval", new IntRange(1, 65_536),
            "1024", "Most calls per thread and operation between two stack walks while a site is steady (more when"
                    + " those walks would take over 0.1 % of the thread's time). 1 walks every call: exact per-site"
                    + " attribution at a higher cost.");
    static final OptionSpec<String> KERNEL = new OptionSpec<>("kernel", new Choice("perf", "sampled", "proc", "off"),
            "proc", "Kernel-side counters for the window: /proc per process and per thread (the default: costs nothing"
                    + " per call), perf tracepoints counting every syscall exactly (the audit mode: +40-170 ns per syscall"
                    + " and ~0.8 s when the window closes; falls back to /proc when refused), the same counting 100 ms"
                    + " in every 1 s after the first second and extrapolated with a 95 % interval, or none.");
    static final OptionSpec<String> KERNEL_SAMPLES = new OptionSpec<>("kernel-samples", new Choice("on", "off"), "off",
            "Ring-buffer samples of every data syscall (bytes per descriptor); costs more than counting, and needs"
                    + " perf: with kernel=proc it counts through perf too.");
    static final OptionSpec<List<String>> REPORT = new OptionSpec<>("report",
            new Formats(List.of("text", "md", "html", "json")), "",
            "Reports to write next to the recording when the window closes (recording-PID.report.html, ...).");
    static final OptionSpec<String> PROFILE = new OptionSpec<>("profile", new Choice("off", "cpu", "itimer"), "off",
            "CPU time spent copying, per call site, sampled with async-profiler during the window: cpu = perf events"
                    + " with kernel stacks (user frames only when perf is refused), itimer = user frames only."
                    + " Also writes recording-PID.flame.html. off loads nothing.");
    static final OptionSpec<Duration> PROFILE_INTERVAL = new OptionSpec<>("profile-interval",
            new Time("an interval", List.of(US, MS, S), Duration.ofNanos(100_000), Duration.ofSeconds(1),
                    "500us, 1ms, 10ms", null), "1ms",
            "CPU time between two profiling samples.");
    static final OptionSpec<String> CACHE = new OptionSpec<>("cache", new Text("default, off, or a directory"),
            "default", "Where woven JDK classes are kept between runs, so later start-ups skip Byte Buddy:"
                    + " default = $XDG_CACHE_HOME/copytrace or ~/.cache/copytrace; off weaves every start.");

    static final OptionSpec<java.net.InetSocketAddress> METRICS = new OptionSpec<>("metrics", new OrOff<>(new HostPort()),
            "off", "Serve the window's counters at http://HOST:PORT/metrics (OpenMetrics, for Prometheus; docs/metrics.md)"
                    + " from one agent thread bound to this address; off opens no socket. A bad value or a port that"
                    + " cannot be bound costs the metrics, not the recording.");
    static final OptionSpec<Integer> METRICS_SITES = new OptionSpec<>("metrics-sites", new IntRange(1, 1000), "20",
            "Call sites with their own metric series (the heaviest by bytes moved); the rest are summed into site=\"other\".");

    /** Every option, in the order of the help and of docs/options.md. */
    static final List<OptionSpec<?>> SPECS = List.of(OUT, DURATION, CHECKPOINT, INCLUDE, EXCLUDE, WRAPPERS,
            STACK_DEPTH, JDK_INTERNAL, FLOWS, MAX_SITES, SAMPLE_INTERVAL, KERNEL, KERNEL_SAMPLES, REPORT, PROFILE,
            PROFILE_INTERVAL, CACHE, METRICS, METRICS_SITES);

    /** What a bad {@code metrics} or {@code metrics-sites} value costs: the metrics only (they are served beside the recording). */
    static final String NO_METRICS = "metrics not served, recording as usual";

    private final Map<String, String> values;
    public final Path out;
    public final Duration duration;
    /** How often the open window's recording is rewritten; null = never (checkpoint=off). */
    public final Duration checkpoint;
    public final List<String> include;
    public final List<String> exclude;
    public final List<String> wrappers;
    public final int stackDepth;
    public final boolean jdkInternal;
    /** Provenance on: flows between reads and writes are recorded. */
    public final boolean flows;
    public final int maxSites;
    public final int sampleInterval;
    public final String kernel;
    public final boolean kernelSamples;
    public final List<String> report;
    public final String profile;
    public final long profileIntervalNanos;
    /** The woven-class cache's folder, or null for {@code cache=off} or no default folder. */
    public final Path cache;
    /** Why the default cache folder cannot be used, or null. */
    public final String cacheUnavailable;
    /** Where {@code /metrics} is served (unresolved), or null: no listener ({@code metrics=off}, or a bad value). */
    public final java.net.InetSocketAddress metrics;
    /** Call sites with their own metric series. */
    public final int metricsSites;
    /** Problems that cost a feature but not the recording, one line each, to print when the window opens. */
    public final List<String> warnings = new ArrayList<>();

    /** Invalid options: one line per problem, each naming the option and its allowed values. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;
        private final List<String> lines;

        Invalid(List<String> lines) {
            super(String.join("; ", lines));
            this.lines = List.copyOf(lines);
        }

        /** The problems, one per line, ready to print. */
        public List<String> lines() {
            return lines;
        }
    }

    private AgentOptions(Map<String, String> v, List<String> problems) {
        this.values = v;
        out = OUT.read(v, problems);
        duration = DURATION.read(v, problems);
        checkpoint = CHECKPOINT.read(v, problems);
        include = INCLUDE.read(v, problems);
        exclude = EXCLUDE.read(v, problems);
        wrappers = WRAPPERS.read(v, problems);
        stackDepth = STACK_DEPTH.read(v, problems);
        jdkInternal = JDK_INTERNAL.read(v, problems).equals("true");
        flows = FLOWS.read(v, problems).equals("on");
        maxSites = MAX_SITES.read(v, problems);
        sampleInterval = SAMPLE_INTERVAL.read(v, problems);
        kernel = KERNEL.read(v, problems);
        kernelSamples = KERNEL_SAMPLES.read(v, problems).equals("on");
        report = REPORT.read(v, problems);
        profile = PROFILE.read(v, problems);
        profileIntervalNanos = PROFILE_INTERVAL.read(v, problems).toNanos();
        String c = CACHE.read(v, problems);
        cache = c.equals("off") ? null
                : c.isBlank() || c.equals("default") ? WovenClassCache.defaultRoot() : Path.of(c);
        cacheUnavailable = cache == null && !c.equals("off")
                ? "no absolute home or XDG_CACHE_HOME folder for the default cache: set cache=DIR" : null;
        java.net.InetSocketAddress at = METRICS.read(v, warnings, NO_METRICS);
        metricsSites = METRICS_SITES.read(v, warnings, NO_METRICS);
        metrics = warnings.isEmpty() ? at : null;
    }

    /**
     * Parses the agent argument string with system properties and environment as fallbacks.
     *
     * @throws Invalid listing every bad option
     */
    public static AgentOptions parse(String agentArgs, Properties props, Map<String, String> env) throws Invalid {
        List<String> problems = new ArrayList<>();
        Map<String, String> given = new LinkedHashMap<>();
        String last = null;
        if (agentArgs != null && !agentArgs.isBlank()) {
            for (String token : agentArgs.split(",")) {
                int eq = token.indexOf('=');
                if (eq < 0) {
                    OptionSpec<?> continued = last == null ? null : spec(last);
                    if (continued != null && continued.type().isList() && !token.isBlank()) {
                        given.put(last, given.get(last) + "," + token.trim());
                    } else if (!token.isBlank()) {
                        problems.add(problem(token.trim(), "is not key=value", "one of " + names()));
                    }
                    continue;
                }
                last = token.substring(0, eq).trim();
                given.put(last, token.substring(eq + 1).trim());
            }
        }
        Map<String, String> v = new LinkedHashMap<>();
        for (String key : given.keySet()) {
            if (spec(key) == null) problems.add("copytrace: unknown option '" + key + "': allowed options are " + names() + "; agent disabled");
        }
        for (OptionSpec<?> s : SPECS) {
            String value = given.get(s.name());
            if (value == null) value = props.getProperty(s.property());
            if (value == null) value = env.get(s.environment());
            v.put(s.name(), value == null ? s.defaultValue() : value);
        }
        AgentOptions o = new AgentOptions(v, problems);
        if (!problems.isEmpty()) throw new Invalid(problems);
        return o;
    }

    /** The effective value of every option, for the recording. */
    public Map<String, String> effective() {
        return new LinkedHashMap<>(values);
    }

    /** Every option with its default, what it allows and what it does: for {@code copytrace attach --help}. */
    static String help() {
        StringBuilder sb = new StringBuilder();
        for (OptionSpec<?> s : SPECS) {
            sb.append("  ").append(s.name()).append(" (default ")
                    .append(s.defaultValue().isEmpty() ? "empty" : s.defaultValue()).append(")\n");
            wrap(sb, "allowed: " + s.allowed());
            wrap(sb, s.help());
        }
        return sb.toString();
    }

    /** Appends {@code text} in lines of at most 80 characters, indented by 6. */
    private static void wrap(StringBuilder sb, String text) {
        int lineStart = sb.length();
        sb.append("     ");
        for (String word : text.split(" ")) {
            if (sb.length() - lineStart + 1 + word.length() > 80) {
                sb.append('\n');
                lineStart = sb.length();
                sb.append("     ");
            }
            sb.append(' ').append(word);
        }
        sb.append('\n');
    }

    /** Formats one problem line: the option, what is wrong, what is allowed. */
    static String problem(String option, String what, String allowed) {
        return problem(option, what, allowed, "agent disabled");
    }

    /** As {@link #problem(String, String, String)}, ending in what the problem costs. */
    static String problem(String option, String what, String allowed, String consequence) {
        return "copytrace: bad option " + option + " (" + what + "): allowed: " + allowed + "; " + consequence;
    }

    static OptionSpec<?> spec(String name) {
        for (OptionSpec<?> s : SPECS) if (s.name().equals(name)) return s;
        return null;
    }

    private static String names() {
        StringBuilder sb = new StringBuilder();
        for (OptionSpec<?> s : SPECS) sb.append(sb.length() == 0 ? "" : ", ").append(s.name());
        return sb.toString();
    }

    /**
     * What a kernel mode costs, when its window counts with perf ({@code source}): said once when the window opens
     * (on stderr at launch, in the attach command's answer), or null for /proc.
     */
    static String kernelNote(String kernelOption, String source) {
        if (!source.startsWith("perf")) return null;
        if (kernelOption.equals("sampled")) {
            return "kernel=sampled counts syscalls 100 ms in every second and extrapolates (~+20 ns per syscall of this"
                    + " JVM); closing its counters adds ~0.8 s when the window ends";
        }
        return "kernel=perf is the audit mode: every syscall of this JVM is counted exactly, at ~40-170 ns each in the"
                + " kernel, and closing the counters adds ~0.8 s when the window ends (kernel=proc costs nothing per call)";
    }
}
