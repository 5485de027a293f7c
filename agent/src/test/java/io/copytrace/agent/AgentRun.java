// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import io.copytrace.testing.ForkedJvm;
import io.copytrace.testing.Jdk;
import io.copytrace.testing.ReportView;
import io.copytrace.testing.StdoutProtocol;
import io.copytrace.testing.WorkFolders;
import org.junit.jupiter.api.Assumptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs a workload in a forked JVM, with or without the real agent jar, and collects what it left. */
public final class AgentRun {
    /** The workloads' main class: {@code Workloads <scenario> <work>/files}. */
    static final String WORKLOADS = "io.copytrace.agent.workloads.Workloads";
    private final Jdk jdk;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> extraClassPath = new ArrayList<>();
    private boolean testLibraries;
    private String agentArgs;
    private final Path work;

    private AgentRun(Jdk jdk) throws IOException {
        this.jdk = jdk;
        this.work = tempDir("copytrace-it");
    }

    /** A work folder ({@link WorkFolders}): deleted when the test JVM exits unless -Dcopytrace.keepWork=true. */
    public static Path tempDir(String prefix) throws IOException {
        return WorkFolders.create(prefix);
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

    /**
     * Tells the workload to drop the page cache ({@code -Ddrop=true}), which needs root: the test is skipped
     * (an assumption) without it.
     */
    public AgentRun droppingPageCache() {
        Assumptions.assumeTrue(java.nio.file.Files.isWritable(Path.of("/proc/sys/vm/drop_caches")),
                "dropping the page cache needs root");
        return jvm("-Ddrop=true");
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
        ForkedJvm.Exit exit = fork(scenario).run(180);
        return new Result(exit.exit(), exit.stdout(), exit.stderr(), work);
    }

    /** Starts {@code Workloads <scenario> <work>/files}, for a test that talks to it or kills it. */
    public ForkedJvm.Running start(String scenario) throws Exception {
        return fork(scenario).start();
    }

    private ForkedJvm fork(String scenario) {
        ForkedJvm fork = ForkedJvm.of(jdk).in(work);
        if (agentArgs != null) fork.jvm("-javaagent:" + agentJar() + "=" + agentArgs);
        List<String> cp = new ArrayList<>(List.of(classPath()));
        if (testLibraries) cp.addAll(testLibraryJars());
        cp.addAll(extraClassPath);
        return fork.jvm(jvmArgs).classPath(cp).main(WORKLOADS, scenario, work.resolve("files").toString())
                .without("XDG_CACHE_HOME"); // the woven-class cache's default follows user.home here
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
            return StdoutProtocol.truth(stdout);
        }

        /** The single recording the agent wrote. */
        public RecordingView recording() throws Exception {
            return RecordingView.read(ReportView.onlyRecording(work.resolve("rec"), stderr));
        }
    }
}
