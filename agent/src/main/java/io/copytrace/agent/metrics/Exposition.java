// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.metrics;

import java.util.Map;

/**
 * Writes metric families as text: OpenMetrics 1.0 ({@code # TYPE}, {@code # UNIT}, {@code # HELP}, counters'
 * samples with {@code _total}, {@code # EOF} at the end), or the Prometheus text format 0.0.4 for a scraper
 * that does not ask for OpenMetrics (no units, no {@code # EOF}, the {@code _total} name in the comments).
 * Label values are escaped as both formats say (backslash, double quote, line feed), help texts as each says
 * (the text format 0.0.4 leaves double quotes as they are).
 */
final class Exposition {
    /** What a scraper asks for, in its Accept header, to get OpenMetrics. */
    static final String OPENMETRICS_TYPE = "application/openmetrics-text";
    static final String OPENMETRICS = OPENMETRICS_TYPE + "; version=1.0.0; charset=utf-8";
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final boolean openMetrics;
    private final StringBuilder out = new StringBuilder(4096);
    /** The family being written: its samples' name. */
    private String sampleName;

    Exposition(boolean openMetrics) {
        this.openMetrics = openMetrics;
    }

    /** The content type of what this writes. */
    String contentType() {
        return openMetrics ? OPENMETRICS : PROMETHEUS_TEXT;
    }

    /** Starts a counter family {@code name} (without {@code _total}); {@code unit} is null or its name's suffix. */
    Exposition counter(String name, String unit, String help) {
        return family(name, "counter", unit, help, name + "_total");
    }

    /** Starts a gauge family. */
    Exposition gauge(String name, String unit, String help) {
        return family(name, "gauge", unit, help, name);
    }

    private Exposition family(String name, String type, String unit, String help, String samples) {
        String described = openMetrics ? name : samples;
        out.append("# TYPE ").append(described).append(' ').append(type).append('\n');
        if (openMetrics && unit != null) out.append("# UNIT ").append(name).append(' ').append(unit).append('\n');
        out.append("# HELP ").append(described).append(' ');
        escape(help, openMetrics); // the text format leaves a double quote in help as it is
        out.append('\n');
        sampleName = samples;
        return this;
    }

    /** One sample of the family being written, labels in the map's order. */
    Exposition sample(Map<String, String> labels, long value) {
        out.append(sampleName);
        if (!labels.isEmpty()) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, String> l : labels.entrySet()) {
                if (!first) out.append(',');
                first = false;
                out.append(l.getKey()).append("=\"");
                escape(l.getValue(), true);
                out.append('"');
            }
            out.append('}');
        }
        out.append(' ').append(value).append('\n');
        return this;
    }

    /** Appends {@code value} with backslash and line feed escaped, and the double quote when {@code quote}. */
    private void escape(String value, boolean quote) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append(quote ? "\\\"" : "\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }

    /** The whole exposition. */
    String text() {
        return openMetrics ? out + "# EOF\n" : out.toString();
    }

    /** Whether an Accept header asks for OpenMetrics (Prometheus 2.5+ does, preferring it). */
    static boolean wantsOpenMetrics(String accept) {
        return accept != null && accept.contains(OPENMETRICS_TYPE);
    }
}
