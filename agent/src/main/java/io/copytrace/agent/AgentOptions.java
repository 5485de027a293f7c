// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import io.copytrace.agent.weave.WovenClassCache;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * The agent's one options parser. Options come from {@code -javaagent:copytrace.jar=k=v,k=v}, else the
 * system property {@code copytrace.k}, else the environment variable {@code COPYTRACE_K} (dashes become
 * underscores). A comma-separated token without {@code =} continues the previous option's list
 * of a list option ({@code include=com.acme,org.foo}). Every problem is collected, then reported together.
 */
public final class AgentOptions {
    /** One option: its name, default, what it allows (said in errors) and its meaning (for the docs). */
    public record Spec(String name, String defaultValue, String allowed, String meaning) {}

    /** The option table; docs/options.md mirrors it. */
    public static final List<Spec> SPECS = List.of(
        new Spec("out", "copytrace-recording", "a writable directory",
                "Directory the recording (recording-PID.json) is written to."),
        new Spec("duration", "", "a duration like 500ms, 30s, 5m, 1h (empty = until the JVM exits)",
                "Length of the recording window from agent start; the recording is written when it ends."),
        new Spec("checkpoint", "60s", "a duration like 500ms, 30s, 5m, or off",
                "Rewrite the recording this often while the window is open, so a hard kill (kill -9, a crash, an OOM"
                        + " kill) loses at most one interval; off writes it only when the window closes."),
        new Spec("include", "", "comma-separated package or class prefixes",
                "Only call sites under these prefixes are recorded per site; others fold into one \"excluded\" row."),
        new Spec("exclude", "", "comma-separated package or class prefixes",
                "Call sites under these prefixes fold into one \"excluded\" row."),
        new Spec("wrappers", "", "comma-separated package or class prefixes",
                "I/O wrapper libraries to look through when finding the call site (JDK frames always are)."),
        new Spec("stack-depth", "16", "an integer from 1 to 256", "Frames kept per call site stack."),
        new Spec("jdk-internal", "true", "true or false",
                "Record the JDK's own I/O (jar reads, no application frame) per site, labelled jdk-internal; false folds it into one row."),
        new Spec("flows", "on", "on or off",
                "Follow the bytes: match each write's memory to the read that filled it (relays across classes and"
                        + " threads, docs/provenance.md); off saves its per-call cost and finds no relays."),
        new Spec("max-sites", "10000", "an integer from 1 to 1000000",
                "Distinct call sites kept; later ones fold into one \"other\" row (said in the recording)."),
        new Spec("sample-interval", "1024", "an integer from 1 to 65536",
                "Most calls per thread and operation between two stack walks. 1 walks every call: exact per-site attribution at a higher cost."),
        new Spec("kernel", "proc", "perf, sampled, proc or off",
                "Kernel-side counters for the window: /proc per process and per thread (the default: costs nothing per"
                        + " call), perf tracepoints counting every syscall exactly (the audit mode: +40-170 ns per syscall"
                        + " and ~0.8 s when the window closes; falls back to /proc when refused), the same counting 100 ms"
                        + " in every 1 s after the first second and extrapolated with a 95 % interval, or none."),
        new Spec("kernel-samples", "off", "on or off",
                "Ring-buffer samples of every data syscall (bytes per descriptor); costs more than counting, and needs"
                        + " perf: with kernel=proc it counts through perf too."),
        new Spec("report", "", "comma-separated formats among text, md, html, json (empty = none)",
                "Reports to write next to the recording when the window closes (recording-PID.report.html, ...)."),
        new Spec("profile", "off", "off, cpu or itimer",
                "CPU time spent copying, per call site, sampled with async-profiler during the window: cpu = perf events"
                        + " with kernel stacks (user frames only when perf is refused), itimer = user frames only."
                        + " Also writes recording-PID.flame.html. off loads nothing."),
        new Spec("profile-interval", "1ms", "an interval from 100us to 1s, like 500us, 1ms, 10ms",
                "CPU time between two profiling samples."),
        new Spec("cache", "default", "default, off, or a directory",
                "Where woven JDK classes are kept between runs, so later start-ups skip Byte Buddy:"
                        + " default = $XDG_CACHE_HOME/copytrace or ~/.cache/copytrace; off weaves every start."));

    /** Options whose value is a list: a comma-separated word without '=' continues them. */
    static final java.util.Set<String> LISTS = java.util.Set.of("include", "exclude", "wrappers", "report");
    /** Report formats the analyzer writes. */
    static final List<String> REPORT_FORMATS = List.of("text", "md", "html", "json");

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
        out = Path.of(v.get("out"));
        duration = parse(v, "duration", problems, AgentOptions::duration);
        checkpoint = v.get("checkpoint").equals("off") ? null : parse(v, "checkpoint", problems, AgentOptions::duration);
        include = list(v.get("include"));
        exclude = list(v.get("exclude"));
        wrappers = list(v.get("wrappers"));
        stackDepth = intIn(v, "stack-depth", 1, 256, problems);
        jdkInternal = choice(v, "jdk-internal", problems, "true", "false").equals("true");
        flows = choice(v, "flows", problems, "on", "off").equals("on");
        maxSites = intIn(v, "max-sites", 1, 1_000_000, problems);
        sampleInterval = intIn(v, "sample-interval", 1, 65_536, problems);
        kernel = choice(v, "kernel", problems, "perf", "sampled", "proc", "off");
        kernelSamples = choice(v, "kernel-samples", problems, "on", "off").equals("on");
        report = list(v.get("report"));
        profile = choice(v, "profile", problems, "off", "cpu", "itimer");
        Long interval = parse(v, "profile-interval", problems, AgentOptions::intervalNanos);
        profileIntervalNanos = interval == null ? 1_000_000 : interval;
        String c = v.get("cache");
        cache = c.equals("off") ? null
                : c.isBlank() || c.equals("default") ? WovenClassCache.defaultRoot() : Path.of(c);
        cacheUnavailable = cache == null && !c.equals("off")
                ? "no absolute home or XDG_CACHE_HOME folder for the default cache: set cache=DIR" : null;
        for (String f : report) {
            if (!REPORT_FORMATS.contains(f)) {
                problems.add(problem("report=" + v.get("report"), "'" + f + "' is not a format", spec("report").allowed()));
                break;
            }
        }
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
                    if (last != null && LISTS.contains(last) && !token.isBlank()) {
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
        for (Spec s : SPECS) {
            String value = given.get(s.name());
            if (value == null) value = props.getProperty("copytrace." + s.name());
            if (value == null) value = env.get("COPYTRACE_" + s.name().toUpperCase(Locale.ROOT).replace('-', '_'));
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

    /** Formats one problem line: the option, what is wrong, what is allowed. */
    static String problem(String option, String what, String allowed) {
        return "copytrace: bad option " + option + " (" + what + "): allowed: " + allowed + "; agent disabled";
    }

    static Spec spec(String name) {
        for (Spec s : SPECS) if (s.name().equals(name)) return s;
        return null;
    }

    private static String names() {
        StringBuilder sb = new StringBuilder();
        for (Spec s : SPECS) sb.append(sb.length() == 0 ? "" : ", ").append(s.name());
        return sb.toString();
    }

    private static List<String> list(String v) {
        List<String> out = new ArrayList<>();
        for (String p : v.split(",")) if (!p.isBlank()) out.add(p.trim());
        return out;
    }

    private static <T> T parse(Map<String, String> v, String name, List<String> problems, Function<String, T> f) {
        try {
            return f.apply(v.get(name));
        } catch (RuntimeException x) {
            problems.add(problem(name + "=" + v.get(name), x.getMessage(), spec(name).allowed()));
            return null;
        }
    }

    private static int intIn(Map<String, String> v, String name, int min, int max, List<String> problems) {
        String raw = v.get(name);
        try {
            int n = Integer.parseInt(raw.trim());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problems.add(problem(name + "=" + raw, "not an integer from " + min + " to " + max, spec(name).allowed()));
        return Integer.parseInt(spec(name).defaultValue());
    }

    private static String choice(Map<String, String> v, String name, List<String> problems, String... allowed) {
        String raw = v.get(name).trim().toLowerCase(Locale.ROOT);
        for (String a : allowed) if (a.equals(raw)) return a;
        problems.add(problem(name + "=" + v.get(name), "not one of the allowed values", spec(name).allowed()));
        return spec(name).defaultValue();
    }

    /** Shortest and longest profiling interval, in nanoseconds. */
    static final long MIN_INTERVAL_NANOS = 100_000;
    static final long MAX_INTERVAL_NANOS = 1_000_000_000;

    /** Parses a profiling interval (500us, 1ms, 1s) into nanoseconds, from 100us to 1s. */
    static Long intervalNanos(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        long unit;
        String num;
        if (t.endsWith("us")) {
            unit = 1_000;
            num = t.substring(0, t.length() - 2);
        } else if (t.endsWith("ms")) {
            unit = 1_000_000;
            num = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            unit = 1_000_000_000;
            num = t.substring(0, t.length() - 1);
        } else {
            throw new IllegalArgumentException("no unit (us, ms or s)");
        }
        long n;
        try {
            n = Long.parseLong(num.trim());
        } catch (NumberFormatException x) {
            throw new IllegalArgumentException("not a number");
        }
        if (n <= 0 || n > MAX_INTERVAL_NANOS / unit || n * unit < MIN_INTERVAL_NANOS) {
            throw new IllegalArgumentException("not from 100us to 1s");
        }
        return n * unit;
    }

    /** Parses 500ms, 30s, 5m, 1h; empty means no limit (null). */
    static Duration duration(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) return null;
        long unit;
        String num;
        if (t.endsWith("ms")) {
            unit = 1;
            num = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            unit = 1000;
            num = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            unit = 60_000;
            num = t.substring(0, t.length() - 1);
        } else if (t.endsWith("h")) {
            unit = 3_600_000;
            num = t.substring(0, t.length() - 1);
        } else {
            throw new IllegalArgumentException("no unit (ms, s, m or h)");
        }
        long n;
        try {
            n = Long.parseLong(num);
        } catch (NumberFormatException x) {
            throw new IllegalArgumentException("not a number");
        }
        if (n <= 0) throw new IllegalArgumentException("must be positive");
        return Duration.ofMillis(n * unit);
    }
}
