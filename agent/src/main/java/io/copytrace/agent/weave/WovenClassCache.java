// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.weave;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.ZipEntry;

/**
 * Woven JDK classes kept on disk between runs, so a start-up on a machine that has seen this agent build
 * and this JDK before loads no Byte Buddy at all: weaving ~15 JDK classes costs ~0.6 s of CPU (Byte
 * Buddy's own ~1,100 classes, type pools, advice inlining), reading them back a few milliseconds.
 *
 * <p>Layout: {@code DIR/BUILD/types.txt} lists the instrumented class names of this agent build, and
 * {@code DIR/BUILD/NAME-HASH.class} holds one woven class. BUILD is a digest of every entry (name and
 * CRC) of the agent jar, so any change to the agent starts a fresh folder; HASH is a 160-bit checksum of
 * the class's original bytes, so another JDK build or library version never gets bytes woven from
 * different ones. Each file starts with that checksum and one of the woven bytes, both checked on read.
 * Writes are atomic (temporary file, rename); folders are private to the user. Only the few most
 * recently used builds are kept.
 */
public final class WovenClassCache {
    private static final byte[] MAGIC = "copytrace-woven-1\n".getBytes(StandardCharsets.US_ASCII);
    private static final String TYPES = "types.txt";
    private static final int KEPT_BUILDS = 8;
    private static final int DIGEST_LENGTH = 20;

    private final Path dir;

    private WovenClassCache(Path dir) {
        this.dir = dir;
    }

    /**
     * The cache for this agent jar under {@code root}, created if needed.
     *
     * @throws IOException when the folder cannot be made or the jar not read; the agent then weaves
     *                     every class itself
     */
    public static WovenClassCache open(Path root, Path agentJar) throws IOException {
        Path build = root.resolve(buildId(agentJar));
        if (!Files.isDirectory(build)) {
            createPrivate(root);
            createPrivate(build);
            prune(root, build);
        } else {
            try {
                Files.setLastModifiedTime(build, FileTime.fromMillis(System.currentTimeMillis())); // "recently used"
            } catch (IOException ignored) {
                // only affects which old builds are pruned
            }
        }
        if (!Files.isWritable(build)) throw new IOException(build + " is not writable");
        return new WovenClassCache(build);
    }

    /**
     * The default folder: {@code $XDG_CACHE_HOME/copytrace}, else {@code ~/.cache/copytrace}; null when
     * neither is an absolute path (the JVM says "?" for a user without a home): never the app's directory.
     */
    public static Path defaultRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home", ""), ".cache");
        return base.isAbsolute() ? base.resolve("copytrace") : null;
    }

    /** This build's folder. */
    public Path dir() {
        return dir;
    }

    /** The instrumented class names saved by an earlier run of this build, if any. */
    public Optional<Set<String>> types() {
        try {
            List<String> lines;
            try (FileInputStream in = new FileInputStream(new File(dir.toFile(), TYPES))) {
                lines = List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
            }
            if (lines.isEmpty() || !lines.get(lines.size() - 1).equals("end")) return Optional.empty();
            return Optional.of(Set.copyOf(lines.subList(0, lines.size() - 1)));
        } catch (IOException | RuntimeException missing) {
            return Optional.empty();
        }
    }

    /** Saves the instrumented class names of this build (the last line marks a complete file). */
    public void saveTypes(Set<String> names) throws IOException {
        List<String> lines = new ArrayList<>(new java.util.TreeSet<>(names));
        lines.add("end");
        write(new File(dir.toFile(), TYPES), String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    }

    /** The woven bytes for a class with these original bytes, or null when absent or damaged. */
    public byte[] get(String className, byte[] original) {
        byte[] digest = digest(original);
        File f = file(className, digest);
        if (!f.isFile()) return null;
        // java.io only, here and in put: these run inside class loading, and NIO's file classes are among
        // those being loaded (a read through them could need the very class being defined).
        try (FileInputStream in = new FileInputStream(f)) {
            byte[] file = in.readAllBytes();
            int header = MAGIC.length + 2 * DIGEST_LENGTH;
            if (file.length <= header
                    || !Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
                    || !Arrays.equals(file, MAGIC.length, MAGIC.length + DIGEST_LENGTH, digest, 0, DIGEST_LENGTH)) {
                return null;
            }
            byte[] woven = Arrays.copyOfRange(file, header, file.length);
            byte[] check = digest(woven);
            return Arrays.equals(file, MAGIC.length + DIGEST_LENGTH, header, check, 0, DIGEST_LENGTH) ? woven : null;
        } catch (IOException | RuntimeException missing) {
            return null;
        }
    }

    /** Keeps the woven bytes of a class with these original bytes. */
    public void put(String className, byte[] original, byte[] woven) throws IOException {
        byte[] digest = digest(original);
        write(file(className, digest), MAGIC, digest, digest(woven), woven);
    }

    private File file(String className, byte[] digest) {
        // Binary names are safe file names ('$' included); the digest names the version.
        return new File(dir.toFile(), className + "-" + HexFormat.of().formatHex(digest) + ".class");
    }

    private static void write(File target, byte[]... parts) throws IOException {
        File tmp = new File(target.getParentFile(), ".tmp-" + ProcessHandle.current().pid() + "-"
                + Thread.currentThread().getId() + "-" + target.getName());
        try (FileOutputStream out = new FileOutputStream(tmp)) {
            for (byte[] p : parts) out.write(p);
        }
        // rename(2) replaces atomically: a reader sees the old file or the whole new one.
        if (!tmp.renameTo(target)) {
            tmp.delete();
            throw new IOException("cannot rename " + tmp + " to " + target);
        }
    }

    /** A digest of every entry's name and CRC in the jar: reads the central directory only. */
    static String buildId(Path agentJar) throws IOException {
        Digest d = new Digest();
        try (JarFile jar = new JarFile(agentJar.toFile(), false)) {
            for (var it = jar.entries(); it.hasMoreElements(); ) {
                ZipEntry e = it.nextElement();
                d.update(e.getName().getBytes(StandardCharsets.UTF_8));
                d.update(e.getCrc());
            }
        }
        return HexFormat.of().formatHex(d.value(), 0, 12);
    }

    private static void createPrivate(Path d) throws IOException {
        if (Files.isDirectory(d)) return;
        try {
            Files.createDirectories(d, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException noPosix) {
            Files.createDirectories(d);
        }
    }

    /** Keeps the most recently used build folders; an agent upgraded often must not fill the disk. */
    private static void prune(Path root, Path current) {
        List<Path> builds = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(root, Files::isDirectory)) {
            s.forEach(builds::add);
        } catch (IOException | RuntimeException e) {
            return;
        }
        if (builds.size() <= KEPT_BUILDS) return;
        builds.sort(Comparator.comparing(WovenClassCache::modified).reversed());
        for (Path old : builds.subList(KEPT_BUILDS, builds.size())) {
            if (old.equals(current)) continue;
            try (DirectoryStream<Path> s = Files.newDirectoryStream(old)) {
                for (Path f : s) Files.deleteIfExists(f);
                Files.deleteIfExists(old);
            } catch (IOException | RuntimeException busy) {
                // Another JVM may be using it: left for a later run.
            }
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    static byte[] digest(byte[] bytes) {
        Digest d = new Digest();
        d.update(bytes);
        return d.value();
    }

    /**
     * Three independent checksums and the length (160 bits): enough to tell class versions apart, which is
     * all it is for (whoever can write the cache folder can change the agent jar too). Not MessageDigest:
     * its first use loads the security providers, ~20 ms of a start-up budget.
     */
    private static final class Digest {
        private final CRC32 crc = new CRC32();
        private final CRC32C crcC = new CRC32C();
        private final Adler32 adler = new Adler32();
        private long length;

        void update(byte[] b) {
            crc.update(b);
            crcC.update(b);
            adler.update(b);
            length += b.length;
        }

        void update(long v) {
            byte[] b = new byte[8];
            for (int i = 0; i < 8; i++) b[i] = (byte) (v >>> (8 * i));
            update(b);
        }

        byte[] value() {
            return java.nio.ByteBuffer.allocate(DIGEST_LENGTH).putInt((int) crc.getValue()).putInt((int) crcC.getValue())
                    .putInt((int) adler.getValue()).putLong(length).array();
        }
    }
}
