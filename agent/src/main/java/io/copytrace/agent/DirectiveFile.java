// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The file a HotSpot compiler directive (JEP 165 text) is added from: the diagnostic command
 * {@code Compiler.directives_add} reads a file. Kept in the woven-class cache's folder between runs when it can
 * be, so adding it later only runs the command; else written next to the recording (the user's own folder, not a
 * shared temporary one) and deleted once the command read it. Plain {@code java.io} only: a directive is added as
 * the application starts, when NIO's file classes (some are hooked) loaded early would change which classes the
 * woven-class cache sees loaded from one start to the next. Used by {@link WalkCompiles} and {@link ExitCompiles}.
 */
final class DirectiveFile {
    private DirectiveFile() {}

    /**
     * The file {@code name} in {@code folder} holding {@code text}, written unless it already does (whole or not
     * at all: a sibling renamed over it); null when {@code folder} is null or cannot be written.
     */
    static File kept(Path folder, String name, String text) {
        if (folder == null) return null;
        try {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            File file = new File(folder.toFile(), name);
            if (holds(file, bytes)) return file;
            File sibling = new File(folder.toFile(), name + "." + ProcessHandle.current().pid());
            write(sibling, bytes);
            if (!sibling.renameTo(file)) sibling.delete();
            return holds(file, bytes) ? file : null;
        } catch (IOException | RuntimeException readOnly) {
            return null;
        }
    }

    /**
     * Adds {@code text} through {@code jit}: from {@code kept} when given, else from a file next to
     * {@code recording} (named after it with {@code suffix}) deleted after the command read it. Whether the JVM
     * took it.
     */
    static boolean add(ExitCompiles jit, File kept, String text, Path recording, String suffix) {
        if (kept != null && jit.add(kept.toPath())) return true;
        File temp = recording.resolveSibling("." + recording.getFileName() + suffix).toFile();
        try {
            write(temp, text.getBytes(StandardCharsets.UTF_8));
            return jit.add(temp.toPath());
        } catch (IOException | RuntimeException cannot) {
            return false;
        } finally {
            temp.delete();
        }
    }

    private static boolean holds(File file, byte[] bytes) throws IOException {
        if (file.length() != bytes.length) return false; // 0 when missing
        try (FileInputStream in = new FileInputStream(file)) {
            return Arrays.equals(in.readAllBytes(), bytes);
        }
    }

    private static void write(File file, byte[] bytes) throws IOException {
        try (FileOutputStream out = new FileOutputStream(file)) {
            out.write(bytes);
        }
    }
}
