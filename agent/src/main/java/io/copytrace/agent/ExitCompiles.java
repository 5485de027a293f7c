// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the JIT from starting compilations while the exit's close runs. The close runs code the warm-up ran
 * once, so its methods cross the compile thresholds right then: on a small machine the compiler threads take
 * the CPU from the close and from the JVM's teardown after it, which also waits at its final safepoint for
 * compilations in flight (README, Cost: JVM exit). For the close's length a HotSpot compiler directive excludes every method from compilation, added
 * through the JVM's own diagnostic command (what {@code jcmd PID Compiler.directives_add FILE} does) and removed
 * after it. Compilations already queued go on; a method that asks to be compiled meanwhile (the close's, or an
 * application shutdown hook's running beside it) stays at the level it runs at. Used at the JVM's exit only;
 * never throws.
 */
final class ExitCompiles {
    /**
     * The largest close held back: a recording last written under 128 KB, with at most 100 threads read. Without
     * the JIT a big close runs interpreted: 10,000 call sites (a 9 MB recording) took 2.1 s at exit instead of 0.74.
     */
    static final long SMALL_RECORDING_CHARS = 128 * 1024;
    static final int SMALL_THREADS = 100;
    private static final String PACKAGE = "com.sun.management.internal";
    /** Every method, both compilers: the directive syntax of JEP 165. */
    static final String EXCLUDE_ALL = "[{match: \"*.*\", Exclude: true}]";
    /** Looked up once per JVM; null before, or when this runtime has no diagnostic commands to call. */
    private static volatile ExitCompiles prepared;
    private static volatile boolean tried;
    /** The directive's file kept in the woven-class cache (written by the warm-up's {@link #prepare}), or null. */
    static final String KEPT_NAME = "exit-directive.json";
    private final Object commands;
    private final Method execute;
    private volatile java.io.File kept;

    private ExitCompiles(Object commands, Method execute) {
        this.commands = commands;
        this.execute = execute;
    }

    /**
     * Whether the exit's close is small enough to run without new compilations: its recording was last written
     * (warm-up, checkpoint) with {@code lastChars} characters, and {@code threads} threads were read (-1: none,
     * no /proc reading to make). Unknown size: no.
     */
    static boolean small(long lastChars, int threads) {
        return lastChars >= 0 && lastChars <= SMALL_RECORDING_CHARS && threads <= SMALL_THREADS;
    }

    /**
     * As {@link #prepare(Instrumentation)}, and keeps the directive's file in {@code keepIn} (the woven-class
     * cache's folder: owner-only, kept between runs; null: none), so the exit only runs the command: writing the
     * file there took about half of the ~2 ms the hold cost at the exit.
     */
    static synchronized ExitCompiles prepare(Instrumentation inst, Path keepIn) {
        ExitCompiles jit = prepare(inst);
        if (jit != null && keepIn != null) jit.kept = DirectiveFile.kept(keepIn, KEPT_NAME, EXCLUDE_ALL);
        return jit;
    }

    /**
     * Finds the diagnostic command entry point of {@code jdk.management}, opening its package to the agent with
     * {@code inst} (null: it must be open already, as in tests). Once per JVM; a runtime without
     * {@code jdk.management} (a jlink image) or a JVM that refuses leaves the exit as it was.
     */
    static synchronized ExitCompiles prepare(Instrumentation inst) {
        if (tried) return prepared;
        tried = true;
        try {
            Class<?> impl = Class.forName(PACKAGE + ".DiagnosticCommandImpl", false, null);
            Module own = ExitCompiles.class.getModule();
            if (inst != null && !impl.getModule().isOpen(PACKAGE, own)) {
                inst.redefineModule(impl.getModule(), Set.of(), Map.of(), Map.of(PACKAGE, Set.of(own)), Set.of(),
                        Map.of());
            }
            Class.forName(PACKAGE + ".PlatformMBeanProviderImpl", true, null); // loads the native library
            Method instance = impl.getDeclaredMethod("getDiagnosticCommandMBean");
            instance.setAccessible(true);
            Method execute = impl.getDeclaredMethod("executeDiagnosticCommand", String.class);
            execute.setAccessible(true);
            prepared = new ExitCompiles(instance.invoke(null), execute);
        } catch (Throwable unavailable) {
            prepared = null;
        }
        return prepared;
    }

    /**
     * At the exit's close: adds the directive (prepared now if the warm-up has not) from the file the warm-up kept,
     * else written next to {@code recording} for the command to read. Returns what {@link #release}s it, or null
     * when it was not added.
     */
    static ExitCompiles hold(Instrumentation inst, Path recording) {
        ExitCompiles jit = prepare(inst);
        if (jit == null) return null;
        return DirectiveFile.add(jit, jit.kept, EXCLUDE_ALL, recording, ".jit") ? jit : null;
    }

    /** Adds the directive in {@code file} (its path must not hold a quote); whether the JVM took it. */
    boolean add(Path file) {
        String path = file.toAbsolutePath().toString();
        return path.indexOf('"') < 0
                && run("Compiler.directives_add \"" + path + "\"").startsWith("1 compiler directives added");
    }

    /** Removes the directive {@link #hold} added (the top one). */
    void release() {
        run("Compiler.directives_remove");
    }

    /** Runs one diagnostic command; its output, or "" when it failed. */
    String run(String command) {
        try {
            return String.valueOf(execute.invoke(commands, command)).strip();
        } catch (Throwable t) {
            return "";
        }
    }
}
