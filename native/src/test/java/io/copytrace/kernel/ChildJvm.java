// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Test-only: runs {@link Workload} in a forked JVM and reads its report. */
final class ChildJvm implements AutoCloseable {
    /** The JDKs every end-to-end test runs on: the one running the tests (17) and Temurin 25. */
    static Stream<String> javaHomes() {
        String jdk25 = System.getProperty("copytrace.jdk25.home", "/usr/lib/jvm/temurin-25-jdk-amd64");
        assertTrue(Files.isExecutable(Path.of(jdk25, "bin/java")), "JDK 25 expected at " + jdk25);
        return Stream.of(System.getProperty("java.home"), jdk25);
    }

    /** Only what the child needs: our classes and JNA (not JUnit, not the surefire booter). */
    static List<String> classpath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (Files.isDirectory(Path.of(entry)) || name.startsWith("jna-") || name.startsWith("copytrace-native")) {
                entries.add(entry);
            }
        }
        return entries;
    }

    static List<String> command(String javaHome, List<String> classpath, List<String> jvmOptions, String... args) {
        return command(javaHome, classpath, jvmOptions, Workload.class, args);
    }

    /** As {@link #command(String, List, List, String...)} with another main class. */
    static List<String> command(String javaHome, List<String> classpath, List<String> jvmOptions, Class<?> main,
                                String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(javaHome, "bin/java").toString());
        command.add("--enable-native-access=ALL-UNNAMED"); // JDK 22+ warns about JNA otherwise; 17 accepts it.
        command.add("-Xshare:auto");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classpath));
        command.add(main.getName());
        command.addAll(List.of(args));
        return command;
    }

    private final Process process;
    private final BufferedReader stdout;
    private final Path stderr;
    private final Map<String, String> report = new LinkedHashMap<>();
    private final Map<String, String> workload = new LinkedHashMap<>();

    ChildJvm(List<String> command, Path workDir) throws IOException {
        stderr = workDir.resolve("child-stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
        process = builder.start();
        stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    long pid() {
        return process.pid();
    }

    /** Reads stdout up to a line starting with {@code prefix}; returns that line. */
    String awaitLine(String prefix) throws IOException {
        for (String line; (line = stdout.readLine()) != null; ) {
            if (line.startsWith("K ")) {
                int eq = line.indexOf('=');
                report.put(line.substring(2, eq), line.substring(eq + 1));
            } else if (line.startsWith("W ")) {
                int eq = line.indexOf('=');
                workload.put(line.substring(2, eq), line.substring(eq + 1));
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        try {
            process.waitFor(10, TimeUnit.SECONDS); // so stderr is complete
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        fail("child ended before '" + prefix + "'; stderr:\n" + Files.readString(stderr));
        return null;
    }

    void send(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        in.flush();
    }

    /** The window as flat {@code path -> value}. */
    Map<String, String> report() {
        return report;
    }

    String workload(String key) {
        return workload.get(key);
    }

    long number(String key) {
        String value = report.get(key);
        assertTrue(value != null, "no '" + key + "' in the child's report: " + report);
        return Long.parseLong(value);
    }

    /** Runs a whole non-handshake child and waits for it. */
    static ChildJvm run(List<String> command, Path workDir) throws Exception {
        ChildJvm child = new ChildJvm(command, workDir);
        child.awaitLine("DONE");
        child.waitFor();
        return child;
    }

    void waitFor() throws Exception {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("child did not exit");
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
