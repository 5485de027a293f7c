// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.profile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import one.profiler.AsyncProfiler;

/**
 * Loads async-profiler's native library, which its jar (inside ours, under {@code inst/}) carries as a
 * resource. The resource is a {@code jar:} URL that {@code System.load} cannot open, so it is extracted to a
 * temporary file, loaded, and the file deleted (the mapping stays). Only touched when profiling is on:
 * with {@code profile=off} neither this class nor {@code one.profiler} is ever loaded.
 */
final class ProfilerLibrary {
    /**
     * The profiler this agent loaded, or null: a library cannot be unloaded, so a later window (the agent's
     * loader lives as long as the JVM) starts the same one again.
     */
    private static AsyncProfiler loaded;

    private ProfilerLibrary() {}

    /** Loads the library (once per JVM) and returns the profiler; throws with a message the user can act on. */
    static synchronized AsyncProfiler load() throws IOException {
        if (loaded == null) loaded = loadLibrary();
        return loaded;
    }

    private static AsyncProfiler loadLibrary() throws IOException {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            throw new IOException("CPU profiling needs Linux (async-profiler's library in the agent is for Linux)");
        }
        String arch = System.getProperty("os.arch", "");
        String dir = switch (arch) {
            case "amd64", "x86_64" -> "linux-x64";
            case "aarch64", "arm64" -> "linux-arm64";
            default -> throw new IOException("no async-profiler library for the " + arch + " architecture");
        };
        String loaded = alreadyMapped();
        if (loaded != null) {
            throw new IOException("async-profiler is already loaded in this JVM (" + loaded
                    + "): a second copy would fight over the profiling signal");
        }
        String resource = dir + "/libasyncProfiler.so";
        // Named like the library so /proc/self/maps shows "libasyncProfiler" (alreadyMapped finds it too).
        Path tmp = Files.createTempFile("libasyncProfiler-copytrace-", ".so");
        try {
            try (InputStream in = ProfilerLibrary.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) throw new IOException("the agent jar has no " + resource);
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            try {
                return AsyncProfiler.getInstance(tmp.toString());
            } catch (UnsatisfiedLinkError e) {
                throw new IOException("cannot load async-profiler from " + tmp + " (" + e.getMessage()
                        + "); if the temporary directory is mounted noexec, set -Djava.io.tmpdir to one that is not");
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The path of an async-profiler library already mapped into this process, or null. */
    static String alreadyMapped() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int at = line.indexOf('/');
                if (at >= 0 && line.contains("libasyncProfiler")) return line.substring(at);
            }
        } catch (IOException | RuntimeException unreadable) {
            // No /proc: nothing known to be loaded.
        }
        return null;
    }
}
