// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stack walks per thread, operation and key: a steady site is confirmed at the longest interval only as often
 * as keeps those walks under their share of the thread's time; exact mode still walks every call.
 */
class SiteSamplerTest {
    private static final int CALLS = 1_000_000;
    private final Object channel = new Object();
    private int saved;

    @BeforeEach
    void fresh() {
        saved = SiteSampler.maxInterval;
        Epoch.next();
    }

    @AfterEach
    void restore() {
        SiteSampler.maxInterval = saved;
    }

    @Test
    void steadySiteWalksOnlyWithinItsTimeShare() {
        SiteSampler.maxInterval = 4;
        long walks = walks(CALLS);
        // Without the time share this loop walks every 4th call (250,000 walks). A walk costs far more than 200
        // cheap calls, so the share allows only a small fraction of that, on any machine.
        assertTrue(walks < CALLS / 4 / 20, walks + " walks in " + CALLS + " calls");
        assertTrue(walks >= 2, "the site is still confirmed now and then: " + walks);
    }

    @Test
    void exactModeStillWalksEveryCall() {
        SiteSampler.maxInterval = 1;
        assertEquals(10_000, walks(10_000));
    }

    private long walks(int calls) {
        ThreadState s = new ThreadState();
        long walks = 0;
        for (int i = 0; i < calls; i++) {
            OpState.KeyState o = SiteSampler.keyState(s, Codes.OP_FILE_WRITE, 7);
            SiteSampler.siteFor(s, o, Codes.OP_FILE_WRITE, channel, 64);
            if (s.walked) walks++;
        }
        return walks;
    }
}
