// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * One finding of the window so far (what copytrace's report would say now), emitted with the site events at
 * each JFR chunk's start and end; the last ones in a file are the window's findings when JFR ended with it.
 */
@Name("copytrace.Finding")
@Label("Copy Finding")
@Category({"copytrace"})
@Description("A zero-copy opportunity, limitation or good path copytrace's rules find in the window so far")
@Period("everyChunk")
@StackTrace(false)
public final class FindingEvent extends jdk.jfr.Event {
    @Label("Rule") public String rule;
    @Label("Kind") public String kind;
    @Label("Title") public String title;
    @Label("Site") public String site;
    @Label("Bytes") @DataAmount public long bytes;
    @Label("CPU-Copied Bytes Saved") @DataAmount public long cpuCopiedBytesSaved;
    @Label("Syscalls Saved") public long syscallsSaved;
    @Label("Estimated CPU Saved") @Description("priced with typical costs (10 GB/s copies, 250 ns per syscall); the report prices with measured ones")
    @Timespan(Timespan.NANOSECONDS) public long estimatedNanosSaved;
    @Label("Confidence") public String confidence;
    @Label("Fix") public String fix;
}
