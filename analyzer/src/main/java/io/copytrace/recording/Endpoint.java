// SPDX-License-Identifier: Apache-2.0
package io.copytrace.recording;

import io.copytrace.model.EndpointKind;
import java.util.List;

/** One end of a recorded operation: its kind and up to 8 file paths, socket peers or class names. */
public record Endpoint(EndpointKind kind, List<String> names) {
    /** The names joined for a report, or the kind when none were recorded. */
    public String describe() {
        return names.isEmpty() ? kind.wireName() : kind.wireName() + " " + String.join(", ", names);
    }
}
