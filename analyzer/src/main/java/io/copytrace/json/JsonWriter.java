// SPDX-License-Identifier: Apache-2.0
package io.copytrace.json;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The one JSON writer of copytrace. It writes trees made of {@link Map} (string keys, written in
 * iteration order), {@link List}, {@link CharSequence}, {@link Number}, {@link Boolean} and null,
 * pretty-printed with two-space indents so that recordings diff well. The text is ASCII: other
 * characters are written as {@code \\uXXXX} escapes, so a report of megabytes stays a one-byte-per-char
 * String (the few arrows in titles would otherwise double its size) and any reader decodes it.
 */
public final class JsonWriter {
    private static final String SPACES = " ".repeat(32);

    private JsonWriter() {}

    /**
     * An object written on one line, like a flat array: for small records repeated by the thousand (a report's
     * per-finding path entries), where one key per line would be most of the text. Its values must be scalars or
     * flat arrays; anything else is written as in any object.
     */
    public static final class Line extends java.util.LinkedHashMap<String, Object> {
        private static final long serialVersionUID = 1L;
    }

    /** Returns {@code tree} as JSON text ending in a newline. */
    public static String write(Object tree) {
        Out out = new Out(new StringBuilder(4096), null);
        value(out, tree, 0);
        return out.append('\n').text.toString();
    }

    /**
     * Writes {@code tree} as JSON text ending in a newline to {@code sink}, as ASCII bytes (the text is ASCII, so
     * they are its UTF-8 too), in pieces of about 32 K: no String of the whole text is made (a recording of 10,000
     * call sites is ~9 MB of text, and building it as one String took ~45 MB of transient heap), and no char
     * encoder runs (a piece's chars are copied out as bytes: through a {@code Writer} they were widened to chars
     * and encoded back: about a fifth of the agent's close at a JVM's exit). Returns the number of bytes written.
     */
    public static long write(Object tree, java.io.OutputStream sink) throws java.io.IOException {
        Out out = new Out(new StringBuilder(Out.PIECE + 1024), sink);
        try {
            value(out, tree, 0);
            out.append('\n').drain();
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        return out.written;
    }

    /** The text so far, handed to the sink (when there is one) a piece at a time, at line ends. */
    private static final class Out {
        static final int PIECE = 32 * 1024;
        final StringBuilder text;
        final java.io.OutputStream sink;
        long written;

        Out(StringBuilder text, java.io.OutputStream sink) {
            this.text = text;
            this.sink = sink;
        }

        Out append(char c) {
            text.append(c);
            return this;
        }

        Out append(CharSequence s) {
            text.append(s);
            return this;
        }

        Out append(CharSequence s, int start, int end) {
            text.append(s, start, end);
            return this;
        }

        Out append(long v) {
            text.append(v);
            return this;
        }

        Out append(double v) {
            text.append(v);
            return this;
        }

        Out append(boolean v) {
            text.append(v);
            return this;
        }

        /** Hands the text to the sink once a piece has gathered. */
        void lineEnded() {
            if (sink != null && text.length() >= PIECE) drain();
        }

        void drain() {
            if (sink == null) return;
            try {
                // Two array copies of one-byte chars (the text is ASCII): no per-char loop, compiled or not.
                sink.write(text.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            written += text.length();
            text.setLength(0);
        }
    }

    private static void value(Out out, Object v, int indent) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof CharSequence s) {
            string(out, s);
        } else if (v instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                out.append("null"); // JSON has no NaN; null says "undefined" honestly
            } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                out.append((long) d).append(".0");
            } else {
                out.append(d);
            }
        } else if (v instanceof Number n) {
            out.append(n.longValue());
        } else if (v instanceof Map<?, ?> m) {
            object(out, m, indent);
        } else if (v instanceof List<?> l) {
            array(out, l, indent);
        } else if (v instanceof Enum<?> e) {
            string(out, e.toString());
        } else {
            throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
        }
    }

    private static void object(Out out, Map<?, ?> m, int indent) {
        if (m.isEmpty()) {
            out.append("{}");
            return;
        }
        if (m instanceof Line && flatValues(m)) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) out.append(", ");
                first = false;
                string(out, String.valueOf(e.getKey()));
                out.append(": ");
                value(out, e.getValue(), indent + 1);
            }
            out.append('}');
            return;
        }
        out.append('{');
        Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<?, ?> e = it.next();
            newline(out, indent + 1);
            string(out, String.valueOf(e.getKey()));
            out.append(": ");
            value(out, e.getValue(), indent + 1);
            if (it.hasNext()) out.append(',');
        }
        newline(out, indent);
        out.append('}');
    }

    /** True when every value of {@code m} is a scalar or an array that {@link #array} writes on one line. */
    private static boolean flatValues(Map<?, ?> m) {
        for (Object v : m.values()) {
            if (v instanceof Map<?, ?>) return false;
            if (v instanceof List<?> l && !flat(l)) return false;
        }
        return true;
    }

    private static boolean flat(List<?> l) {
        for (Object x : l) if (!scalar(x)) return false;
        return true;
    }

    private static boolean scalar(Object x) {
        return x == null || x instanceof Number || x instanceof Boolean || (x instanceof CharSequence s && s.length() < 40);
    }

    private static void array(Out out, List<?> l, int indent) {
        if (l.isEmpty()) {
            out.append("[]");
            return;
        }
        // A list may make its elements as they are read (the agent's records): a list of objects is read once.
        Object first = l.get(0);
        boolean flat = scalar(first) && flat(l);
        out.append('[');
        for (int i = 0; i < l.size(); i++) {
            if (flat) {
                if (i > 0) out.append(", ");
            } else {
                newline(out, indent + 1);
            }
            value(out, i == 0 ? first : l.get(i), indent + 1);
            if (!flat && i < l.size() - 1) out.append(',');
        }
        if (!flat) newline(out, indent);
        out.append(']');
    }

    private static void newline(Out out, int indent) {
        out.lineEnded();
        out.append('\n');
        for (int n = 2 * indent; n > 0; n -= SPACES.length()) out.append(SPACES, 0, Math.min(n, SPACES.length()));
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static void string(Out out, CharSequence s) {
        out.append('"');
        // Runs of plain characters are appended in one piece: a report has megabytes of them.
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') continue;
            out.append(s, run, i);
            run = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append("\\u").append(HEX[c >> 12]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf])
                        .append(HEX[c & 0xf]);
            }
        }
        if (run == 0) out.append(s); else out.append(s, run, s.length()); // the first: a bulk copy on JDK 17
        out.append('"');
    }
}
