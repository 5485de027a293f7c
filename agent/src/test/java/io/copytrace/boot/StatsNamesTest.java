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
        row.noteNames(null, new String("a/file")); // an equal name in another object: one name
        row.noteNames(null, new String("a/file"));
        row.noteNames(null, "Aa"); // "Aa" and "BB" have the same String hash: two names
        row.noteNames(null, "BB");
        assertArrayEquals(new Object[] {"a/file", "Aa", "BB"}, row.targetNames());
        assertEquals(0, row.namesDropped());
    }

    @Test
    void namesPastTheCapAreCountedAsDropped() {
        Stats row = new Stats(2);
        for (int i = 0; i < Stats.MAX_NAMES + 5; i++) row.noteNames("in-" + i, null);
        row.noteNames(new String("in-0"), null); // kept already: not dropped
        assertEquals(Stats.MAX_NAMES, row.sourceNames().length);
        assertEquals(5, row.namesDropped());
    }
}
