// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.stream.Stream;

/**
 * What a copy of bytes that sit in no CPU cache costs on this host: 64 KiB chunks of an array larger than the
 * last-level cache copied, one after another, into one reused 64 KiB array, best of {@link #ROUNDS} rounds. The
 * copies an I/O path makes are of this kind: a file read from the page cache in chunks into a reused buffer, a
 * buffer copied into a socket's fresh memory. An 8 MiB copy (session 19's rate) fits the build machine's 32 MiB
 * L3 and read 18–30 GB/s from one run to the next, while sending 1 GiB saved what ~12–15 GB/s predicts
 * (docs/samples.md). Only in the reporting process ({@link HostCost#measure}): the source is 64–256 MiB.
 */
final class StreamingCopyCost {
    static final int CHUNK = 64 << 10;
    /** The source's bounds: twice the last-level cache, within these. */
    static final long MIN_SOURCE = 64L << 20, MAX_SOURCE = 256L << 20;
    static final int ROUNDS = 5;

    private StreamingCopyCost() {}

    /** Bytes per nanosecond (= GB/s) of a copy from memory in no cache; empty when it cannot be measured. */
    static OptionalDouble measure() {
        try {
            int size = (int) sourceBytesHere();
            byte[] source = new byte[size];
            byte[] chunk = new byte[CHUNK];
            copyThrough(source, chunk); // warm-up: the loop compiled
            long best = Long.MAX_VALUE;
            for (int r = 0; r < ROUNDS; r++) {
                long t0 = System.nanoTime();
                copyThrough(source, chunk);
                best = Math.min(best, System.nanoTime() - t0);
            }
            return OptionalDouble.of((double) size / Math.max(1, best));
        } catch (OutOfMemoryError | RuntimeException e) {
            return OptionalDouble.empty();
        }
    }

    private static void copyThrough(byte[] source, byte[] chunk) {
        for (int at = 0; at + CHUNK <= source.length; at += CHUNK) System.arraycopy(source, at, chunk, 0, CHUNK);
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
