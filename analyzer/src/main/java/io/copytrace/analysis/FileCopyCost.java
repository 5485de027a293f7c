// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * What a kernel file → file copy ({@code Files.copy}: copy_file_range, or sendfile's splice through a pipe 64 KiB
 * at a time) costs on this host beyond its one in-kernel page copy. Both ways of copying the {@link CalibrationFile}
 * (on java.io.tmpdir's file system for the report) are timed by the thread's CPU time, alternating, median of
 * {@link #ROUNDS} rounds' differences: {@code Files.copy}, and a read/write loop with a 64 KiB direct buffer (no JVM copies;
 * the same page-cache and file-system work, plus one more page copy and a read and a write per chunk). What the
 * kernel copy costs beyond its copy is then the kernel copy's time minus the loop's time less what the model prices
 * the loop's extra copy and syscalls at: the page-cache and file-system work both ways share cancels out, so it is
 * not counted against the fix. Only ever run in the reporting process ({@link HostCost#measure}), never in the
 * app's JVM.
 */
final class FileCopyCost {
    static final int FILE_BYTES = CalibrationFile.BYTES;
    static final int CHUNK = 64 << 10;
    /** Rounds of each way: an odd number, for a median. */
    static final int ROUNDS = 9;
    private static final int WARM_UP = 3;

    private FileCopyCost() {}

    /**
     * One calibration's figures, per KiB copied: the median round's CPU of each way, and the kernel copy's
     * overhead (from the rounds' paired differences).
     */
    record Measured(double kernelNanosPerKib, double loopNanosPerKib, double overheadNanosPerKib) {}

    /**
     * The kernel copy's CPU per KiB beyond its one page copy (0 when it measures cheaper), with the loop's extra
     * copy and syscalls priced at {@code cost}, and both ways' own figures, copying {@code source} into its
     * directory; empty when it cannot be measured here.
     */
    static Optional<Measured> measure(HostCost cost, CalibrationFile source) {
        Path target = null;
        try {
            target = Files.createTempFile(source.dir(), "copytrace-calibration", ".copy");
            ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
            // warm-up: the source in the page cache, both paths' code compiled (a loop still interpreted would
            // cost more per chunk than the page-cache work it is compared on)
            for (int w = 0; w < WARM_UP; w++) {
                copyInKernel(source.path, target);
                loopCopy(source.path, target, chunk);
            }
            // each round's difference: a slow phase of a busy host slows both ways of the round alike
            long[] kernel = new long[ROUNDS], loop = new long[ROUNDS], kernelLessLoop = new long[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                kernel[r] = copyInKernel(source.path, target);
                loop[r] = loopCopy(source.path, target, chunk);
                kernelLessLoop[r] = kernel[r] - loop[r];
            }
            // the loop's one more page copy and its read and write per chunk, as the model prices them
            long loopExtra = cost.nanos(FILE_BYTES, 2L * (FILE_BYTES / CHUNK));
            double beyond = Math.max(0, ThreadCpu.median(kernelLessLoop) + loopExtra);
            double kib = FILE_BYTES / 1024.0;
            return Optional.of(new Measured(ThreadCpu.median(kernel) / kib, ThreadCpu.median(loop) / kib, beyond / kib));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } finally {
            delete(target);
        }
    }

    /** Thread CPU of one {@code Files.copy} onto a fresh (deleted beforehand, untimed) target. */
    private static long copyInKernel(Path source, Path target) throws IOException {
        Files.deleteIfExists(target);
        long t0 = ThreadCpu.now();
        Files.copy(source, target);
        return ThreadCpu.now() - t0;
    }

    /** Thread CPU of one read/write loop with a direct buffer onto a fresh target, opening both files as Files.copy does. */
    private static long loopCopy(Path source, Path target, ByteBuffer chunk) throws IOException {
        Files.deleteIfExists(target);
        long t0 = ThreadCpu.now();
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
            while (in.read(chunk.clear()) > 0) write(out, chunk.flip());
        }
        return ThreadCpu.now() - t0;
    }

    private static void write(FileChannel out, ByteBuffer chunk) throws IOException {
        while (chunk.hasRemaining()) out.write(chunk);
    }

    private static void delete(Path file) {
        try {
            if (file != null) Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temporary file left behind
        }
    }
}
