// SPDX-License-Identifier: Apache-2.0
package io.copytrace.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files under src/test/resources/golden. Regenerate them after an intended change with
 * {@code mvn -pl analyzer test -Dcopytrace.updateGoldens=true} and review the diff.
 */
public final class Golden {
    static final Path DIR = Path.of("src/test/resources/golden");
    static final boolean UPDATE = Boolean.getBoolean("copytrace.updateGoldens");

    private Golden() {}

    /** Compares {@code actual} with the golden file, or rewrites it when updating. */
    public static void check(String name, String actual) {
        Path file = DIR.resolve(name);
        try {
            if (UPDATE || !Files.exists(file)) {
                Files.createDirectories(DIR);
                Files.writeString(file, actual, StandardCharsets.UTF_8);
                if (!UPDATE) throw new AssertionError(file + " did not exist and was written: review and commit it");
                return;
            }
            String expected = Files.readString(file, StandardCharsets.UTF_8);
            assertEquals(expected, actual, name + " differs from its golden file (intended? rerun with "
                    + "-Dcopytrace.updateGoldens=true and review the diff)");
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }
}
