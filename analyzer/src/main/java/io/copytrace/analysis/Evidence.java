// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finding's evidence: lines in reading order, each a label and a value made of text and {@link Figure}s. The
 * human formats print "label: value"; the JSON report writes each line's name and figures.
 */
public final class Evidence {
    /** No evidence. */
    public static final Evidence NONE = new Evidence(List.of());

    private final List<Line> lines;

    private Evidence(List<Line> lines) {
        this.lines = lines;
    }

    /**
     * One line of evidence.
     *
     * <p>{@code name} says what the line is for tools (the JSON report's {@code name}; see docs/report-format.md);
     * the label, for people, may hold figures too ("read  Prog.loop(Prog.java:75)").
     */
    public static final class Line {
        private final String name;
        private final List<Prose.Part> label;
        private final List<Prose.Part> value;
        private final Map<String, Object> figures;

        Line(String name, Prose label, Prose value) {
            this.name = name;
            this.label = label.parts();
            this.value = value.parts();
            Map<String, Object> m = new LinkedHashMap<>();
            Prose.figures(this.label, m);
            Prose.figures(this.value, m);
            this.figures = Collections.unmodifiableMap(m);
        }

        /** What the line is, for tools: "calls", "read", "copiesPerByteNow". */
        public String name() {
            return name;
        }

        /** The label people read: "calls", "read  Prog.loop(Prog.java:75)". */
        public String label() {
            StringBuilder out = new StringBuilder(32);
            Prose.render(label, out);
            return out.toString();
        }

        /** The value people read. */
        public String text() {
            StringBuilder out = new StringBuilder(96);
            Prose.render(value, out);
            return out.toString();
        }

        /** The figures of label and value by JSON key, in reading order. */
        public Map<String, Object> figures() {
            return figures;
        }

        @Override
        public String toString() {
            return label() + ": " + text();
        }
    }

    /** The lines, in reading order. */
    public List<Line> lines() {
        return lines;
    }

    /** The value of the line labelled {@code label}, as people read it, or null. */
    public String get(String label) {
        for (Line l : lines) if (l.label().equals(label)) return l.text();
        return null;
    }

    /** True when a line is labelled {@code label}. */
    public boolean containsKey(String label) {
        return get(label) != null;
    }

    /** This evidence with one more line, or with the line labelled {@code label} replaced. */
    public Evidence with(String name, String label, Prose value) {
        Builder b = new Builder();
        boolean replaced = false;
        for (Line l : lines) {
            if (l.label().equals(label)) {
                b.lines.add(new Line(name, Prose.of(label), value));
                replaced = true;
            } else {
                b.lines.add(l);
            }
        }
        if (!replaced) b.put(name, label, value);
        return b.build();
    }

    @Override
    public String toString() {
        return lines.toString();
    }

    /** Lines in the order they are put. */
    public static final class Builder {
        private final List<Line> lines = new ArrayList<>();

        /** Adds a line whose label is plain words. */
        public Builder put(String name, String label, Prose value) {
            return put(name, Prose.of(label), value);
        }

        /** Adds a line whose label holds figures. */
        public Builder put(String name, Prose label, Prose value) {
            lines.add(new Line(name, label, value));
            return this;
        }

        /** True when a line already reads {@code label}. */
        public boolean hasLabel(String label) {
            for (Line l : lines) if (l.label().equals(label)) return true;
            return false;
        }

        /** The evidence. */
        public Evidence build() {
            return new Evidence(List.copyOf(lines));
        }
    }
}
