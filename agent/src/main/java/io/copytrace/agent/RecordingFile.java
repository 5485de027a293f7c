// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import io.copytrace.files.AtomicFile;
import io.copytrace.json.JsonWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The recording's file and the one way a window writes it: the tree streamed as JSON into a temporary sibling
 * renamed over it ({@link AtomicFile}), never made into one String (with 10,000 call sites the text is ~9 MB and
 * its String took ~45 MB of transient heap). Used by the window's start, warm-up, checkpoints and close.
 */
final class RecordingFile {
    private final Path file;

    RecordingFile(Path file) {
        this.file = file;
    }

    /** Writes {@code tree} as the recording; returns its length (bytes: the JSON text is ASCII). */
    long write(Map<String, Object> tree) throws IOException {
        return write(file, tree);
    }

    /**
     * Writes {@code tree} into a sibling that goes at once: the warm-up's rehearsal of the close's write path (its
     * classes pass the class cache then, not at the JVM's exit). Returns its length, as {@link #write} does.
     */
    long rehearse(Map<String, Object> tree) throws IOException {
        Path warm = sibling(".warm");
        try {
            return write(warm, tree);
        } finally {
            Files.deleteIfExists(warm);
        }
    }

    /**
     * The JDK classes the write path loads that copytrace hooks: JDK 17 renames through {@code UnixCopyFile} (21+
     * in {@code UnixFileSystem}, loaded before the agent). Loaded by {@link #prime}.
     */
    static final List<String> HOOKED_ON_WRITE_PATH = List.of("sun.nio.fs.UnixCopyFile");

    /**
     * Loads (does not run) {@link #HOOKED_ON_WRITE_PATH} at the window's start, so they are hooked in every run, not
     * at the warm-up or the close depending on how long the JVM lives: the hooked classes a run loads, and the
     * woven-class cache's list of them, then do not depend on that timing. Writing a throwaway file instead cost
     * ~40 ms of the time to main (its code cold).
     */
    static void prime() {
        for (String name : HOOKED_ON_WRITE_PATH) {
            try {
                Class.forName(name, false, null);
            } catch (Throwable absent) {
                // not in this JDK
            }
        }
    }

    private Path sibling(String suffix) {
        return file.resolveSibling("." + file.getFileName() + suffix);
    }

    private static long write(Path target, Map<String, Object> tree) throws IOException {
        return AtomicFile.write(target, new JsonText(tree));
    }

    /** The tree as JSON text. A class, not a lambda: a close that runs cold would link the lambda at the exit. */
    private record JsonText(Map<String, Object> tree) implements AtomicFile.Content {
        @Override
        public long writeTo(java.io.OutputStream out) throws IOException {
            return JsonWriter.write(tree, out);
        }
    }
}
