// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import java.lang.instrument.Instrumentation;
import java.nio.file.Path;

/**
 * Keeps C2 off the probe's stack-walk code ({@code SiteTable}, {@code RecentStacks}, {@code FrameTexts}) and the
 * recording's writer ({@code RecordingWriter}, {@code JsonWriter}): a walk is rare (sampled, at most 0.1 % of a
 * thread's time), and C2's compile of it inlined the JDK's stack-frame accessors in a 10–14 MiB arena that the JVM's
 * malloc then kept resident: with 10,000 call sites a third of the agent's resident set. The writer runs at the
 * warm-up, each checkpoint and the close; with 10,000 sites its C2 compiles took 9–13 MiB of arena each (JDK 25's
 * MemStat) and left ~18 MiB resident, and C1's code wrote that close faster (240 ms against 290, the compiles no longer
 * competing with it). A HotSpot compiler directive (JEP 165) excludes these methods from C2 only, so they run
 * C1-compiled; added once per JVM through the diagnostic command {@link ExitCompiles} also uses, from an agent thread
 * after install. The directive matches copytrace's own classes only; the application's compiles are untouched. Never
 * throws.
 */
final class WalkCompiles {
    /** The walk's and the writer's classes (nested ones too), C2 excluded (C1 compiles them instead): JEP 165. */
    static final String DIRECTIVE = "[{match: [\"io/copytrace/boot/SiteTable.*\", \"io/copytrace/boot/RecentStacks.*\","
            + " \"io/copytrace/boot/FrameTexts*.*\", \"io/copytrace/json/JsonWriter*.*\","
            + " \"io/copytrace/agent/RecordingWriter*.*\"], c2: {Exclude: true}}]";
    /** The directive's file in the woven-class cache. */
    static final String KEPT_NAME = "walk-directive.json";
    private static boolean tried;
    private static volatile boolean added;

    private WalkCompiles() {}

    /**
     * Adds the directive unless done before in this JVM, from its file kept in {@code keepIn} (the woven-class
     * cache's folder; null: none), else from a file next to {@code recording} (the user's own folder, not a shared
     * temporary one) deleted after the command read it. Plain {@code java.io} only: it runs as the application
     * starts, and NIO's file classes loaded now (some are hooked) would change which classes the woven-class cache
     * sees loaded from one start to the next ({@link DirectiveFile}).
     */
    static synchronized void add(Instrumentation inst, Path keepIn, Path recording) {
        if (tried) return;
        tried = true;
        try {
            ExitCompiles jit = ExitCompiles.prepare(inst);
            added = jit != null
                    && DirectiveFile.add(jit, DirectiveFile.kept(keepIn, KEPT_NAME, DIRECTIVE), DIRECTIVE, recording, ".walk");
        } catch (Throwable t) {
            added = false;
        }
    }

    /** Whether the JVM took the directive: the walk's code runs C1-compiled. */
    static boolean added() {
        return added;
    }
}
