// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.weave;

import io.copytrace.agent.hooks.ClassLoadingHooks;
import io.copytrace.agent.hooks.DatagramHooks;
import io.copytrace.agent.hooks.FileChannelHooks;
import io.copytrace.agent.hooks.FilesCopyHooks;
import io.copytrace.agent.hooks.Hook;
import io.copytrace.agent.hooks.InputStreamHooks;
import io.copytrace.agent.hooks.IoUtilHooks;
import io.copytrace.agent.hooks.JavaIoHooks;
import io.copytrace.agent.hooks.MappedBufferHooks;
import io.copytrace.agent.hooks.NettyHooks;
import io.copytrace.agent.hooks.NioSocketHooks;
import io.copytrace.agent.hooks.SocketChannelHooks;
import io.copytrace.agent.hooks.SslEngineHooks;
import io.copytrace.boot.Probe;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Puts the hooks into the JDK (and Netty) classes they name: at class load, and by retransforming those
 * already loaded when the agent starts. A class's woven bytes come from the {@link WovenClassCache} when
 * an earlier run made them from the same original bytes; otherwise {@link HookWeaver} makes them (loading
 * Byte Buddy then) and they are saved. Every other class passes through after one set lookup.
 */
public final class HookTransformer implements ClassFileTransformer {
    private final Set<String> internalNames;
    private final WovenClassCache cache;
    private volatile String cacheProblem;
    private final ClassLoader adviceLoader;
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<String> transformed = new CopyOnWriteArrayList<>();
    private final AtomicInteger cacheHits = new AtomicInteger();
    private final List<String> woven = new CopyOnWriteArrayList<>();
    private final Set<String> bypassCache = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private Map<String, List<Hook>> hooks; // null until needed: making them loads Byte Buddy's matchers
    private HookWeaver weaver; // made on the first cache miss, under this

    private HookTransformer(Map<String, List<Hook>> hooks, Set<String> types, WovenClassCache cache,
                            String cacheProblem, ClassLoader adviceLoader) {
        this.hooks = hooks;
        Set<String> internal = new HashSet<>();
        for (String t : types) internal.add(t.replace('.', '/'));
        this.internalNames = Set.copyOf(internal);
        this.cache = cache;
        this.cacheProblem = cacheProblem;
        this.adviceLoader = adviceLoader;
    }

    /**
     * A transformer for every hook, using {@code cache} (null: none, {@code cacheProblem} says why).
     * With a cache that knows this build's class names, no hook (and no Byte Buddy class) is made yet.
     */
    public static HookTransformer create(WovenClassCache cache, String cacheProblem, ClassLoader adviceLoader) {
        Set<String> types = cache == null ? null : cache.types().orElse(null);
        Map<String, List<Hook>> hooks = null;
        if (types == null) {
            hooks = hooksByType();
            types = hooks.keySet();
            if (cache != null) {
                try {
                    cache.saveTypes(types);
                } catch (Exception e) {
                    cacheProblem = "cannot write " + cache.dir() + ": " + e;
                    cache = null;
                }
            }
        }
        return new HookTransformer(hooks, types, cache, cacheProblem, adviceLoader);
    }

    /** Every hook, grouped by the class it instruments. */
    private static Map<String, List<Hook>> hooksByType() {
        Map<String, List<Hook>> byType = new LinkedHashMap<>();
        for (List<Hook> group : List.of(FileChannelHooks.hooks(), IoUtilHooks.hooks(), SocketChannelHooks.hooks(), NioSocketHooks.hooks(),
                JavaIoHooks.hooks(), MappedBufferHooks.hooks(), FilesCopyHooks.hooks(), InputStreamHooks.hooks(),
                SslEngineHooks.hooks(), DatagramHooks.hooks(), ClassLoadingHooks.hooks(), NettyHooks.hooks())) {
            for (Hook h : group) byType.computeIfAbsent(h.type(), k -> new ArrayList<>()).add(h);
        }
        return byType;
    }

    /** Registers this transformer and retransforms the hooked classes that are already loaded. */
    public void install(Instrumentation inst) {
        inst.addTransformer(this, true);
        for (Class<?> c : hookedClasses(inst)) {
            try {
                inst.retransformClasses(c); // one at a time: one bad class must not keep the others bare
            } catch (Throwable t) {
                if (cache == null || !bypassCache.add(c.getName())) {
                    error(c.getName(), t);
                    continue;
                }
                try {
                    cacheHits.decrementAndGet(); // that hit did not count
                    inst.retransformClasses(c); // the JVM refused the cached bytes: weave afresh once
                } catch (Throwable again) {
                    error(c.getName(), again);
                }
            }
        }
    }

    /**
     * Takes the hooks out again: unregisters this transformer, then retransforms every hooked class loaded,
     * so that each gets its original bytes back (with no transformer of ours in the chain the JVM hands the
     * class its initial bytes). Methods running woven code at that moment finish in it, against a probe that
     * no longer records. Returns one line per class that kept its hooks.
     */
    public List<String> uninstall(Instrumentation inst) {
        inst.removeTransformer(this);
        List<String> failed = new ArrayList<>();
        for (Class<?> c : hookedClasses(inst)) {
            try {
                inst.retransformClasses(c);
            } catch (Throwable t) {
                failed.add(c.getName() + ": " + t);
            }
        }
        return failed;
    }

    /** The loaded classes this transformer hooks (the same name may be loaded by several loaders). */
    private List<Class<?>> hookedClasses(Instrumentation inst) {
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (internalNames.contains(c.getName().replace('.', '/')) && inst.isModifiableClass(c)) loaded.add(c);
        }
        return loaded;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain domain, byte[] bytes) {
        if (className == null || !internalNames.contains(className)) return null;
        String name = className.replace('/', '.');
        Probe.pause(); // cache reads, jar reads and Byte Buddy's work are the agent's, not the app's
        try {
            byte[] out = cache == null || bypassCache.contains(name) ? null : cache.get(name, bytes);
            if (out != null) {
                cacheHits.incrementAndGet();
            } else {
                out = weaver().weave(name, loader, bytes);
                woven.add(name);
                save(name, bytes, out);
            }
            transformed.add(name);
            return out;
        } catch (Throwable t) {
            error(name, t);
            return null;
        } finally {
            Probe.resume();
        }
    }

    private void save(String name, byte[] original, byte[] out) {
        if (cache == null) return;
        try {
            cache.put(name, original, out);
        } catch (Exception e) {
            cacheProblem = "cannot write " + cache.dir() + ": " + e; // the class is woven all the same
        }
    }

    private synchronized HookWeaver weaver() {
        if (weaver == null) {
            if (hooks == null) hooks = hooksByType();
            weaver = new HookWeaver(hooks, adviceLoader);
        }
        return weaver;
    }

    private void error(String name, Throwable t) {
        if (errors.size() < 100) errors.add(name + ": " + t);
    }

    /** Classes that got their hooks. */
    public List<String> transformed() {
        return transformed;
    }

    /** Problems met while weaving, one line per class. */
    public List<String> errors() {
        return errors;
    }

    /** This build's woven-class cache folder (owner-only), or null without a cache. */
    public java.nio.file.Path cacheDir() {
        return cache == null ? null : cache.dir();
    }

    /** For the recording: where the woven classes came from. */
    public Map<String, Object> cacheReport() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dir", cache == null ? null : cache.dir().toString());
        m.put("hits", cacheHits.get());
        m.put("woven", woven.size());
        m.put("wovenClasses", new ArrayList<>(new java.util.TreeSet<>(woven))); // those not (yet) cached
        m.put("problem", cacheProblem);
        return m;
    }
}
