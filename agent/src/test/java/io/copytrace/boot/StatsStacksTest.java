// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** A row keeps up to MAX_STACKS distinct walked stacks with the bytes each moved, and names the heaviest. */
class StatsStacksTest {
    private static String[] stack(String top) {
        return new String[] {top + "(A.java:1)", "Main.main(Main.java:2)"};
    }

    @Test
    void theHeaviestOfTheKeptStacksIsShownAndLaterOnesAreNotKept() {
        Stats row = new Stats(3);
        assertNull(row.heaviestStack());
        row.noteStack(stack("a"), 10);
        row.noteStack(stack("b"), 15);
        assertArrayEquals(stack("b"), row.heaviestStack());
        row.noteStack(stack("a"), 10); // an equal stack in another array: its bytes add up (20 against 15)
        assertArrayEquals(stack("a"), row.heaviestStack());
        for (int i = 0; i < Stats.MAX_STACKS; i++) row.noteStack(stack("more" + i), 1);
        row.noteStack(stack("c"), 1_000); // past the bound: not kept, so not the heaviest
        row.noteStack(stack("more1"), 30); // kept (the third and fourth stacks), and now the heaviest
        assertArrayEquals(stack("more1"), row.heaviestStack());
        row.noteStack(stack("b"), 16); // a tie, 31 each: the one kept first is shown
        assertArrayEquals(stack("b"), row.heaviestStack());
        row.noteStack(null, 5); // a call without a walked stack
        assertArrayEquals(stack("b"), row.heaviestStack());
    }

    @Test
    void threadGroupsAreKeptOnceEach() {
        Stats row = new Stats(4);
        row.noteThread("main");
        row.noteThread(new String("main"));
        row.noteThread("pool-#-thread-#");
        assertArrayEquals(new Object[] {"main", "pool-#-thread-#"}, row.threadGroups());
        for (int i = 0; i < Stats.MAX_NAMES + 3; i++) row.noteThread("group-" + i);
        assertArrayEquals(new Object[] {"main", "pool-#-thread-#", "group-0", "group-1", "group-2", "group-3",
            "group-4", "group-5"}, row.threadGroups());
    }
}
