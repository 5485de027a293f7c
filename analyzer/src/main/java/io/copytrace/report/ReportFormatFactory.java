// SPDX-License-Identifier: Apache-2.0
package io.copytrace.report;

/** Makes the renderer of a {@link ReportFormatType}. */
public final class ReportFormatFactory {
    private ReportFormatFactory() {}

    /** The renderer for {@code type}. */
    public static ReportFormat getInstance(ReportFormatType type) {
        return switch (type) {
            case TEXT -> new TextFormat();
            case MARKDOWN -> new MarkdownFormat();
            case HTML -> new HtmlFormat();
            case JSON -> new JsonFormat();
        };
    }
}
