// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import io.copytrace.agent.weave.HookTransformer;
import io.copytrace.agent.weave.WovenClassCache;
import io.copytrace.boot.Probe;
import io.copytrace.boot.SiteTable;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Starts the agent: parses options, opens the JDK internals the probe needs, installs the advice,
 * opens the recording window and arranges for the recording to be written when it closes.
 */
public final class Bootstrap {
    private Bootstrap() {}

    /**
     * Called reflectively by {@link AgentMain}. Never throws. Returns what happened in one line (several for
     * several bad options), also printed on stderr when it is a problem: an attach tool shows it to its user.
     */
    public static String start(String args, Instrumentation inst, boolean attached, Path agentJar) {
        AgentOptions options;
        try {
            options = AgentOptions.parse(args, System.getProperties(), System.getenv());
            Files.createDirectories(options.out);
            if (!Files.isDirectory(options.out) || !Files.isWritable(options.out)) {
                throw new AgentOptions.Invalid(List.of(AgentOptions.problem("out=" + options.out,
                        "not a writable directory", AgentOptions.OUT.allowed())));
            }
        } catch (AgentOptions.Invalid bad) {
            bad.lines().forEach(System.err::println);
            return String.join("\n", bad.lines());
        } catch (Exception io) {
            String line = AgentOptions.problem("out", "cannot create it: " + io, AgentOptions.OUT.allowed());
            System.err.println(line);
            return line;
        }
        try {
            Recording recording = install(options, inst, attached, agentJar);
            recording.open();
            String note = recording.kernelNote();
            if (note != null && !attached) System.err.println("copytrace: " + note);
            return "recording to " + Probe.installedRecording + (options.duration == null ? " until the JVM exits"
                    : " for " + options.effective().get("duration")) + (note == null ? "" : "; " + note);
        } catch (Throwable t) {
            Probe.active = false;
            String line = "copytrace: agent disabled, it could not install: " + t;
            System.err.println(line);
            return line;
        }
    }

    private static Recording install(AgentOptions options, Instrumentation inst, boolean attached, Path agentJar)
            throws Exception {
        if (Probe.class.getClassLoader() != null) {
            throw new IllegalStateException("the probe is not on the boot class path");
        }
        // java.base must read the boot loader's unnamed module (where the probe lives) to call it from
        // inlined advice; the inspector reads private JDK fields.
        Module javaBase = Object.class.getModule();
        Module core = Bootstrap.class.getModule();
        inst.redefineModule(javaBase, Set.of(Probe.class.getModule()), Map.of("jdk.internal.access", Set.of(core)),
                // java.nio is opened to the probe too: provenance reads where a buffer's memory is (Memory)
                Map.of("sun.nio.ch", Set.of(core), "java.nio", Set.of(core, Probe.class.getModule()), "java.io", Set.of(core),
                        "java.nio.channels", Set.of(core)),
                Set.of(), Map.of());
        SiteTable.configure(options.maxSites, options.stackDepth, options.wrappers.toArray(new String[0]),
                options.include.toArray(new String[0]), options.exclude.toArray(new String[0]), options.jdkInternal);

        WovenClassCache cache = null;
        String cacheProblem = options.cacheUnavailable;
        if (options.cache != null) {
            try {
                cache = WovenClassCache.open(options.cache, agentJar);
            } catch (Exception | Error e) {
                cacheProblem = "cannot use " + options.cache + ": " + e;
            }
        }
        Probe.installedRecording = options.out.toAbsolutePath()
                .resolve("recording-" + ProcessHandle.current().pid() + ".json").toString();
        Probe.pause(); // the install itself (jar and cache reads, retransforms) is the agent's work, not the app's
        HookTransformer hooks;
        try {
            hooks = HookTransformer.create(cache, cacheProblem, Bootstrap.class.getClassLoader());
            hooks.install(inst);
        } finally {
            Probe.resume();
        }
        // After the install: the inspector loads JDK classes we hook (SocketChannelImpl, DatagramChannelImpl);
        // loaded now they are woven from their class files. Loaded before, the JVM would hand them over
        // rebuilt from their loaded form, with methods in an order that changes from run to run, and the
        // woven-class cache would rarely find them.
        boolean failing = Boolean.getBoolean("copytrace.test.failing-inspector");
        Probe.configure(failing ? new FailingInspector() : new JdkInspector(), options.sampleInterval,
                maxCachedBufferSize(), options.flows);
        return new Recording(options, attached, hooks);
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
}
