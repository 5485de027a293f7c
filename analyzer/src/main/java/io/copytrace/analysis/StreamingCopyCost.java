// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.stream.Stream;

/**
 * What the kernel's copy of bytes that sit in no CPU cache costs on this host: a temporary file twice the last-level
 * cache, its pages in the page cache, read with pread 64 KiB at a time into one reused direct buffer, by the
 * thread's CPU time, best of {@link #ROUNDS} rounds after one, less one syscall per read at the host's syscall
 * figure. That is the copy an I/O path makes out of the page cache, and the rate a saved kernel copy is priced at.
 * Until session 24 the figure was a {@code System.arraycopy} of a heap array as large: on the build machine it read
 * 6.3–9.2 GB/s in a fresh JVM (a report) and 9.7–18.4 once the JVM had read ~2 GiB from the page cache, while this
 * read held 130–175 ms per GiB (docs/bench/session24-copy-calibration.md). Only in the reporting process
 * ({@link HostCost#measure}): the file is 64–256 MiB.
 */
final class StreamingCopyCost {
    static final int CHUNK = 64 << 10;
    /** The source's bounds: twice the last-level cache, within these. */
    static final long MIN_SOURCE = 64L << 20, MAX_SOURCE = 256L << 20;
    static final int ROUNDS = 5;

    private StreamingCopyCost() {}

    /**
     * Bytes per nanosecond (= GB/s) of the kernel's copy from memory in no cache, each read's syscall
     * ({@code syscallNanos}) left out; empty when it cannot be measured (no temporary file here).
     */
    static OptionalDouble measure(double syscallNanos) {
        long size = sourceBytesHere();
        try (CalibrationFile file = CalibrationFile.create(Path.of(System.getProperty("java.io.tmpdir")), size);
             FileChannel in = FileChannel.open(file.path)) {
            ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
            readThrough(in, chunk, size); // warm-up: the JIT, the file's pages looked up once
            long best = Long.MAX_VALUE;
            for (int r = 0; r < ROUNDS; r++) {
                long t0 = ThreadCpu.now();
                readThrough(in, chunk, size);
                best = Math.min(best, ThreadCpu.now() - t0);
            }
            double copying = best - size / CHUNK * Math.max(0, syscallNanos);
            return OptionalDouble.of(size / Math.max(best / 2.0, copying)); // the syscalls never more than half
        } catch (IOException | OutOfMemoryError | RuntimeException e) {
            return OptionalDouble.empty();
        }
    }

    private static void readThrough(FileChannel in, ByteBuffer chunk, long size) throws IOException {
        for (long at = 0; at < size; at += CHUNK) CalibrationFile.readFully(in, chunk.clear(), at);
    }

    /** The source's size on this host: twice the last-level cache cpu0 lists, within the bounds. */
    static long sourceBytesHere() {
        return sourceBytes(lastLevelCacheBytes(Path.of("/sys/devices/system/cpu/cpu0/cache")));
    }

    /** The source's size for a last-level cache of {@code cacheBytes} (0: unknown): twice it, within the bounds. */
    static long sourceBytes(long cacheBytes) {
        return Math.max(MIN_SOURCE, Math.min(MAX_SOURCE, 2 * cacheBytes));
    }

    /**
     * The largest cache {@code cacheDir} ({@code /sys/devices/system/cpu/cpu0/cache}) lists, from its
     * {@code index*}/{@code size} files ({@code 32768K}); 0 when none can be read.
     */
    static long lastLevelCacheBytes(Path cacheDir) {
        long largest = 0;
        try (Stream<Path> entries = Files.list(cacheDir)) {
            for (Path index : entries.filter(p -> p.getFileName().toString().startsWith("index")).toList()) {
                try {
                    largest = Math.max(largest, bytes(Files.readString(index.resolve("size")).strip()));
                } catch (IOException | RuntimeException unreadable) {
                    // that one left out
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return largest;
    }

    private static long bytes(String size) {
        String s = size.toUpperCase(Locale.ROOT);
        long unit = s.endsWith("K") ? 1L << 10 : s.endsWith("M") ? 1L << 20 : s.endsWith("G") ? 1L << 30 : 1;
        return Long.parseLong(unit == 1 ? s : s.substring(0, s.length() - 1)) * unit;
    }
}
