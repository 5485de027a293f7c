// SPDX-License-Identifier: Apache-2.0
package io.copytrace.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Work folders of forked runs: temporary folders deleted when the test JVM exits (workloads leave up to
 * ~100 MB each); {@code -Dcopytrace.keepWork=true} keeps them for a look after a failure.
 */
public final class WorkFolders {
    private static final List<Path> MADE = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!Boolean.getBoolean("copytrace.keepWork")) MADE.forEach(WorkFolders::deleteTree);
        }));
    }

    private WorkFolders() {}

    /** A new temporary folder named {@code prefix...}, deleted when the test JVM exits. */
    public static Path create(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        MADE.add(dir);
        return dir;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException gone) {
            // best effort: a temporary folder
        }
    }
}
