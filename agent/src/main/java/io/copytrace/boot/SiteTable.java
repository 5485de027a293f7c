// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * All call sites seen, found by walking the stack to the first frame outside the JDK and outside known
 * I/O wrappers. Bounded: past {@link #maxSites} distinct sites, new ones fold into one "other" site.
 */
public final class SiteTable {
    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final String[] JDK_PREFIXES = {
        "java.", "javax.", "jdk.", "sun.", "com.sun.", "io.copytrace.boot.",
    };
    /** The JDK's I/O APIs and implementations: skipped when looking for who started an I/O call. */
    private static final String[] IO_PLUMBING = {
        "java.io.", "java.nio.", "sun.nio.", "java.net.", "sun.net.", "javax.net.", "sun.security.ssl.",
        "java.util.zip.", "java.util.jar.", "java.util.Scanner", "java.util.Properties", "io.copytrace.boot.",
        "io.netty.channel.epoll.LinuxSocket", "io.netty.channel.unix.Socket", "io.netty.buffer.",
    };
    /** JDK code that does I/O for its own needs: I/O it starts is JDK-internal, not the application's. */
    private static final String[] INTERNAL_INITIATORS = {
        "java.security.", "sun.security.", "javax.crypto.", "jdk.internal.", "java.lang.ClassLoader",
        "java.lang.System", "java.lang.Runtime", "java.lang.invoke.", "java.util.ServiceLoader",
        "java.util.ResourceBundle", "java.util.TimeZone", "java.util.Currency", "java.util.logging.",
        "java.util.prefs.", "sun.util.", "java.time.zone.", "sun.launcher.", "jdk.jfr.", "sun.management.",
        "java.lang.management.",
    };

    static volatile int maxSites = 10_000;
    static volatile int stackDepth = 16;
    static volatile String[] wrappers = {};
    static volatile String[] include = {};
    static volatile String[] exclude = {};
    static volatile boolean jdkInternal = true;

    private static final ConcurrentHashMap<String, Site> SITES = new ConcurrentHashMap<>();
    /** One instance per distinct frame text; bounded by max-sites x stack-depth. */
    private static final ConcurrentHashMap<String, String> FRAME_TEXT = new ConcurrentHashMap<>();
    private static final AtomicInteger IDS = new AtomicInteger();
    static final Site OTHER = new Site(-1, Site.KIND_OTHER, "<other: sites past the max-sites cap>", new String[0]);
    static final Site EXCLUDED = new Site(-2, Site.KIND_EXCLUDED, "<excluded by include/exclude options>", new String[0]);
    static final Site JDK_INTERNAL = new Site(-3, Site.KIND_JDK_INTERNAL, "<jdk-internal>", new String[0]);
    static final Site JAR_READS = new Site(-4, Site.KIND_JDK_INTERNAL,
            "<jdk-internal: class and resource loading (jar and class-path reads)>", new String[0]);
    /** How many distinct sites were folded into OTHER. */
    static final AtomicInteger FOLDED = new AtomicInteger();

    private SiteTable() {}

    /** Configures the table; called once by the agent core before the window opens. */
    public static void configure(int maxSites, int stackDepth, String[] wrappers, String[] include,
                                 String[] exclude, boolean jdkInternal) {
        SiteTable.maxSites = maxSites;
        SiteTable.stackDepth = stackDepth;
        SiteTable.wrappers = wrappers.clone();
        SiteTable.include = include.clone();
        SiteTable.exclude = exclude.clone();
        SiteTable.jdkInternal = jdkInternal;
    }

    /** Forgets every site and the folded buckets' rows ({@link Epoch#next}). */
    static void clear() {
        SITES.clear();
        FRAME_TEXT.clear();
        FrameTexts.clear();
        IDS.set(0);
        FOLDED.set(0);
        for (Site s : new Site[] {JAR_READS, JDK_INTERNAL, EXCLUDED, OTHER}) s.clearRows();
    }

    /** Every site with at least one row, the folded buckets included. */
    public static List<Site> all() {
        List<Site> out = new ArrayList<>(SITES.values());
        for (Site s : new Site[] {JAR_READS, JDK_INTERNAL, EXCLUDED, OTHER}) {
            if (!s.rows().isEmpty()) out.add(s);
        }
        return out;
    }

    /** How many distinct call sites were folded into the "other" bucket because of the cap. */
    public static int foldedSites() {
        return FOLDED.get();
    }

    /**
     * Walks the current stack and returns its call site; the walked frames are left in
     * {@code state.walkedStack}. Allocates: called only when sampling says so.
     */
    static Site walk(ThreadState state) {
        String[] frames = format(state, WALKER.walk(SiteTable::collect));
        state.walkedStack = frames;
        boolean internal = frames[0] == null; // marker: no application frame
        if (internal) {
            if (!jdkInternal) return JDK_INTERNAL;
            frames = java.util.Arrays.copyOfRange(frames, 1, frames.length);
            state.walkedStack = frames;
            if (frames.length == 0) return JDK_INTERNAL;
        }
        String key = frames[0];
        Site s = SITES.get(key);
        if (s != null) return s;
        if (!internal && !included(key)) return EXCLUDED;
        if (SITES.size() >= maxSites) {
            FOLDED.incrementAndGet();
            return OTHER;
        }
        shareFrames(frames);
        Site fresh = new Site(IDS.incrementAndGet(), internal ? Site.KIND_JDK_INTERNAL : Site.KIND_APP, frames[0], frames);
        s = SITES.putIfAbsent(frames[0], fresh);
        return s == null ? fresh : s;
    }

    /**
     * Replaces each frame's text by the one instance kept for it: sites share their outer frames (main, the
     * request loop, the framework), and 10 000 sites would otherwise hold 10 000 copies of each. Called when
     * a site or a row's stack is first kept, never per call.
     */
    static void shareFrames(String[] frames) {
        for (int i = 0; i < frames.length; i++) {
            String f = frames[i];
            if (f == null) continue;
            String kept = FRAME_TEXT.putIfAbsent(f, f);
            if (kept != null) frames[i] = kept;
        }
    }

    private static boolean included(String frame) {
        for (String p : exclude) if (frame.startsWith(p)) return false;
        if (include.length == 0) return true;
        for (String p : include) if (frame.startsWith(p)) return true;
        return false;
    }

    /**
     * Returns the stack from the site frame outwards (at most stackDepth frames); for JDK-internal I/O the
     * array starts with a null marker followed by frames from the JDK frame that started the I/O.
     *
     * <p>Frames are read from the I/O call outwards. I/O plumbing (the JDK's I/O APIs and the configured
     * wrappers) is skipped. The first application frame is the site. A JDK frame from a known internal
     * initiator (security, class loading, logging, time zones…) before any application frame makes the
     * I/O JDK-internal even when the application triggered it (e.g. reading java.security on first use).
     */
    private static List<StackWalker.StackFrame> collect(Stream<StackWalker.StackFrame> stream) {
        int depth = stackDepth;
        List<StackWalker.StackFrame> out = null;
        boolean internal = false;
        List<StackWalker.StackFrame> wrapper = null;
        StackWalker.StackFrame firstJdk = null;
        Iterator<StackWalker.StackFrame> it = stream.iterator();
        while (it.hasNext()) {
            StackWalker.StackFrame f = it.next();
            if (out != null) {
                if (out.size() < depth + (internal ? 1 : 0)) out.add(f);
                else break;
                continue;
            }
            String cls = f.getClassName();
            if (startsWithAny(cls, IO_PLUMBING)) continue;
            boolean jdk = startsWithAny(cls, JDK_PREFIXES);
            if (jdk) {
                if (firstJdk == null) firstJdk = f;
                if (startsWithAny(cls, INTERNAL_INITIATORS)) {
                    internal = true;
                    out = new ArrayList<>(depth + 1);
                    out.add(null); // marker: no application frame
                    out.add(f);
                }
                continue;
            }
            if (startsWithAny(cls, wrappers)) {
                if (wrapper == null) wrapper = new ArrayList<>(depth);
                if (wrapper.size() < depth) wrapper.add(f);
                continue;
            }
            out = new ArrayList<>(depth);
            out.add(f);
        }
        if (out != null) return out;
        if (wrapper != null) return wrapper; // only JDK and wrapper frames
        List<StackWalker.StackFrame> marked = new ArrayList<>(2);
        marked.add(null);
        if (firstJdk != null) marked.add(firstJdk);
        return marked;
    }

    /**
     * The frames as text ("Class.method(File.java:12)"), a leading null kept as the JDK-internal marker.
     * Making the text is most of a walk's cost (a StackTraceElement per frame for file and line), so a
     * stack the thread walked recently (same class, method and bytecode index in every frame) gets that
     * walk's array back ({@link RecentStacks}), and a frame any thread walked gets its text back
     * ({@link FrameTexts}).
     */
    private static String[] format(ThreadState state, List<StackWalker.StackFrame> frames) {
        int n = frames.size();
        String[] classes = new String[n];
        String[] methods = new String[n];
        int[] bcis = new int[n];
        for (int i = 0; i < n; i++) {
            StackWalker.StackFrame f = frames.get(i);
            if (f == null) continue;
            classes[i] = f.getClassName();
            methods[i] = f.getMethodName();
            bcis[i] = f.getByteCodeIndex();
        }
        RecentStacks recent = state.recentStacks;
        if (recent == null) state.recentStacks = recent = new RecentStacks();
        String[] known = recent.find(classes, methods, bcis);
        if (known != null) return known;
        String[] text = new String[n];
        for (int i = 0; i < n; i++) {
            if (frames.get(i) != null) text[i] = FrameTexts.of(frames.get(i), classes[i], methods[i], bcis[i]);
        }
        recent.add(classes, methods, bcis, text);
        return text;
    }

    private static boolean startsWithAny(String s, String[] prefixes) {
        for (String p : prefixes) if (s.startsWith(p)) return true;
        return false;
    }

}
