// SPDX-License-Identifier: Apache-2.0
package io.copytrace.jfr;

import io.copytrace.analysis.Units;
import io.copytrace.recording.Origin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a report from JFR events must say it cannot show: the events' thresholds (read from the recording's
 * {@code jdk.ActiveSetting} events), the paths and copies no JDK event covers, the rules that could not run, and
 * what the copytrace agent adds. The sentences become the recording's {@link Origin}.
 */
final class JfrLimits {
    /** Each I/O event's active settings (threshold, throttle, enabled, stackTrace), the last value recorded. */
    private final Map<String, Map<String, String>> settings = new LinkedHashMap<>();
    private final Map<String, Long> seen = new LinkedHashMap<>();
    private boolean withoutApi, withoutStack;

    void setting(String event, String name, String value) {
        settings.computeIfAbsent(event, e -> new LinkedHashMap<>()).put(name, value);
    }

    /** Notes one I/O event and what its stack told (null: no stack trace). */
    void event(String event, JfrStack stack) {
        seen.merge(event, 1L, Long::sum);
        if (stack == null) withoutStack = true;
        else if (stack.api == null) withoutApi = true;
    }

    boolean anyWithoutStack() {
        return withoutStack;
    }

    Origin origin() {
        List<String> limits = new ArrayList<>();
        limits.add("A first look from the JDK's own Flight Recorder events (" + counts() + "), without the copytrace "
                + "agent: bytes and calls per call site, file and peer, for the I/O calls JFR recorded.");
        limits.add(thresholds());
        for (String event : JfrRecording.IO_EVENTS) {
            if ("false".equals(setting(event, "enabled"))) limits.add(event + " was not enabled: none of its calls are here.");
        }
        if (withoutStack) {
            limits.add("Some events have no stack trace (stackTrace off in the JFR settings): their calls are under "
                    + "one site, <no stack trace>.");
        }
        if (withoutApi) {
            limits.add("On this JDK the events' stacks start at the caller of the JDK's I/O method, so they do not say "
                    + "whether a call went through a FileChannel or a java.io stream (a SocketChannel or a Socket stream): "
                    + "such calls are shown as FileChannel and SocketChannel calls with buffer 'unknown'.");
        }
        limits.add("Not in JFR's I/O events at all: FileChannel.transferTo/transferFrom (sendfile, copy_file_range), "
                + "Files.copy and InputStream.transferTo done in the kernel, memory-mapped files, datagrams, TLS, the "
                + "buffer a channel call used, bytes requested per call, and the JVM's own copies (a heap ByteBuffer "
                + "copied into a temporary direct buffer, java.io's JNI copy). CPU copies here are the kernel's "
                + "copies of the calls recorded: a lower bound.");
        limits.add("Rules that could not run on these events: heap-buffer and stream-io (need the bytes the JVM copied), "
                + "zero-copy, transfer-fallback and mapped-send (need transferTo and mmap paths), relay (needs the "
                + "agent's memory provenance), tls (needs SSLEngine calls), storage-read and the kernel cross-check "
                + "(need kernel counters). No finding from them does not mean no such problem.");
        limits.add("Run the copytrace agent (-javaagent:copytrace.jar, or copytrace attach PID) for every call with exact "
                + "counts, the path each call really took (sendfile, mmap, a user-space loop), its buffers, every byte "
                + "the JVM copied, reads followed to the writes that send their bytes, and the kernel's counters.");
        return new Origin("jfr", "JDK Flight Recorder events, no copytrace agent", List.copyOf(limits));
    }

    private String counts() {
        List<String> parts = new ArrayList<>();
        for (String event : JfrRecording.IO_EVENTS) parts.add(Units.count(seen.getOrDefault(event, 0L)) + " " + event);
        return String.join(", ", parts);
    }

    /** The thresholds line: all zero (complete), some above zero (a lower bound), or not recorded. */
    private String thresholds() {
        List<String> parts = new ArrayList<>(), unknown = new ArrayList<>();
        boolean complete = true;
        for (String event : JfrRecording.IO_EVENTS) {
            if ("false".equals(setting(event, "enabled"))) continue;
            String threshold = setting(event, "threshold");
            if (threshold == null) {
                unknown.add(event);
                continue;
            }
            String throttle = setting(event, "throttle"); // JDK 25: at most so many events per second
            boolean throttled = throttle != null && !throttle.equals("off");
            parts.add(event + " " + threshold + (throttled ? " (throttle " + throttle + ")" : ""));
            if (!isZero(threshold) || throttled) complete = false;
        }
        if (!unknown.isEmpty()) {
            return "Threshold unknown for " + String.join(", ", unknown) + " (the file has no jdk.ActiveSetting events "
                    + "for them" + (parts.isEmpty() ? "" : "; recorded: " + String.join(", ", parts)) + "): calls faster "
                    + "than a threshold are not recorded, so calls and bytes here may be a lower bound.";
        }
        if (complete) return "Threshold: " + String.join(", ", parts) + ": every call of these events is here.";
        return "Threshold: " + String.join(", ", parts) + ": calls faster than that are not recorded (most I/O takes "
                + "microseconds), nor calls over a throttle's rate, so calls and bytes here are a lower bound. Record "
                + "with threshold=0 ms (and throttle=off) for all calls.";
    }

    private String setting(String event, String name) {
        return settings.getOrDefault(event, Map.of()).get(name);
    }

    /** "0 ms", "0 ns", "0 s": JFR writes thresholds as a number and a unit. */
    private static boolean isZero(String threshold) {
        String number = threshold.trim().split("\\s+")[0];
        return number.matches("0+(\\.0+)?");
    }
}
