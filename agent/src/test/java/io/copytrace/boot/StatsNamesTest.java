// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A row keeps up to MAX_NAMES distinct endpoint names: equal names once, names that only share a hash apart. */
class StatsNamesTest {
    @Test
    void equalNamesAreKeptOnceAndHashTwinsApart() {
        Stats row = new Stats(1);
        int dropped = row.noteNames(null, new String("a/file")); // an equal name in another object: one name
        dropped += row.noteNames(null, new String("a/file"));
        dropped += row.noteNames(null, "Aa"); // "Aa" and "BB" have the same String hash: two names
        dropped += row.noteNames(null, "BB");
        assertArrayEquals(new Object[] {"a/file", "Aa", "BB"}, row.targetNames());
        assertEquals(0, dropped);
    }

    @Test
    void namesPastTheCapAreCountedAsDropped() {
        Stats row = new Stats(2);
        int dropped = 0;
        for (int i = 0; i < Stats.MAX_NAMES + 5; i++) dropped += row.noteNames("in-" + i, null);
        dropped += row.noteNames(new String("in-0"), null); // kept already (found without the lock): not dropped
        Object in9 = new String("in-9");
        dropped += row.noteNames(in9, "out"); // a dropped source beside a target that fits (under the lock)
        dropped += row.noteNames(in9, "out"); // the same objects again: the row's last names, nothing counted
        dropped += row.noteNames(new String("in-10"), new String("out")); // dropped; "out" found
        assertEquals(Stats.MAX_NAMES, row.sourceNames().length);
        assertArrayEquals(new Object[] {"out"}, row.targetNames());
        assertEquals(5 + 1 + 1, dropped);
    }
}
