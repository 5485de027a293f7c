// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * The window's recording so far (the recording-PID.json text), at each JFR chunk's start and end, so
 * {@code copytrace report FILE.jfr} writes the same reports as from the recording file.
 */
@Name("copytrace.Recording")
@Label("Copy Recording")
@Category({"copytrace"})
@Description("copytrace's recording of the window so far, as JSON (docs/recording-format.md)")
@Period("everyChunk")
@StackTrace(false)
public final class RecordingEvent extends jdk.jfr.Event {
    @Label("Recording JSON") public String json;
    @Label("Bytes") public long length;
}
