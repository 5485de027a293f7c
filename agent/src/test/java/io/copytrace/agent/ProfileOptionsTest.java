// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** {@code profile} and {@code profile-interval} in the one options parser. */
class ProfileOptionsTest {
    private static AgentOptions parse(String args) throws AgentOptions.Invalid {
        return AgentOptions.parse(args, new Properties(), Map.of());
    }

    @Test
    void profilingIsOffByDefaultAtOneMillisecond() throws Exception {
        AgentOptions o = parse("");
        assertEquals("off", o.profile);
        assertEquals(1_000_000, o.profileIntervalNanos);
        assertEquals("off", o.effective().get("profile"));
    }

    @Test
    void modesAndIntervalsParse() throws Exception {
        assertEquals("cpu", parse("profile=cpu").profile);
        assertEquals("itimer", parse("profile=ITIMER").profile);
        assertEquals(500_000, parse("profile=cpu,profile-interval=500us").profileIntervalNanos);
        assertEquals(10_000_000, parse("profile-interval=10ms").profileIntervalNanos);
        assertEquals(1_000_000_000, parse("profile-interval=1s").profileIntervalNanos);
        Properties p = new Properties();
        p.setProperty("copytrace.profile", "cpu");
        assertEquals("cpu", AgentOptions.parse("", p, Map.of()).profile);
        assertEquals("cpu", AgentOptions.parse("", new Properties(), Map.of("COPYTRACE_PROFILE", "cpu")).profile);
    }

    @Test
    void badValuesAreCollectedWithWhatIsAllowed() {
        AgentOptions.Invalid bad = assertThrows(AgentOptions.Invalid.class,
                () -> parse("profile=wall,profile-interval=10us"));
        assertEquals(2, bad.lines().size(), bad.lines().toString());
        assertTrue(bad.lines().get(0).contains("profile=wall") && bad.lines().get(0).contains("off, cpu or itimer"));
        assertTrue(bad.lines().get(1).contains("not from 100us to 1s"), bad.lines().get(1));
        for (String v : new String[] {"2s", "5", "abc ms", "0ms", "-1ms"}) {
            assertThrows(AgentOptions.Invalid.class, () -> parse("profile-interval=" + v), v);
        }
    }
}
