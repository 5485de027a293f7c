// SPDX-License-Identifier: Apache-2.0
package io.copytrace.report;

import io.copytrace.analysis.Report;

/** Renders an analyzed recording in one format. */
public interface ReportFormat {
    /** The whole report as text (UTF-8 when written), deterministic for a given report. */
    String render(Report report);
}
