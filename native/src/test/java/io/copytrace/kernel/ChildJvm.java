// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.testing.ForkedJvm;
import io.copytrace.testing.Jdk;
import io.copytrace.testing.StdoutProtocol;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only: {@link Workload} (or another main) in a forked JVM, and what it prints: its kernel window as
 * {@code K path=value} lines and its own facts as {@code TRUTH key=value} lines ({@link StdoutProtocol}).
 */
final class ChildJvm implements AutoCloseable {
    /** The window's lines' tag. */
    static final String WINDOW = "K";

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

    static ForkedJvm command(Jdk jdk, List<String> classpath, List<String> jvmOptions, String... args) {
        return command(jdk, classpath, jvmOptions, Workload.class, args);
    }

    /** As {@link #command(Jdk, List, List, String...)} with another main class. */
    static ForkedJvm command(Jdk jdk, List<String> classpath, List<String> jvmOptions, Class<?> main,
                             String... args) {
        return ForkedJvm.of(jdk).named("child")
                .jvm("--enable-native-access=ALL-UNNAMED") // JDK 22+ warns about JNA otherwise; 17 accepts it.
                .jvm("-Xshare:auto").jvm(jvmOptions).classPath(classpath).main(main.getName(), args);
    }

    private final ForkedJvm.Running process;
    private final Map<String, String> report = new LinkedHashMap<>();
    private final Map<String, String> workload = new LinkedHashMap<>();

    ChildJvm(ForkedJvm command, Path workDir) throws IOException {
        process = command.in(workDir).start();
    }

    long pid() {
        return process.pid();
    }

    /** Reads stdout up to a line starting with {@code prefix}; returns that line. */
    String awaitLine(String prefix) throws IOException {
        String line = process.awaitLine(prefix);
        for (String read : process.stdoutSoFar().split("\n")) {
            if (!StdoutProtocol.read(read, WINDOW, report)) StdoutProtocol.read(read, StdoutProtocol.TRUTH, workload);
        }
        return line;
    }

    void send(String line) throws IOException {
        process.send(line);
    }

    /** The window as flat {@code path -> value}. */
    Map<String, String> report() {
        return report;
    }

    /** One of the child's own facts ({@code TRUTH key=value}). */
    String workload(String key) {
        return workload.get(key);
    }

    long number(String key) {
        String value = report.get(key);
        assertTrue(value != null, "no '" + key + "' in the child's report: " + report);
        return Long.parseLong(value);
    }

    /** Runs a whole non-handshake child and waits for it. */
    static ChildJvm run(ForkedJvm command, Path workDir) throws Exception {
        ChildJvm child = new ChildJvm(command, workDir);
        child.awaitLine("DONE");
        child.waitFor();
        return child;
    }

    void waitFor() throws Exception {
        process.finish(60);
    }

    @Override
    public void close() {
        process.close();
    }
}
