// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * One recorded row of the window so far (call site and JDK path), emitted at each JFR chunk's start and end
 * while a JFR recording runs: counts since the window opened, next to CPU and GC in JMC or any JFR pipeline.
 */
@Name("copytrace.CopySite")
@Label("Copy Site")
@Category({"copytrace"})
@Description("Bytes a call site moved through the JDK's I/O, how, and what it cost in copies (since the window opened)")
@Period("everyChunk")
@StackTrace(false)
public final class CopySiteEvent extends jdk.jfr.Event {
    @Label("Site") public String site;
    @Label("Operation") public String operation;
    @Label("Path") public String path;
    @Label("Fallback Reason") public String reason;
    @Label("Buffer") public String buffer;
    @Label("Source") public String source;
    @Label("Target") public String target;
    @Label("Calls") public long calls;
    @Label("Bytes Moved") @DataAmount public long bytesMoved;
    @Label("JVM-Copied Bytes") @DataAmount public long jvmCopiedBytes;
    @Label("CPU-Copied Bytes") @Description("per copytrace's copy model") @DataAmount public long cpuCopiedBytes;
    @Label("CPU Copies per Byte") public double cpuCopiesPerByte;
}
