// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import io.copytrace.agent.hooks.FileChannelHooks;
import io.copytrace.agent.hooks.Hook;
import io.copytrace.agent.hooks.IoUtilHooks;
import io.copytrace.agent.hooks.JavaIoHooks;
import io.copytrace.agent.hooks.MiscHooks;
import io.copytrace.agent.hooks.SocketHooks;
import io.copytrace.boot.Probe;
import io.copytrace.boot.SiteTable;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

/**
 * Starts the agent: parses options, opens the JDK internals the probe needs, installs the advice,
 * opens the recording window and arranges for the recording to be written when it closes.
 */
public final class Bootstrap {
    /** Byte Buddy's "safe" switch, under our relocated package so it only affects our copy. */
    private static final String SAFE_PROPERTY = "net.bytebuddy.safe"; // relocated with the classes by shading

    private Bootstrap() {}

    /** Called reflectively by {@link AgentMain}. Never throws. */
    public static void start(String args, Instrumentation inst, boolean attached) {
        AgentOptions options;
        try {
            options = AgentOptions.parse(args, System.getProperties(), System.getenv());
            Files.createDirectories(options.out);
            if (!Files.isDirectory(options.out) || !Files.isWritable(options.out)) {
                throw new AgentOptions.Invalid(List.of(AgentOptions.problem("out=" + options.out,
                        "not a writable directory", "a writable directory")));
            }
        } catch (AgentOptions.Invalid bad) {
            bad.lines().forEach(System.err::println);
            return;
        } catch (Exception io) {
            System.err.println(AgentOptions.problem("out", "cannot create it: " + io, "a writable directory"));
            return;
        }
        try {
            Recording recording = install(options, inst, attached);
            recording.open();
        } catch (Throwable t) {
            Probe.active = false;
            System.err.println("copytrace: agent disabled, it could not install: " + t);
        }
    }

    private static Recording install(AgentOptions options, Instrumentation inst, boolean attached) throws Exception {
        if (Probe.class.getClassLoader() != null) {
            throw new IllegalStateException("the probe is not on the boot class path");
        }
        // java.base must read the boot loader's unnamed module (where the probe lives) to call it from
        // inlined advice; the inspector reads private JDK fields.
        Module javaBase = Object.class.getModule();
        Module core = Bootstrap.class.getModule();
        inst.redefineModule(javaBase, Set.of(Probe.class.getModule()), Map.of("jdk.internal.access", Set.of(core)),
                Map.of("sun.nio.ch", Set.of(core), "java.nio", Set.of(core), "java.io", Set.of(core),
                        "java.nio.channels", Set.of(core)),
                Set.of(), Map.of());
        boolean failing = Boolean.getBoolean("copytrace.test.failing-inspector");
        Probe.configure(failing ? new FailingInspector() : new JdkInspector(), options.sampleInterval,
                maxCachedBufferSize());
        SiteTable.configure(options.maxSites, options.stackDepth, options.wrappers.toArray(new String[0]),
                options.include.toArray(new String[0]), options.exclude.toArray(new String[0]), options.jdkInternal);

        List<String> errors = new CopyOnWriteArrayList<>();
        List<String> transformed = new CopyOnWriteArrayList<>();
        Map<String, List<Hook>> byType = new LinkedHashMap<>();
        for (List<Hook> group : List.of(FileChannelHooks.hooks(), IoUtilHooks.hooks(), SocketHooks.hooks(),
                JavaIoHooks.hooks(), MiscHooks.hooks())) {
            for (Hook h : group) byType.computeIfAbsent(h.type(), k -> new ArrayList<>()).add(h);
        }
        ClassLoader adviceLoader = Bootstrap.class.getClassLoader();
        // Keeps Byte Buddy off sun.misc.Unsafe (JDK 24+ warns on stderr); read once, by static initializers
        // that run as the builder is made. Cleared again after install.
        System.setProperty(SAFE_PROPERTY, "true");
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(new Listener(errors, transformed))
                .ignore(nameStartsWith("net.bytebuddy.").or(nameStartsWith("io.copytrace.")));
        for (Map.Entry<String, List<Hook>> e : byType.entrySet()) {
            AgentBuilder.Transformer.ForAdvice advice = new AgentBuilder.Transformer.ForAdvice().include(adviceLoader);
            for (Hook h : e.getValue()) advice = advice.advice(h.methods(), h.advice().getName());
            builder = builder.type(named(e.getKey())).transform(advice);
        }
        Probe.pause(); // the install itself (jar reads, retransforms) is the agent's work, not the app's
        try {
            builder.installOn(inst);
        } finally {
            System.clearProperty(SAFE_PROPERTY);
            Probe.resume();
        }
        return new Recording(options, attached, errors, transformed);
    }

    /**
     * JDK 22+ warns on stderr when JNA loads its library from an unnamed module without native access.
     * All unnamed modules share one flag, so this grants what {@code --enable-native-access=ALL-UNNAMED}
     * would: done only when perf counters need JNA (see docs/options.md), so the app's output stays as is.
     */
    static void enableNativeAccess() {
        if (Runtime.version().feature() < 22) return;
        try {
            Object jla = Class.forName("jdk.internal.access.SharedSecrets").getMethod("getJavaLangAccess").invoke(null);
            Class.forName("jdk.internal.access.JavaLangAccess").getMethod("addEnableNativeAccessToAllUnnamed")
                    .invoke(jla);
        } catch (ReflectiveOperationException | RuntimeException unavailable) {
            // Not fatal: at worst the JVM prints its own warning when JNA loads.
        }
    }

    private static long maxCachedBufferSize() {
        String v = System.getProperty("jdk.nio.maxCachedBufferSize");
        try {
            return v == null ? Long.MAX_VALUE : Long.parseLong(v.trim());
        } catch (NumberFormatException x) {
            return Long.MAX_VALUE;
        }
    }

    /** Collects transform errors for the recording, and pauses recording while Byte Buddy works. */
    private static final class Listener extends AgentBuilder.Listener.Adapter {
        private final List<String> errors;
        private final List<String> transformed;

        Listener(List<String> errors, List<String> transformed) {
            this.errors = errors;
            this.transformed = transformed;
        }

        @Override
        public void onDiscovery(String typeName, ClassLoader loader, JavaModule module, boolean loaded) {
            Probe.pause();
        }

        @Override
        public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                                     DynamicType dynamicType) {
            transformed.add(type.getName());
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable t) {
            if (errors.size() < 100) errors.add(typeName + ": " + t);
        }

        @Override
        public void onComplete(String typeName, ClassLoader loader, JavaModule module, boolean loaded) {
            Probe.resume();
        }
    }
}
