// SPDX-License-Identifier: Apache-2.0
package io.copytrace.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses JSON text into the same tree shape {@link JsonWriter} writes: {@link LinkedHashMap},
 * {@link ArrayList}, {@link String}, {@link Long} (integers), {@link Double}, {@link Boolean}, null.
 *
 * <p>Plain loops over a {@code char[]}: a recording of 10 000 sites is megabytes of JSON, and the
 * command line reads it in a cold JVM, where every call per character counts.
 */
public final class JsonReader {
    /** Deeper nesting is refused: copytrace's files nest a few levels; recursion must not overflow the stack. */
    static final int MAX_DEPTH = 64;
    private final char[] text;
    private final int end;
    private int pos;
    private int depth;

    private JsonReader(String text) {
        this.text = text.toCharArray();
        this.end = this.text.length;
    }

    /** Parses {@code text}; throws {@link JsonException} naming the offset of the first problem. */
    public static Object parse(String text) {
        JsonReader r = new JsonReader(text);
        r.skipSpace();
        Object v = r.value();
        r.skipSpace();
        if (r.pos != r.end) throw r.error("unexpected text after the JSON value");
        return v;
    }

    /** A JSON syntax problem, with the character offset where it was found. */
    public static final class JsonException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        JsonException(String message) {
            super(message);
        }
    }

    private JsonException error(String what) {
        return new JsonException(what + " at offset " + pos + (pos >= end ? " (the text ends early: truncated?)" : ""));
    }

    private Object value() {
        if (pos >= end) throw error("expected a value");
        char c = text[pos];
        switch (c) {
            case '{':
            case '[':
                if (++depth > MAX_DEPTH) throw error("nested deeper than " + MAX_DEPTH + " levels");
                try {
                    return c == '{' ? object() : array();
                } finally {
                    depth--;
                }
            case '"': return string();
            case 't': return literal("true", Boolean.TRUE);
            case 'f': return literal("false", Boolean.FALSE);
            case 'n': return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) return number();
                throw error("unexpected character '" + c + "'");
        }
    }

    private Object literal(String word, Object v) {
        if (pos + word.length() > end) throw error("expected " + word);
        for (int i = 0; i < word.length(); i++) {
            if (text[pos + i] != word.charAt(i)) throw error("expected " + word);
        }
        pos += word.length();
        return v;
    }

    private Map<String, Object> object() {
        Map<String, Object> m = new LinkedHashMap<>();
        pos++;
        skipSpace();
        if (peek() == '}') {
            pos++;
            return m;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') throw error("expected a string key");
            String k = string();
            skipSpace();
            expect(':');
            skipSpace();
            m.put(k, value());
            skipSpace();
            char c = next();
            if (c == '}') return m;
            if (c != ',') throw error("expected ',' or '}'");
        }
    }

    private List<Object> array() {
        List<Object> l = new ArrayList<>();
        pos++;
        skipSpace();
        if (peek() == ']') {
            pos++;
            return l;
        }
        while (true) {
            skipSpace();
            l.add(value());
            skipSpace();
            char c = next();
            if (c == ']') return l;
            if (c != ',') throw error("expected ',' or ']'");
        }
    }

    private String string() {
        pos++;
        // Fast path: most strings have no escapes; take them in one piece.
        for (int i = pos; i < end; i++) {
            char c = text[i];
            if (c == '"') {
                String s = new String(text, pos, i - pos);
                pos = i + 1;
                return s;
            }
            if (c == '\\') break;
        }
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= end) throw error("unterminated string");
            char c = text[pos++];
            if (c == '"') return sb.toString();
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= end) throw error("unterminated escape");
            char e = text[pos++];
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'u' -> {
                    if (pos + 4 > end) throw error("short \\u escape");
                    int u = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = Character.digit(text[pos + i], 16);
                        if (d < 0) throw error("bad \\u escape");
                        u = u * 16 + d;
                    }
                    sb.append((char) u);
                    pos += 4;
                }
                default -> throw error("bad escape \\" + e);
            }
        }
    }

    private Object number() {
        int start = pos;
        boolean negative = text[pos] == '-';
        if (negative) pos++;
        // Integers (nearly every number in a recording) are accumulated here; anything else goes to the JDK.
        long v = 0;
        boolean exact = true;
        int digits = 0;
        while (pos < end && text[pos] >= '0' && text[pos] <= '9') {
            if (digits++ >= 18) exact = false; // 18 digits always fit in a long
            v = v * 10 + (text[pos++] - '0');
        }
        boolean real = false;
        while (pos < end) {
            char c = text[pos];
            if (c >= '0' && c <= '9') {
                pos++;
            } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                real = true;
                pos++;
            } else {
                break;
            }
        }
        if (!real && exact && digits > 0) return negative ? -v : v;
        String s = new String(text, start, pos - start);
        try {
            if (!real) return Long.parseLong(s);
            double d = Double.parseDouble(s);
            if (Double.isInfinite(d)) throw new NumberFormatException("out of range");
            return d;
        } catch (NumberFormatException x) {
            pos = start;
            throw error("bad number '" + s + "'");
        }
    }

    private void expect(char c) {
        if (next() != c) {
            pos--;
            throw error("expected '" + c + "'");
        }
    }

    private char peek() {
        if (pos >= end) throw error("unexpected end");
        return text[pos];
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private void skipSpace() {
        // JSON whitespace is these four; anything else is a syntax error found by the caller.
        while (pos < end) {
            char c = text[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
            pos++;
        }
    }
}
