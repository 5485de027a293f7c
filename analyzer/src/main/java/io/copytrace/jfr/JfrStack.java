// SPDX-License-Identifier: Apache-2.0
package io.copytrace.jfr;

import io.copytrace.model.BufferKind;
import io.copytrace.model.Operation;
import io.copytrace.recording.Site;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;

/**
 * What a JFR I/O event's stack says: the call site (the first application frame, found the way the agent's
 * {@code io.copytrace.boot.SiteTable} finds it: I/O plumbing skipped, JDK code that does I/O for its own needs
 * makes it JDK-internal) and, when the JDK's I/O class is on the stack, which API made the call.
 *
 * <p>JDK 17's events are emitted inside the instrumented JDK method, so its frame tops the stack
 * ({@code FileChannelImpl.read}, {@code FileInputStream.read}…). From JDK 22 the stack starts at the caller of
 * that method: the API is then unknown ({@link #api} is null).
 */
final class JfrStack {
    /** Frames kept from the site outwards, as the agent's default {@code stack-depth}. */
    static final int DEPTH = 16;
    /** The site of JDK-internal I/O, as the agent names it. */
    static final Site JDK_INTERNAL = new Site(-3, "jdk-internal", "<jdk-internal>", List.of("<jdk-internal>"));
    /** The site of events recorded without a stack trace ({@code stackTrace=false}). */
    static final Site NO_STACK = new Site(-5, "other", "<no stack trace: stackTrace is off for this event in the "
            + "JFR settings>", List.of("<no stack trace>"));

    /** Mirrors SiteTable's lists (the agent's boot classes cannot share the analyzer's). */
    private static final String[] JDK = {"java.", "javax.", "jdk.", "sun.", "com.sun."};
    private static final String[] IO_PLUMBING = {
        "java.io.", "java.nio.", "sun.nio.", "java.net.", "sun.net.", "javax.net.", "sun.security.ssl.",
        "java.util.zip.", "java.util.jar.", "java.util.Scanner", "java.util.Properties",
    };
    private static final String[] INTERNAL_INITIATORS = {
        "java.security.", "sun.security.", "javax.crypto.", "jdk.internal.", "java.lang.ClassLoader",
        "java.lang.System", "java.lang.Runtime", "java.lang.invoke.", "java.util.ServiceLoader",
        "java.util.ResourceBundle", "java.util.TimeZone", "java.util.Currency", "java.util.logging.",
        "java.util.prefs.", "sun.util.", "java.time.zone.", "sun.launcher.", "jdk.jfr.", "sun.management.",
        "java.lang.management.",
    };

    /**
     * The JDK API an event came through, from its frame on JDK 17.
     *
     * @param stream true for java.io file streams and java.net.Socket streams (byte[] only); false for channels
     */
    record Api(boolean stream) {
        Operation operation(boolean file, boolean read) {
            if (file) return stream ? (read ? Operation.STREAM_READ : Operation.STREAM_WRITE)
                    : (read ? Operation.FILE_READ : Operation.FILE_WRITE);
            return stream ? (read ? Operation.SOCKET_STREAM_READ : Operation.SOCKET_STREAM_WRITE)
                    : (read ? Operation.SOCKET_READ : Operation.SOCKET_WRITE);
        }

        BufferKind buffer() {
            return stream ? BufferKind.BYTE_ARRAY : BufferKind.UNKNOWN;
        }
    }

    /** The site frames (first application frame outwards), empty for JDK-internal I/O. */
    final List<String> site;
    /** The API, or null when no JDK I/O class is on the stack (JDK 22 and later). */
    final Api api;

    private JfrStack(List<String> site, Api api) {
        this.site = site;
        this.api = api;
    }

    /** Reads an event's stack; null when the event has none. */
    static JfrStack of(RecordedStackTrace trace) {
        if (trace == null) return null;
        List<RecordedFrame> frames = trace.getFrames();
        Api api = null;
        boolean top = true;
        int start = -1;
        for (int i = 0; i < frames.size() && start < 0; i++) {
            RecordedFrame f = frames.get(i);
            if (!f.isJavaFrame()) continue;
            String cls = f.getMethod().getType().getName();
            if (top) api = api(cls); // the event's own method on JDK 17, its caller later
            top = false;
            if (startsWithAny(cls, IO_PLUMBING)) continue;
            if (startsWithAny(cls, JDK)) {
                if (startsWithAny(cls, INTERNAL_INITIATORS)) return new JfrStack(List.of(), api);
                continue;
            }
            start = i;
        }
        if (start < 0) return new JfrStack(List.of(), api); // only JDK frames: the JDK's own I/O
        List<String> site = new ArrayList<>(DEPTH);
        for (int i = start; i < frames.size() && site.size() < DEPTH; i++) {
            if (frames.get(i).isJavaFrame()) site.add(text(frames.get(i)));
        }
        return new JfrStack(List.copyOf(site), api);
    }

    /** The API an I/O class stands for, or null for any other class. */
    private static Api api(String cls) {
        return switch (cls) {
            case "sun.nio.ch.FileChannelImpl", "sun.nio.ch.SocketChannelImpl" -> new Api(false);
            case "java.io.FileInputStream", "java.io.FileOutputStream", "java.io.RandomAccessFile",
                 "java.net.Socket$SocketInputStream", "java.net.Socket$SocketOutputStream", "sun.nio.ch.NioSocketImpl",
                 "java.net.SocketInputStream", "java.net.SocketOutputStream" -> new Api(true);
            default -> null;
        };
    }

    /** {@code class.method(line N)}: JFR frames carry no source file name. */
    private static String text(RecordedFrame f) {
        String method = f.getMethod().getType().getName() + "." + f.getMethod().getName();
        return f.getLineNumber() > 0 ? method + "(line " + f.getLineNumber() + ")" : method + "()";
    }

    private static boolean startsWithAny(String s, String[] prefixes) {
        for (String p : prefixes) if (s.startsWith(p)) return true;
        return false;
    }
}
