// SPDX-License-Identifier: Apache-2.0
package io.copytrace.recording;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JDK's per-thread caches of temporary direct buffers at the window's close (the recording's
 * {@code temporaryDirectBuffers} section): native memory heap-buffer channel I/O leaves behind.
 *
 * @param threads threads holding cached buffers
 * @param buffers buffers cached
 * @param bytes   their capacities, summed
 * @param byGroup the largest holders by thread name group
 * @param error   why the caches could not be read, or null
 */
public record TemporaryBufferCaches(long threads, long buffers, long bytes, List<Group> byGroup, String error) {
    /** One thread name group's cached buffers. */
    public record Group(String group, long threads, long buffers, long bytes) {}

    /** The group named, if listed. */
    public Group group(String name) {
        for (Group g : byGroup) if (g.group().equals(name)) return g;
        return null;
    }

    static TemporaryBufferCaches read(Object json) {
        if (!(json instanceof Map<?, ?> m)) return null;
        if (m.get("error") instanceof String e) return new TemporaryBufferCaches(0, 0, 0, List.of(), e);
        List<Group> groups = new ArrayList<>();
        if (m.get("byGroup") instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> g && g.get("group") instanceof String name) {
                    groups.add(new Group(name, count(g.get("threads")), count(g.get("buffers")), count(g.get("bytes"))));
                }
            }
        }
        return new TemporaryBufferCaches(count(m.get("threads")), count(m.get("buffers")), count(m.get("bytes")),
                List.copyOf(groups), null);
    }

    private static long count(Object o) {
        return o instanceof Long n && n >= 0 ? n : 0;
    }
}
