// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;

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
    /**
     * The rows, copied on write: a site has a few (one per operation, path, buffer and endpoint kind it saw), a
     * thread looks one up only when its cached row does not match, and a map keyed by {@code Integer} boxed the key
     * on every lookup (each new virtual thread's first call at a site).
     */
    private volatile Stats[] rows = NO_ROWS;
    private static final Stats[] NO_ROWS = {};

    Site(int id, int kind, String frame, String[] stack) {
        this.id = id;
        this.kind = kind;
        this.frame = frame;
        this.stack = stack;
    }

    Stats row(int key) {
        Stats found = find(rows, key);
        return found != null ? found : add(key);
    }

    private synchronized Stats add(int key) {
        Stats[] now = rows;
        Stats found = find(now, key); // another thread may have added it meanwhile
        if (found != null) return found;
        Stats fresh = new Stats(key);
        Stats[] more = Arrays.copyOf(now, now.length + 1);
        more[now.length] = fresh;
        rows = more;
        return fresh;
    }

    private static Stats find(Stats[] rows, int key) {
        for (Stats s : rows) if (s.key == key) return s;
        return null;
    }

    /** Forgets the rows (the folded buckets outlive a window). */
    synchronized void clearRows() {
        rows = NO_ROWS;
    }

    /** The rows recorded at this site, as they are now. */
    public Collection<Stats> rows() {
        return List.of(rows);
    }
}
