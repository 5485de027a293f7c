// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.metrics;

import java.util.Map;

/** What the open window tells its metrics: the recording so far, as a checkpoint reads it, and its checkpoints. */
public interface MetricsSource {
    /** The window's recording tree so far (the same exact totals a checkpoint writes). */
    Map<String, Object> recordingSoFar();

    /** Checkpoints written in this window. */
    long checkpointsWritten();

    /** Checkpoints that could not be written in this window. */
    long checkpointsFailed();
}
