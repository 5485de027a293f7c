// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import java.time.Duration;
import java.util.List;

/**
 * The units an option's length of time is written in ({@code 500us}, {@code 1ms}, {@code 30s}, {@code 5m},
 * {@code 1h}): the one table every time option reads its value with and prints its bounds with. No
 * option takes a size today; a size table would sit beside this one.
 */
enum TimeSuffix {
    US("us", Duration.ofNanos(1_000)),
    MS("ms", Duration.ofMillis(1)),
    S("s", Duration.ofSeconds(1)),
    M("m", Duration.ofMinutes(1)),
    H("h", Duration.ofHours(1));

    final String suffix;
    final Duration length;

    TimeSuffix(String suffix, Duration length) {
        this.suffix = suffix;
        this.length = length;
    }

    /**
     * The unit among {@code units} that {@code text} ends with, or null. The longest suffix wins, so
     * {@code 5ms} is milliseconds, not {@code 5m} followed by a stray {@code s}.
     */
    static TimeSuffix of(String text, List<TimeSuffix> units) {
        TimeSuffix found = null;
        for (TimeSuffix u : units) {
            if (text.endsWith(u.suffix) && (found == null || u.suffix.length() > found.suffix.length())) found = u;
        }
        return found;
    }

    /** {@code d} in the largest unit that divides it: 100us, 1s, 90s. */
    static String format(Duration d) {
        TimeSuffix[] all = values();
        for (int i = all.length - 1; i > 0; i--) {
            if (d.toNanos() % all[i].length.toNanos() == 0) return d.toNanos() / all[i].length.toNanos() + all[i].suffix;
        }
        return d.toNanos() / US.length.toNanos() + US.suffix;
    }
}
