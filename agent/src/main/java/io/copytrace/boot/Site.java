// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/** A call site: the first application frame below the JDK's I/O code, with one captured stack. */
public final class Site {
    /** An application call site. */
    public static final int KIND_APP = 0;
    /** I/O the JDK did on its own (no application frame on the stack, or jar reading for class loading). */
    public static final int KIND_JDK_INTERNAL = 1;
    /** Sites past the site cap, folded together. */
    public static final int KIND_OTHER = 2;
    /** Sites filtered out by include/exclude options, folded together. */
    public static final int KIND_EXCLUDED = 3;

    public final int id;
    public final int kind;
    /** "class.method(File.java:line)" of the site frame, or a label for folded sites. */
    public final String frame;
    /** The captured stack from the site frame outwards, bounded by the stack-depth option. */
    public final String[] stack;
    private final ConcurrentHashMap<Integer, Stats> rows = new ConcurrentHashMap<>();

    Site(int id, int kind, String frame, String[] stack) {
        this.id = id;
        this.kind = kind;
        this.frame = frame;
        this.stack = stack;
    }

    Stats row(int key) {
        Stats s = rows.get(key);
        if (s == null) {
            Stats fresh = new Stats(key);
            s = rows.putIfAbsent(key, fresh);
            if (s == null) s = fresh;
        }
        return s;
    }

    /** Forgets the rows (the folded buckets outlive a window). */
    void clearRows() {
        rows.clear();
    }

    /** The rows recorded at this site. */
    public Collection<Stats> rows() {
        return rows.values();
    }
}
