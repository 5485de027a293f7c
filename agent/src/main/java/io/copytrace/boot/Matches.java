// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

/**
 * The sources found for the memory one write drained, with their bytes: per-thread scratch, reused, so a
 * lookup allocates nothing. Past {@link #MAX} distinct sources the rest count as unknown.
 */
final class Matches {
    static final int MAX = 8;
    final long[] sources = new long[MAX];
    final long[] bytes = new long[MAX];
    int count;

    void clear() {
        count = 0;
    }

    void add(long source, long n) {
        for (int i = 0; i < count; i++) {
            if (sources[i] == source) {
                bytes[i] += n;
                return;
            }
        }
        if (count < MAX) {
            sources[count] = source;
            bytes[count++] = n;
        }
    }

    long total() {
        long t = 0;
        for (int i = 0; i < count; i++) t += bytes[i];
        return t;
    }
}
