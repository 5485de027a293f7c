// SPDX-License-Identifier: Apache-2.0
package io.copytrace.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A JDK the end-to-end tests fork: the one running the build (17) and Temurin 25. */
public record Jdk(String name, Path home, int feature) {
    /** Every JDK the tests must run on; a missing one fails the build rather than skipping. */
    public static List<Jdk> all() {
        Path jdk25 = Path.of(System.getProperty("copytrace.jdk25.home", "/usr/lib/jvm/temurin-25-jdk-amd64"));
        if (!Files.isExecutable(jdk25.resolve("bin/java"))) {
            throw new IllegalStateException("Temurin 25 is required for the end-to-end tests at " + jdk25);
        }
        return List.of(current(), new Jdk("jdk25", jdk25, 25));
    }

    /** The JDK running the tests. */
    public static Jdk current() {
        return new Jdk("jdk" + Runtime.version().feature(), Path.of(System.getProperty("java.home")),
                Runtime.version().feature());
    }

    /** The java launcher. */
    public Path java() {
        return home.resolve("bin/java");
    }

    @Override
    public String toString() {
        return name;
    }
}
