// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Text and figures in reading order: "512 file.write calls, 4.0 MiB moved". A rule builds it once; the human
 * formats read it as a sentence ({@link #render}), the JSON report as its figures ({@link #figures}), so the two
 * always say the same. Built by chaining; a part, once added, does not change.
 */
public final class Prose {
    /** One piece of prose. */
    sealed interface Part permits Text, Value, Items {}

    /** Words between figures. */
    record Text(String text) implements Part {}

    /** A figure; {@code shown} false keeps it out of the sentence (the JSON report still has it). */
    record Value(Figure figure, Object value, boolean shown) implements Part {}

    /** Items with figures of their own (one per thread group, per kernel row), joined by {@code separator}. */
    record Items(Figure figure, String separator, List<List<Part>> items) implements Part {}

    private final List<Part> parts = new ArrayList<>(8);

    /** Prose starting with {@code text}. */
    public static Prose of(String text) {
        return new Prose().text(text);
    }

    /** Prose starting with a figure. */
    public static Prose of(Figure figure, Object value) {
        return new Prose().fig(figure, value);
    }

    /** Adds words. */
    public Prose text(String text) {
        if (!text.isEmpty()) parts.add(new Text(text));
        return this;
    }

    /** Adds a figure, shown in the sentence as its unit renders it. */
    public Prose fig(Figure figure, Object value) {
        parts.add(new Value(figure, figure.unit().check(figure, value), true));
        return this;
    }

    /** Adds a figure for tools only: the sentence says it in words, or leaves it out. */
    public Prose fact(Figure figure, Object value) {
        parts.add(new Value(figure, figure.unit().check(figure, value), false));
        return this;
    }

    /** Adds items, each with its own figures, joined by {@code separator} in the sentence. */
    public Prose items(Figure figure, String separator, List<Prose> items) {
        if (figure.unit() != Figure.Unit.ITEMS) throw new IllegalArgumentException(figure + " holds no items");
        List<List<Part>> copies = new ArrayList<>(items.size());
        for (Prose p : items) copies.add(List.copyOf(p.parts));
        parts.add(new Items(figure, separator, List.copyOf(copies)));
        return this;
    }

    /** Adds all of {@code more}. */
    public Prose then(Prose more) {
        parts.addAll(more.parts);
        return this;
    }

    /** The parts as they are now. */
    List<Part> parts() {
        return List.copyOf(parts);
    }

    /** The sentence. */
    public String render() {
        StringBuilder out = new StringBuilder(64);
        render(parts, out);
        return out.toString();
    }

    @Override
    public String toString() {
        return render();
    }

    static void render(List<Part> parts, StringBuilder out) {
        for (Part p : parts) {
            if (p instanceof Text t) {
                out.append(t.text());
            } else if (p instanceof Value v) {
                if (v.shown()) out.append(v.figure().unit().render(v.value()));
            } else if (p instanceof Items i) {
                for (int n = 0; n < i.items().size(); n++) {
                    if (n > 0) out.append(i.separator());
                    render(i.items().get(n), out);
                }
            }
        }
    }

    /**
     * The figures of {@code parts} by JSON key, in order; items as a list of their figures. A figure given twice
     * must have the same value (a record's operation in a line's label and in its value).
     */
    static void figures(List<Part> parts, Map<String, Object> out) {
        for (Part p : parts) {
            if (p instanceof Value v) {
                put(out, v.figure(), v.value());
            } else if (p instanceof Items i) {
                List<Object> items = new ArrayList<>(i.items().size());
                for (List<Part> item : i.items()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    figures(item, m);
                    items.add(m);
                }
                put(out, i.figure(), items);
            }
        }
    }

    private static void put(Map<String, Object> out, Figure f, Object value) {
        if (out.containsKey(f.key()) && !Objects.equals(out.get(f.key()), value)) {
            throw new IllegalStateException("evidence figure " + f.key() + " given twice: " + out.get(f.key())
                    + " and " + value);
        }
        out.put(f.key(), value);
    }
}
