// SPDX-License-Identifier: Apache-2.0
package io.copytrace.report;

import java.util.Locale;

/** The report formats; get a renderer with {@link ReportFormatFactory#getInstance(ReportFormatType)}. */
public enum ReportFormatType {
    /** Plain text for a terminal. */
    TEXT("text", "txt"),
    /** Markdown for a ticket or a pull request. */
    MARKDOWN("md", "md"),
    /** One self-contained HTML file: no network, inline CSS, JS and SVG. */
    HTML("html", "html"),
    /** JSON for tools; schema in docs/report-format.md. */
    JSON("json", "json");

    private final String optionName;
    private final String extension;

    ReportFormatType(String optionName, String extension) {
        this.optionName = optionName;
        this.extension = extension;
    }

    /** The name on the command line and in the agent's {@code report=} option. */
    public String optionName() {
        return optionName;
    }

    /** The file name extension, without the dot. */
    public String extension() {
        return extension;
    }

    /** Looks a format up by option name ({@code text, md, html, json}; {@code markdown} and {@code txt} too). */
    public static ReportFormatType of(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (ReportFormatType t : values()) {
            if (t.optionName.equals(n) || t.extension.equals(n) || t.name().toLowerCase(Locale.ROOT).equals(n)) return t;
        }
        throw new IllegalArgumentException("unknown report format '" + name + "' (use text, md, html or json)");
    }
}
