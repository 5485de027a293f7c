// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.jfr;

import io.copytrace.analysis.Analysis;
import io.copytrace.analysis.Finding;
import io.copytrace.analysis.HostCost;
import io.copytrace.json.JsonWriter;
import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.Recording;
import java.util.Map;
import java.util.function.Supplier;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

/**
 * copytrace's JFR events: registered as periodic events (each chunk's start and end) when JFR initializes in
 * this JVM, never before (registering would start JFR's machinery in an application that does not use it).
 * The hooks run on JFR's own thread and build the window's recording so far, its rows and its findings.
 */
public final class JfrBridge {
    /** A recording event larger than this is left out (the site events still go): JFR strings are not meant to be huge. */
    static final int MAX_RECORDING_CHARS = 4 << 20;

    private static volatile boolean registered;
    /** The open window's recording so far; null between windows. */
    private static volatile Supplier<Map<String, Object>> current;

    private JfrBridge() {}

    private static boolean listening;

    /**
     * Emits {@code tree}'s rows and recording as JFR events whenever a JFR recording runs in this JVM, from now
     * on: a listener (added on an agent thread: ~14 ms and ~20 jdk.jfr classes, nothing else, in a JVM that
     * never starts JFR) registers the periodic events when JFR initializes, or at once if it has.
     */
    public static synchronized void watch(Supplier<Map<String, Object>> tree, java.util.function.Function<Runnable, Thread> agentThread) {
        current = tree;
        if (listening || ModuleLayer.boot().findModule("jdk.jfr").isEmpty()) return;
        listening = true;
        agentThread.apply(() -> FlightRecorder.addListener(new FlightRecorderListener() {
            @Override
            public void recorderInitialized(FlightRecorder recorder) {
                register();
            }
        })).start();
    }

    private static synchronized void register() {
        if (registered) return;
        registered = true;
        FlightRecorder.addPeriodicEvent(RecordingEvent.class, JfrBridge::emit);
    }

    /**
     * The window closed with {@code recording}, its final recording as written (kernel counts included): its rows,
     * findings and recording go out once more now, if JFR runs in this JVM, so a JFR recording that outlives the
     * window holds what the window found at its close. Nothing happens in a JVM where JFR never started (the
     * recording is not even made into text).
     */
    public static void windowClosed(Map<String, Object> recording) {
        if (registered) emit(JsonWriter.write(recording));
    }

    /** The window ended and gave its hooks back: nothing to emit until the next one registers. */
    public static void windowEnded() {
        current = null;
    }

    /**
     * Typical copy and syscall costs (10 GB/s, 250 ns) to price the findings' savings: measuring this host's (as
     * the report does) writes to /dev/null and copies 128 MiB, which JFR's first emission would do on the thread
     * that starts JFR, often main, and the kernel would count as I/O nothing recorded.
     */
    static final HostCost TYPICAL_COST = HostCost.fixed(10, 250);

    private static void emit() {
        Supplier<Map<String, Object>> tree = current;
        if (tree == null) return;
        try {
            emit(JsonWriter.write(tree.get()));
        } catch (Throwable t) {
            // JFR's thread: never throw into it
        }
    }

    private static void emit(String json) {
        try {
            if (json.length() <= MAX_RECORDING_CHARS) {
                RecordingEvent r = new RecordingEvent();
                r.json = json;
                r.length = json.length();
                r.commit();
            }
            Recording rec = Recording.parse(json, "jfr");
            for (CopyRecord c : rec.records()) {
                CopySiteEvent e = new CopySiteEvent();
                e.site = c.site().frame();
                e.operation = c.operation().wireName();
                e.path = c.path().wireName();
                e.reason = c.reason().wireName();
                e.buffer = c.buffer().wireName();
                e.source = c.source().describe();
                e.target = c.target().describe();
                e.calls = c.calls();
                e.bytesMoved = c.bytesMoved();
                e.jvmCopiedBytes = c.jvmCopiedBytes();
                e.cpuCopiedBytes = c.cpuCopiedBytes();
                e.cpuCopiesPerByte = c.cpuCopiesPerByte();
                e.commit();
            }
            for (Finding f : Analysis.analyze(rec, TYPICAL_COST).findings()) {
                FindingEvent e = new FindingEvent();
                e.rule = f.rule();
                e.kind = f.kind().label();
                e.title = f.title();
                e.site = f.site() == null ? null : f.site().frame();
                e.bytes = f.bytes();
                e.cpuCopiedBytesSaved = f.saving().cpuCopiedBytes();
                e.syscallsSaved = f.saving().syscalls();
                e.estimatedNanosSaved = f.saving().estimatedNanos();
                e.confidence = f.confidence().label();
                e.fix = f.fix();
                e.commit();
            }
        } catch (Throwable t) {
            // JFR's thread or the window's close: never throw
        }
    }
}
