// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import io.copytrace.agent.weave.HookTransformer;
import io.copytrace.agent.weave.WovenClassCache;
import io.copytrace.boot.CarrierSpares;
import io.copytrace.boot.CarrierTallies;
import io.copytrace.boot.Probe;
import io.copytrace.boot.SiteTable;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Starts a recording window: parses options, opens the JDK internals the probe needs, installs the advice,
 * opens the window and arranges for the recording to be written when it closes; and ends it early on
 * {@code stop}. This class's loader is kept for the JVM's life ({@link AgentMain}), so the windows one JVM
 * has are counted here.
 */
public final class Bootstrap {
    /** The last window opened in this JVM (open, or ended), or null before the first. */
    private static Recording window;
    /** Windows opened in this JVM: the first writes recording-PID.json, the n-th recording-PID-n.json. */
    private static int windows;

    private Bootstrap() {}

    /**
     * Ends the open window now, as {@code duration} would ({@code endedBy: stop}): writes the recording and
     * takes the hooks out; returns when that is done, with one line saying what happened.
     */
    public static synchronized String stop() {
        Recording open = window;
        if (open == null || Probe.openRecording == null) return NOTHING_TO_STOP;
        open.close("stop");
        open.awaitEnd();
        window = null;
        return STOPPED + open.file();
    }

    /** What {@code stop} says when it ended a window, before the recording file. */
    public static final String STOPPED = "stopped the window, wrote ";

    /** What {@code stop} says when no window is open. */
    public static final String NOTHING_TO_STOP = "copytrace: no recording window is open in this JVM; nothing to stop";

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
        synchronized (Bootstrap.class) {
            return open(options, inst, attached, agentJar);
        }
    }

    private static String open(AgentOptions options, Instrumentation inst, boolean attached, Path agentJar) {
        long pid = ProcessHandle.current().pid();
        Path file = options.out.toAbsolutePath().resolve("recording-" + pid + (windows == 0 ? "" : "-" + (windows + 1))
                + ".json");
        Probe.openRecording = file.toString();
        HookTransformer hooks = null;
        try {
            hooks = hook(options, inst, agentJar);
            // After the hooks: the inspector loads JDK classes we hook (SocketChannelImpl, DatagramChannelImpl);
            // loaded now they are woven from their class files. Loaded before, the JVM would hand them over
            // rebuilt from their loaded form, with methods in an order that changes from run to run, and the
            // woven-class cache would rarely find them.
            boolean failing = Boolean.getBoolean("copytrace.test.failing-inspector");
            Probe.configure(failing ? new FailingInspector() : new JdkInspector(), options.sampleInterval,
                    maxCachedBufferSize(), options.flows);
            Probe.measureFaults(options.kernel.equals("off") ? null : new RusageFaults());
            CarrierTallies.use(carrierLocal());
            CarrierSpares.use(carrierLocal());
            Recording recording = new Recording(options, attached, hooks, inst, file);
            recording.open();
            window = recording;
            windows++;
            String note = recording.kernelNote();
            if (note != null && !attached) System.err.println("copytrace: " + note);
            List<String> warnings = recording.warnings();
            warnings.forEach(System.err::println);
            return "recording to " + file + (options.duration == null ? " until the JVM exits"
                    : " for " + options.effective().get("duration")) + (note == null ? "" : "; " + note)
                    + (warnings.isEmpty() ? "" : "\n" + String.join("\n", warnings));
        } catch (Throwable t) {
            Probe.active = false;
            if (hooks != null) hooks.uninstall(inst);
            Probe.openRecording = null; // a later load may try again
            String line = "copytrace: agent disabled, it could not install: " + t;
            System.err.println(line);
            return line;
        }
    }

    /**
     * The JDK's carrier-thread local (JDK 21+), through which virtual threads count into their carrier's
     * counters; null where the JDK has none (17) or it cannot be made: they then count atomically.
     */
    @SuppressWarnings("unchecked")
    static ThreadLocal<Object> carrierLocal() {
        try {
            return (ThreadLocal<Object>) Class.forName("jdk.internal.misc.CarrierThreadLocal").getConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** Opens the JDK internals the probe needs, configures the site table and puts the hooks in. */
    private static HookTransformer hook(AgentOptions options, Instrumentation inst, Path agentJar) throws Exception {
        if (Probe.class.getClassLoader() != null) {
            throw new IllegalStateException("the probe is not on the boot class path");
        }
        // java.base must read the boot loader's unnamed module (where the probe lives) to call it from
        // inlined advice; the inspector reads private JDK fields.
        Module javaBase = Object.class.getModule();
        Module core = Bootstrap.class.getModule();
        inst.redefineModule(javaBase, Set.of(Probe.class.getModule()),
                // jdk.internal.misc to the probe too: Headers reads whether an array was ever identity-hashed
                Map.of("jdk.internal.access", Set.of(core), "jdk.internal.misc", Set.of(core, Probe.class.getModule())),
                // java.nio is opened to the probe too: provenance reads where a buffer's memory is (Memory)
                // java.lang: TemporaryBuffers reads each thread's cache of temporary direct buffers at the close; the
                // probe whether a thread has a thread-local map yet (ThreadMaps) and a virtual thread's carrier (Threads)
                Map.of("sun.nio.ch", Set.of(core), "java.nio", Set.of(core, Probe.class.getModule()), "java.io", Set.of(core),
                        "java.nio.channels", Set.of(core), "java.lang", Set.of(core, Probe.class.getModule())),
                Set.of(), Map.of());
        io.copytrace.boot.Flows.freshArraysCounted(); // the header self-test now, not inside a hooked call
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
        Probe.pause(); // the install itself (jar and cache reads, retransforms) is the agent's work, not the app's
        try {
            HookTransformer hooks = HookTransformer.create(cache, cacheProblem, Bootstrap.class.getClassLoader());
            hooks.install(inst);
            return hooks;
        } finally {
            Probe.resume();
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
