// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import io.copytrace.kernel.proc.ThreadWindow;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The native memory the JDK keeps in its per-thread caches of temporary direct buffers
 * ({@code sun.nio.ch.Util.bufferCache}): every heap-buffer channel call copies through one, and the buffer
 * stays cached on the thread (the carrier, for virtual threads) up to {@code jdk.nio.maxCachedBufferSize}.
 * Read at the window's close by reflection into each live platform thread's thread-local map, read-only:
 * exact capacities, invisible to the {@code direct} buffer pool MXBean on JDK 25 (allocated with Unsafe).
 */
final class TemporaryBuffers {
    /** Thread name groups listed, largest holders first; the rest are summed. */
    static final int MAX_GROUPS = 10;

    private TemporaryBuffers() {}

    /** The recording's {@code temporaryDirectBuffers} section, or one with {@code error} when unreadable. */
    static Map<String, Object> section() {
        Map<String, Object> out = new LinkedHashMap<>();
        String cap = System.getProperty("jdk.nio.maxCachedBufferSize");
        out.put("maxCachedBufferSize", cap);
        try {
            Field cacheField = Class.forName("sun.nio.ch.Util").getDeclaredField("bufferCache");
            cacheField.setAccessible(true);
            Object cacheKey = cacheField.get(null);
            Field mapField = Thread.class.getDeclaredField("threadLocals");
            mapField.setAccessible(true);
            // JDK 25 keeps terminating thread-locals, the cache among them, in a map of their own
            java.lang.reflect.Method terminating = null;
            try {
                terminating = Thread.class.getDeclaredMethod("terminatingThreadLocals");
                terminating.setAccessible(true);
            } catch (NoSuchMethodException olderJdk) {
                // JDK 17: one map holds them all
            }
            Class<?> mapClass = Class.forName("java.lang.ThreadLocal$ThreadLocalMap");
            Field table = mapClass.getDeclaredField("table");
            table.setAccessible(true);
            Field value = Class.forName("java.lang.ThreadLocal$ThreadLocalMap$Entry").getDeclaredField("value");
            value.setAccessible(true);
            Class<?> cacheClass = Class.forName("sun.nio.ch.Util$BufferCache");
            Field buffers = cacheClass.getDeclaredField("buffers");
            buffers.setAccessible(true);

            Map<String, long[]> byGroup = new TreeMap<>(); // group -> threads, buffers, bytes
            long threads = 0, count = 0, bytes = 0;
            for (Thread t : liveThreads()) {
                List<Object> entries = new ArrayList<>();
                for (Object map : new Object[] {mapField.get(t), terminating == null ? null : terminating.invoke(t)}) {
                    if (map != null) entries.addAll(java.util.Arrays.asList((Object[]) table.get(map)));
                }
                for (Object e : entries) {
                    if (!(e instanceof java.lang.ref.Reference<?> ref) || ref.get() != cacheKey) continue;
                    long n = 0, held = 0;
                    for (Object b : (Object[]) buffers.get(value.get(e))) {
                        if (b instanceof ByteBuffer buf) {
                            n++;
                            held += buf.capacity();
                        }
                    }
                    if (n == 0) continue;
                    String group = ThreadWindow.group(t.getName());
                    long[] g = byGroup.get(group);
                    if (g == null) byGroup.put(group, g = new long[3]); // no lambda: see MostBytesFirst
                    g[0]++;
                    g[1] += n;
                    g[2] += held;
                    threads++;
                    count += n;
                    bytes += held;
                }
            }
            out.put("threads", threads);
            out.put("buffers", count);
            out.put("bytes", bytes);
            List<Map.Entry<String, long[]>> groups = new ArrayList<>(byGroup.entrySet());
            groups.sort(new MostBytesFirst());
            List<Object> listed = new ArrayList<>();
            for (Map.Entry<String, long[]> g : groups.subList(0, Math.min(MAX_GROUPS, groups.size()))) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("group", g.getKey());
                m.put("threads", g.getValue()[0]);
                m.put("buffers", g.getValue()[1]);
                m.put("bytes", g.getValue()[2]);
                listed.add(m);
            }
            out.put("byGroup", listed);
            out.put("groupsNotListed", Math.max(0, groups.size() - MAX_GROUPS));
        } catch (Throwable t) {
            out.put("error", "could not read the JDK's temporary buffer caches: " + t);
        }
        out.put("note", "capacities of the temporary direct buffers each live platform thread caches (virtual threads use"
                + " their carrier's), read at the window's close; native memory outside the heap");
        return out;
    }

    /** The live platform threads (virtual threads keep no cache of their own). */
    private static List<Thread> liveThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) root = root.getParent();
        Thread[] all = new Thread[root.activeCount() * 2 + 16];
        int n = root.enumerate(all, true);
        List<Thread> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(all[i]);
        return out;
    }

    /**
     * Groups by bytes held (descending), then name. A class, not a lambda chain: a JVM that ends before the
     * warm-up links every lambda of the close at its exit, ~1 ms each, interpreted.
     */
    private static final class MostBytesFirst implements Comparator<Map.Entry<String, long[]>> {
        @Override
        public int compare(Map.Entry<String, long[]> a, Map.Entry<String, long[]> b) {
            int c = Long.compare(b.getValue()[2], a.getValue()[2]);
            return c != 0 ? c : a.getKey().compareTo(b.getKey());
        }
    }
}
