// SPDX-License-Identifier: Apache-2.0
package io.copytrace.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The one way the tests fork a JVM: a JDK's launcher, JVM options, a class path and a main class (or a jar)
 * with its arguments, run to its end ({@link #run}) or started to talk to ({@link #start}). What it prints
 * goes to files in its work folder ({@code stdout}, {@code stderr}, or {@code NAME.stdout} when
 * {@link #named}), so a failed run can be looked at with {@code -Dcopytrace.keepWork=true}.
 */
public final class ForkedJvm {
    private final Jdk jdk;
    private final List<String> prefix = new ArrayList<>();
    private final List<String> options = new ArrayList<>();
    private final List<String> classPath = new ArrayList<>();
    private final List<String> program = new ArrayList<>();
    private final List<String> unset = new ArrayList<>();
    private Path work;
    private String name = "";

    private ForkedJvm(Jdk jdk) {
        this.jdk = jdk;
    }

    /** A JVM of {@code jdk}; say what it runs with {@link #main} or {@link #jar}. */
    public static ForkedJvm of(Jdk jdk) {
        return new ForkedJvm(jdk);
    }

    /** The folder its output files go to (the program's own files are its business). */
    public ForkedJvm in(Path work) {
        this.work = work;
        return this;
    }

    /** Names its output files {@code NAME.stdout} and {@code NAME.stderr}, for a second run in one folder. */
    public ForkedJvm named(String name) {
        this.name = name + ".";
        return this;
    }

    /** Runs the JVM under another command, e.g. {@code setpriv --reuid=65534}. */
    public ForkedJvm under(List<String> command) {
        prefix.addAll(command);
        return this;
    }

    /** Adds JVM options. */
    public ForkedJvm jvm(List<String> jvmOptions) {
        options.addAll(jvmOptions);
        return this;
    }

    /** Adds JVM options. */
    public ForkedJvm jvm(String... jvmOptions) {
        return jvm(List.of(jvmOptions));
    }

    /** Adds class path entries. */
    public ForkedJvm classPath(List<String> entries) {
        classPath.addAll(entries);
        return this;
    }

    /** Runs {@code mainClass} with {@code args}. */
    public ForkedJvm main(String mainClass, List<String> args) {
        program.add(mainClass);
        program.addAll(args);
        return this;
    }

    /** Runs {@code mainClass} with {@code args}. */
    public ForkedJvm main(String mainClass, String... args) {
        return main(mainClass, List.of(args));
    }

    /** Runs {@code java -jar jar args}. */
    public ForkedJvm jar(String jar, String... args) {
        program.add("-jar");
        program.add(jar);
        program.addAll(List.of(args));
        return this;
    }

    /** Leaves {@code variable} out of the JVM's environment. */
    public ForkedJvm without(String variable) {
        unset.add(variable);
        return this;
    }

    /** The command line. */
    public List<String> command() {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(jdk.java().toString());
        cmd.addAll(options);
        if (!classPath.isEmpty()) {
            cmd.add("-cp");
            cmd.add(String.join(File.pathSeparator, classPath));
        }
        cmd.addAll(program);
        return cmd;
    }

    /** Where stdout goes. */
    public Path stdout() {
        return work().resolve(name + "stdout");
    }

    /** Where stderr goes. */
    public Path stderr() {
        return work().resolve(name + "stderr");
    }

    private Path work() {
        if (work == null) throw new IllegalStateException("no work folder: call in(folder)");
        return work;
    }

    private ProcessBuilder builder() {
        ProcessBuilder pb = new ProcessBuilder(command()).redirectError(stderr().toFile());
        unset.forEach(pb.environment()::remove);
        return pb;
    }

    /** Runs it to its end; fails when it takes longer than {@code timeoutSeconds} (and kills it). */
    public Exit run(int timeoutSeconds) throws IOException, InterruptedException {
        Process p = builder().redirectOutput(stdout().toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(this + " did not finish in " + timeoutSeconds + " s");
        }
        return new Exit(p.exitValue(), Files.readString(stdout()), Files.readString(stderr()));
    }

    /** Starts it with a pipe to its stdin and from its stdout; stderr still goes to its file. */
    public Running start() throws IOException {
        return new Running(this, builder().start());
    }

    @Override
    public String toString() {
        return String.join(" ", program) + " on " + jdk;
    }

    /** How a run ended and what it printed. */
    public record Exit(int exit, String stdout, String stderr) {}

    /** A started JVM: read its stdout line by line, write lines to its stdin. */
    public static final class Running implements AutoCloseable {
        private final ForkedJvm fork;
        private final Process process;
        private final BufferedReader lines;
        private final StringBuilder read = new StringBuilder();

        private Running(ForkedJvm fork, Process process) {
            this.fork = fork;
            this.process = process;
            this.lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        /** The process id. */
        public long pid() {
            return process.pid();
        }

        /** Reads stdout up to a line starting with {@code prefix} and returns it; fails when stdout ends first. */
        public String awaitLine(String prefix) throws IOException {
            for (String line; (line = lines.readLine()) != null; ) {
                read.append(line).append('\n');
                if (line.startsWith(prefix)) return line;
            }
            try {
                process.waitFor(10, TimeUnit.SECONDS); // so stderr is complete
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new AssertionError(fork + " ended before '" + prefix + "'; stdout:\n" + read + "stderr:\n"
                    + Files.readString(fork.stderr()));
        }

        /** Every line of stdout read so far. */
        public String stdoutSoFar() {
            return read.toString();
        }

        /** Writes {@code line} and a newline to its stdin. */
        public void send(String line) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        /** Reads the rest of stdout and waits for the end; fails after {@code timeoutSeconds} (and kills it). */
        public Exit finish(int timeoutSeconds) throws IOException, InterruptedException {
            for (String line; (line = lines.readLine()) != null; ) read.append(line).append('\n');
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(fork + " did not exit in " + timeoutSeconds + " s");
            }
            return new Exit(process.exitValue(), read.toString(), Files.readString(fork.stderr()));
        }

        /** Kills it (SIGKILL: no shutdown hook runs) and waits for the end; returns its exit status. */
        public int kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            return process.exitValue();
        }

        /** Whether it still runs. */
        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
