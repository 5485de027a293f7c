// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import java.util.List;

/**
 * Only the name {@code io.copytrace.agent.Jdk#all} that AttachIT's {@code @MethodSource} still uses while it is
 * edited concurrently; the JDK list is {@link io.copytrace.testing.Jdk}. Delete this once AttachIT names that.
 */
final class Jdk {
    private Jdk() {}

    static List<io.copytrace.testing.Jdk> all() {
        return io.copytrace.testing.Jdk.all();
    }
}
