// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopSitesTest {
    private static Series write(String site) {
        return new Series(site, "file.write", "syscall", "heap");
    }

    private static Series read(String site) {
        return new Series(site, "file.read", "syscall", "direct");
    }

    private static Series send(String site) {
        return new Series(site, "socket.write", "syscall", "heap");
    }

    private static long[] moved(long bytes) {
        return new long[] {1, bytes, 2 * bytes, bytes};
    }

    private static Map<Series, long[]> counts(long a, long b, long c) {
        Map<Series, long[]> m = new LinkedHashMap<>();
        // each site does one kind of I/O: "other" is one series per kind, and each must only grow
        m.put(write("A"), moved(a));
        m.put(read("B"), moved(b));
        m.put(send("C"), moved(c));
        m.put(new Series(Series.JDK_INTERNAL, "stream.read", "syscall", "byte[]"), moved(7));
        return m;
    }

    @Test
    void theHeaviestSitesHaveSeriesAndOtherSumsTheRest() {
        Map<Series, long[]> out = new TopSites(2).expose(counts(10, 30, 20));
        assertEquals(Set.of(read("B"), send("C"), write("other"),
                new Series(Series.JDK_INTERNAL, "stream.read", "syscall", "byte[]")), out.keySet());
        assertEquals(30, out.get(read("B"))[Series.MOVED]);
        assertEquals(20, out.get(send("C"))[Series.MOVED]);
        assertEquals(10, out.get(write("other"))[Series.MOVED]);
        assertEquals(20, out.get(write("other"))[Series.CPU_COPIED]);
    }

    @Test
    void aSiteThatOvertakesStartsItsSeriesFromTheLastScrapeAndOtherNeverGoesDown() {
        TopSites top = new TopSites(1);
        Map<Series, long[]> first = top.expose(counts(50, 10, 0));
        assertEquals(50, first.get(write("A"))[Series.MOVED]);
        assertEquals(10, first.get(read("other"))[Series.MOVED]);
        // B passes A: it gets its series, counting from what other showed of it (10); A's 60 go to other
        Map<Series, long[]> second = top.expose(counts(60, 100, 0));
        assertEquals(90, second.get(read("B"))[Series.MOVED]);
        assertEquals(10, second.get(read("other"))[Series.MOVED]);
        assertEquals(60, second.get(write("other"))[Series.MOVED]);
        assertTrue(!second.containsKey(write("A")));
    }

    @Test
    void overManyScrapesNoSeriesGoesDownAndTheSeriesAlwaysSumToTheTotals() {
        Random random = new Random(17);
        TopSites top = new TopSites(2);
        long a = 0, b = 0, c = 0;
        Map<Series, long[]> before = Map.of();
        int rankChanges = 0;
        for (int scrape = 0; scrape < 500; scrape++) {
            // each scrape one site has a burst, so the ranking keeps changing
            int burst = random.nextInt(3);
            a += random.nextInt(burst == 0 ? 1000 : 10);
            b += random.nextInt(burst == 1 ? 1000 : 10);
            c += random.nextInt(burst == 2 ? 1000 : 10);
            Map<Series, long[]> out = top.expose(counts(a, b, c));
            if (!before.isEmpty() && !out.keySet().equals(before.keySet())) rankChanges++;
            for (Series shown : before.keySet()) {
                if (shown.site().equals(Series.OTHER)) assertTrue(out.containsKey(shown), "scrape " + scrape + ": " + shown + " went away");
            }
            long sum = 0;
            for (Map.Entry<Series, long[]> e : out.entrySet()) {
                if (!e.getKey().site().equals(Series.JDK_INTERNAL)) sum += e.getValue()[Series.MOVED];
                long[] was = before.get(e.getKey());
                for (int i = 0; was != null && i < Series.COUNTS; i++) {
                    assertTrue(e.getValue()[i] >= was[i], "scrape " + scrape + ": " + e.getKey() + " went down");
                }
            }
            assertEquals(a + b + c, sum, "scrape " + scrape);
            assertEquals(2, out.keySet().stream().filter(s -> s.site().length() == 1).count(), "two sites of their own");
            before = new HashMap<>(out);
        }
        assertTrue(rankChanges >= 10, "the ranking changed " + rankChanges + " times");
    }
}
