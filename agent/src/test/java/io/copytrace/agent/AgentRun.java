// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs a workload in a forked JVM, with or without the real agent jar, and collects what it left. */
public final class AgentRun {
    private final Jdk jdk;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> extraClassPath = new ArrayList<>();
    private boolean testLibraries;
    private String agentArgs;
    private final Path work;

    /** Work folders of this test JVM, deleted when it exits (workloads leave up to ~100 MB each). */
    private static final List<Path> TEMP = new java.util.concurrent.CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!Boolean.getBoolean("copytrace.keepWork")) TEMP.forEach(AgentRun::deleteTree);
        }));
    }

    private AgentRun(Jdk jdk) throws IOException {
        this.jdk = jdk;
        this.work = tempDir("copytrace-it");
    }

    /**
     * A temporary folder deleted when the test JVM exits; {@code -Dcopytrace.keepWork=true} keeps them
     * for a look after a failure.
     */
    public static Path tempDir(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        TEMP.add(dir);
        return dir;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException gone) {
            // best effort: a temporary folder
        }
    }

    /** A run on {@code jdk}; add {@link #agent} for the agent. */
    public static AgentRun on(Jdk jdk) throws IOException {
        return new AgentRun(jdk);
    }

    /** Attaches the agent with {@code out=<work>/rec} plus {@code extra} options ("" for none). */
    public AgentRun agent(String extra) {
        this.agentArgs = "out=" + work.resolve("rec") + (extra.isEmpty() ? "" : "," + extra);
        return this;
    }

    /** Attaches the agent with exactly these options (no out= added). */
    public AgentRun agentRaw(String args) {
        this.agentArgs = args;
        return this;
    }

    /** Adds a JVM option. */
    public AgentRun jvm(String arg) {
        jvmArgs.add(arg);
        return this;
    }

    /** Puts a jar or folder on the workload's class path, after the workloads' classes. */
    public AgentRun classPath(Path entry) {
        extraClassPath.add(entry.toString());
        return this;
    }

    /**
     * Also puts the test-scope libraries of the tests' class path on the workload's (a real Kafka broker and its
     * dependencies): every jar but copytrace's own (the modules' class folders and jars, the {@code io.copytrace}
     * artifacts), the agent's third-party libraries and the test framework ({@link #NOT_WORKLOAD_LIBRARIES}).
     */
    public AgentRun testLibraries() {
        this.testLibraries = true;
        return this;
    }

    /** The directory this run owns. */
    public Path work() {
        return work;
    }

    /** Runs {@code Workloads <scenario> <work>/files} and waits for it. */
    public Result run(String scenario) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(jdk.java().toString());
        if (agentArgs != null) cmd.add("-javaagent:" + agentJar() + "=" + agentArgs);
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        String base = testLibraries ? String.join(java.io.File.pathSeparator, classPath(),
                String.join(java.io.File.pathSeparator, testLibraryJars())) : classPath();
        cmd.add(String.join(java.io.File.pathSeparator, base, String.join(java.io.File.pathSeparator,
                extraClassPath)));
        cmd.add("io.copytrace.agent.workloads.Workloads");
        cmd.add(scenario);
        cmd.add(work.resolve("files").toString());
        Path out = work.resolve("stdout");
        Path err = work.resolve("stderr");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("XDG_CACHE_HOME"); // the woven-class cache's default follows user.home here
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(scenario + " on " + jdk + " did not finish in 180 s");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err), work);
    }

    /**
     * Repository folders of the libraries some workloads use: Netty, Jetty and Jetty's logging API. Nothing
     * the agent itself is built from (Byte Buddy, JNA, picocli, the analyzer) may reach the workload.
     */
    static final List<String> WORKLOAD_LIBRARIES = List.of("/io/netty/", "/org/eclipse/jetty/", "/org/slf4j/");

    /** The workloads' classes plus the libraries some of them use; never the agent's own classes. */
    static String classPath() {
        StringBuilder cp = new StringBuilder(System.getProperty("copytrace.testClasses", "target/test-classes"));
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (WORKLOAD_LIBRARIES.stream().anyMatch(entry::contains)) cp.append(java.io.File.pathSeparator).append(entry);
        }
        return cp.toString();
    }

    /**
     * Repository folders of jars that are not workload libraries: copytrace, the agent's own libraries (it loads
     * them through its own loader), the test framework, and Netty (always on, see {@link #classPath()}).
     */
    static final List<String> NOT_WORKLOAD_LIBRARIES = List.of("/io/copytrace/", "/net/bytebuddy/",
            "/net/java/dev/jna/", "/info/picocli/", "/tools/profiler/", "/org/junit/", "/org/opentest4j/",
            "/org/apiguardian/", "/org/apache/maven/", "/io/netty/");

    /** The library jars of the tests' class path that {@link #testLibraries()} adds. */
    static List<String> testLibraryJars() {
        List<String> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path name = Path.of(entry).getFileName();
            if (name == null || !name.toString().endsWith(".jar") || name.toString().startsWith("copytrace")
                    || NOT_WORKLOAD_LIBRARIES.stream().anyMatch(entry::contains)) continue;
            jars.add(entry);
        }
        return jars;
    }

    static String agentJar() {
        return System.getProperty("copytrace.jar", "target/copytrace.jar");
    }

    /** What a run left: exit status, output, and the recording (when one was written). */
    public record Result(int exit, String stdout, String stderr, Path work) {
        /** The {@code TRUTH key=value} lines the workload printed. */
        public Map<String, Long> truth() {
            Map<String, Long> t = new LinkedHashMap<>();
            for (String line : stdout.split("\n")) {
                if (line.startsWith("TRUTH ")) {
                    String[] kv = line.substring(6).split("=");
                    t.put(kv[0], Long.parseLong(kv[1].trim()));
                }
            }
            return t;
        }

        /** The single recording the agent wrote. */
        public RecordingView recording() throws Exception {
            Path dir = work.resolve("rec");
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(f -> f.getFileName().toString().matches("recording-\\d+\\.json")).toList();
            }
            if (files.size() != 1) throw new AssertionError("expected one recording in " + dir + ", found " + files
                    + "\nstderr: " + stderr);
            return RecordingView.read(files.get(0));
        }
    }
}
