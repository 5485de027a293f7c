// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import io.copytrace.testing.Jdk;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A workload in its own JVM that agents are loaded into while it runs: started until it prints
 * {@code READY <pid>}, then driven through its stdin, one line in and one line out ({@link #ask}), or let run
 * to its end ({@link #finish}).
 */
final class AttachedApp implements AutoCloseable {
    final Process process;
    final Path work;
    final Path rec;
    final String pid;
    private final BufferedReader lines;
    private final OutputStream in;
    private final StringBuilder out = new StringBuilder();

    private AttachedApp(Process process, Path work, String pid, BufferedReader lines) {
        this.process = process;
        this.work = work;
        this.rec = work.resolve("rec");
        this.pid = pid;
        this.lines = lines;
        this.in = process.getOutputStream();
    }

    /** {@code Workloads <scenario> <work>/files} on {@code jdk}, with {@code jvmArgs}, once it is ready. */
    static AttachedApp start(Jdk jdk, Path work, String scenario, String... jvmArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString(), "-XX:+IgnoreUnrecognizedVMOptions",
                "-XX:+EnableDynamicAgentLoading"));
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", AgentRun.classPath(), "io.copytrace.agent.workloads.Workloads", scenario,
                work.resolve("files").toString()));
        Process p = new ProcessBuilder(cmd).redirectError(work.resolve("stderr").toFile()).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = lines.readLine()) != null; ) {
            seen.append(line).append('\n');
            if (line.startsWith("READY ")) {
                AttachedApp app = new AttachedApp(p, work, line.substring(6).trim(), lines);
                app.out.append(seen);
                return app;
            }
        }
        p.destroyForcibly();
        throw new AssertionError("the app did not get ready: " + seen + Files.readString(work.resolve("stderr")));
    }

    /** Loads the agent jar into the waiting JVM with the Attach API; returns what the agent said. */
    String attach(String options) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(pid);
        try {
            vm.loadAgent(AgentRun.agentJar(), options);
            return vm.getAgentProperties().getProperty(AgentMain.STATUS);
        } finally {
            vm.detach();
        }
    }

    /** Sends one command line and returns the app's answer line. */
    String ask(String command) throws Exception {
        in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
        String answer = lines.readLine();
        if (answer == null) throw new AssertionError("the app ended: " + Files.readString(work.resolve("stderr")));
        return answer;
    }

    /** The app's stderr so far. */
    String stderr() throws Exception {
        return Files.readString(work.resolve("stderr"));
    }

    /** Sends {@code last} and closes the app's stdin, lets it run to its end; fails unless it exits 0. */
    AgentRun.Result finish(String last) throws Exception {
        in.write((last + "\n").getBytes(StandardCharsets.UTF_8));
        in.close();
        for (String line; (line = lines.readLine()) != null; ) out.append(line).append('\n');
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the app did not end");
        String stderr = stderr();
        assertEquals(0, process.exitValue(), stderr);
        return new AgentRun.Result(0, out.toString(), stderr, work);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    /** {@code java -jar copytrace.jar ARGS} run in {@code dir}, and what it printed. */
    record Cli(int exit, String stdout, String stderr) {
        static Cli run(Jdk jdk, Path dir, String... args) throws Exception {
            List<String> cmd = new ArrayList<>(List.of(jdk.java().toString(), "-jar", Path.of(AgentRun.agentJar())
                    .toAbsolutePath().toString()));
            cmd.addAll(List.of(args));
            Path out = Files.createTempFile(dir, "cli", ".out");
            Path err = Files.createTempFile(dir, "cli", ".err");
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "copytrace " + String.join(" ", args) + " did not end");
            return new Cli(p.exitValue(), Files.readString(out), Files.readString(err));
        }
    }
}
