// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A new window counts from nothing, on a thread that counted in the last one and still has state from it. */
class EpochTest {
    private final Object stream = new Object();

    @AfterEach
    void closeTheWindow() {
        Probe.active = false;
        Epoch.next();
    }

    @Test
    void aNewEpochForgetsTheLastWindowAndTheOperationStillInProgressFromIt() {
        Probe.configure(null, 1, Long.MAX_VALUE, false);
        open();
        write(100);
        write(100);
        Object spanning = Probe.enterArray(Codes.OP_STREAM_WRITE, Codes.FORM_SINGLE, stream, 7, Codes.END_FILE, "f");
        assertEquals(200, moved());

        // the window ends and the next opens while this thread is inside a write begun in the first
        Probe.active = false;
        Epoch.next();
        assertEquals(0, SiteTable.all().size(), "the tables are empty between windows");
        open();
        Probe.exit(spanning, 7, null);
        assertEquals(0, SiteTable.all().size(), "a write begun in the last window is not counted in this one");
        write(30);

        // the new window has the new write only, in rows it can see (not the thread's cached row of the last one)
        assertEquals(30, moved());
        assertEquals(1, calls());
    }

    @Test
    void theNextWindowForgetsWhereThisOnesBytesCameFrom() {
        open(); // the test JVM's first window, or a later one: either way the probe may have filled the table
        long memory = 0x7f00_0020_0000L;
        Provenance.fill(null, memory, 4096, Provenance.source(3, 0, 0));
        assertTrue(Provenance.mayHold(null, memory, 4096));
        Probe.active = false;
        Epoch.next();
        open();
        assertFalse(Provenance.mayHold(null, memory, 4096), "a fill of the last window is not this one's source");
    }

    private static void open() {
        Epoch.next();
        Probe.active = true;
    }

    private void write(int bytes) {
        Probe.exit(Probe.enterArray(Codes.OP_STREAM_WRITE, Codes.FORM_SINGLE, stream, bytes, Codes.END_FILE, "f"),
                bytes, null);
    }

    private static long moved() {
        return total(Codes.C_MOVED);
    }

    private static long calls() {
        return total(Codes.C_CALLS);
    }

    private static long total(int counter) {
        long sum = 0;
        java.util.Map<Object, long[]> pending = Stats.pending();
        for (Site site : SiteTable.all()) {
            for (Stats row : site.rows()) sum += row.totals(pending)[counter];
        }
        return sum;
    }
}
