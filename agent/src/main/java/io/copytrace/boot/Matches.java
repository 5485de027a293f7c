// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

/**
 * The sources found for the memory one write drained, with their bytes: per-thread scratch, reused, so a
 * lookup allocates nothing after the thread's first match. Past {@link #MAX} distinct sources the rest count as
 * unknown.
 */
final class Matches {
    static final int MAX = 8;
    /** Made on the thread's first source found: most threads' writes relay nothing (a virtual thread per task). */
    long[] sources;
    long[] bytes;
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
            if (sources == null) {
                sources = new long[MAX];
                bytes = new long[MAX];
            }
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
