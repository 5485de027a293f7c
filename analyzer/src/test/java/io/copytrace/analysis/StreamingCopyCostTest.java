// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamingCopyCostTest {
    @Test
    void theLargestCacheListedIsTheLastLevel(@TempDir Path cache) throws IOException {
        // given: sysfs's layout for cpu0 (L1d, L1i, L2, L3), and an index without a size
        write(cache, "index0", "48K");
        write(cache, "index1", "32K");
        write(cache, "index2", "1024K");
        write(cache, "index3", "32768K");
        Files.createDirectories(cache.resolve("index4"));

        assertEquals(32L << 20, StreamingCopyCost.lastLevelCacheBytes(cache));
        assertEquals(0, StreamingCopyCost.lastLevelCacheBytes(cache.resolve("missing")));
    }

    @Test
    void theSourceIsTwiceTheLastLevelCacheWithinItsBounds() {
        assertEquals(64L << 20, StreamingCopyCost.sourceBytes(32L << 20));
        assertEquals(StreamingCopyCost.MIN_SOURCE, StreamingCopyCost.sourceBytes(0));
        assertEquals(StreamingCopyCost.MAX_SOURCE, StreamingCopyCost.sourceBytes(1L << 30));
        assertEquals(192L << 20, StreamingCopyCost.sourceBytes(96L << 20));
    }

    @Test
    void memoryInNoCacheCopiesSlowerThanMemoryInTheCache() {
        // when: the in-app figures, the JVM's copy between a 64 KiB heap buffer and a direct one (as IOUtil makes
        // it) on its own, and the kernel's copy of memory in no cache, measured once
        HostCost inCache = HostCost.measureInApp();
        double jvm = CachedCopyCost.measure();
        OptionalDouble streaming = StreamingCopyCost.measure(inCache.syscallNanos());

        // then: sane rates, the kernel's out of the cache below the JVM's in it (~4x on the build machine: 7-9
        // against 28-37 GB/s), both as measured alone and as the in-app costs carry it
        assertTrue(streaming.isPresent());
        assertTrue(streaming.getAsDouble() > 0.5 && streaming.getAsDouble() < 500, () -> "GB/s: " + streaming);
        assertTrue(jvm > 0.5 && jvm < 5_000, () -> "GB/s: " + jvm);
        assertTrue(jvm > streaming.getAsDouble(), () -> jvm + " GB/s in the cache, " + streaming + " out of it");
        assertTrue(streaming.getAsDouble() < inCache.cachedCopyBytesPerNano(),
                () -> streaming + " GB/s out of cache, " + inCache.cachedCopyBytesPerNano() + " in it");
    }

    private static void write(Path cache, String index, String size) throws IOException {
        Files.createDirectories(cache.resolve(index));
        Files.writeString(cache.resolve(index).resolve("size"), size + "\n");
    }
}
