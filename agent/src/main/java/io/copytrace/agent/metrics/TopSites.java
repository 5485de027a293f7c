// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which call sites get series of their own: at each scrape the {@code n} heaviest by bytes moved (ties keep the
 * sites that have series); every other site is summed into {@code site="other"}, the JDK's own I/O into
 * {@code site="jdk-internal"}. The series' sum is the window's totals, exactly, at every scrape.
 *
 * <p>Every series is a counter, and Prometheus reads a counter that goes down as a restart. So a site that
 * joins the top {@code n} keeps in {@code other} what {@code other} showed of it at the last scrape, and its own
 * series start from there (they count its bytes since it got them: {@code rate()} and {@code increase()} read
 * them right); a site that leaves adds everything its series showed back into {@code other}. Thus no series
 * ever goes down while it is exposed. One instance per window, read by one scraping thread at a time.
 */
final class TopSites {
    private final int n;
    /** The sites with series of their own. */
    private final Set<String> ranked = new HashSet<>();
    /** Per series of a ranked site, the counts {@code other} kept when the site got its series. */
    private final Map<Series, long[]> keptInOther = new HashMap<>();
    /** The counts at the last scrape. */
    private Map<Series, long[]> last = Map.of();

    TopSites(int n) {
        this.n = n;
    }

    /**
     * The series to expose for the window's counts now ({@code counts}: per site frame, operation, path and
     * buffer; {@link Series#JDK_INTERNAL} for the JDK's own), each with its {@link Series#COUNTS} counts.
     */
    synchronized Map<Series, long[]> expose(Map<Series, long[]> counts) {
        Set<String> top = top(counts);
        ranked.retainAll(top);
        keptInOther.keySet().removeIf(s -> !top.contains(s.site()));
        for (String site : top) {
            if (!ranked.add(site)) continue;
            for (Series s : counts.keySet()) {
                long[] before = last.get(s);
                if (s.site().equals(site) && before != null) keptInOther.put(s, before);
            }
        }
        Map<Series, long[]> out = new LinkedHashMap<>();
        Map<Series, long[]> other = new LinkedHashMap<>();
        for (Map.Entry<Series, long[]> e : counts.entrySet()) {
            Series s = e.getKey();
            long[] c = e.getValue();
            if (s.site().equals(Series.JDK_INTERNAL)) {
                out.put(s, c);
            } else if (ranked.contains(s.site())) {
                long[] kept = keptInOther.getOrDefault(s, new long[Series.COUNTS]);
                out.put(s, minus(c, kept));
                add(other.computeIfAbsent(s.at(Series.OTHER), k -> new long[Series.COUNTS]), kept);
            } else {
                add(other.computeIfAbsent(s.at(Series.OTHER), k -> new long[Series.COUNTS]), c);
            }
        }
        for (Map.Entry<Series, long[]> e : other.entrySet()) {
            if (!isZero(e.getValue())) out.put(e.getKey(), e.getValue());
        }
        last = counts;
        return out;
    }

    /** Sites whose counts are in {@code other} at the last {@link #expose}. */
    synchronized int otherSites() {
        Set<String> sites = new HashSet<>();
        for (Series s : last.keySet()) {
            if (!s.site().equals(Series.JDK_INTERNAL) && !ranked.contains(s.site())) sites.add(s.site());
        }
        return sites.size();
    }

    /** The {@code n} sites with the most bytes moved; on a tie a ranked site first, then by name. */
    private Set<String> top(Map<Series, long[]> counts) {
        Map<String, Long> bytes = new HashMap<>();
        for (Map.Entry<Series, long[]> e : counts.entrySet()) {
            String site = e.getKey().site();
            if (!site.equals(Series.JDK_INTERNAL)) bytes.merge(site, e.getValue()[Series.MOVED], Long::sum);
        }
        List<String> sites = new ArrayList<>(bytes.keySet());
        sites.sort((a, b) -> {
            int byBytes = Long.compare(bytes.get(b), bytes.get(a));
            if (byBytes != 0) return byBytes;
            int byRank = Boolean.compare(ranked.contains(b), ranked.contains(a));
            return byRank != 0 ? byRank : a.compareTo(b);
        });
        return new HashSet<>(sites.subList(0, Math.min(n, sites.size())));
    }

    private static long[] minus(long[] a, long[] b) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i] - b[i];
        return out;
    }

    private static void add(long[] into, long[] c) {
        for (int i = 0; i < c.length; i++) into[i] += c[i];
    }

    private static boolean isZero(long[] c) {
        for (long v : c) if (v != 0) return false;
        return true;
    }
}
