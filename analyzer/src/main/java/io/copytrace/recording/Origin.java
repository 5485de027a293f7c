// SPDX-License-Identifier: Apache-2.0
package io.copytrace.recording;

import java.util.List;

/**
 * What made a recording, and what that source cannot show.
 *
 * @param source {@code agent} (the copytrace agent) or {@code jfr} (the JDK's own Flight Recorder I/O events)
 * @param title  the source as a report's subject line names it
 * @param limits sentences every report states prominently: what is missing, what is a lower bound, which
 *               rules could not run, what the agent would add (empty for the agent)
 */
public record Origin(String source, String title, List<String> limits) {
    /** A recording the copytrace agent wrote. */
    public static final Origin AGENT = new Origin("agent", "copytrace agent", List.of());

    /** True for the agent's own recordings, which need no caveats. */
    public boolean isAgent() {
        return "agent".equals(source);
    }
}
