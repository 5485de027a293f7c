// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
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

    @Test
    void aNewThreadWhoseCheckingWalkAgreesWithWhatNewThreadsFindWalksNoMore() {
        SiteSampler.maxInterval = 1024;
        long[] perThread = new long[2000];
        for (int t = 0; t < perThread.length; t++) perThread[t] = walks(20);
        // the first thread walks at calls 1, 2, 4, 8 and 16; the next ones, while the guess is learned, walk their
        // first call to the site the first one walked to, and are steady at once
        assertEquals(5, perThread[0]);
        for (int t = 1; t < SiteGuesses.STEADY; t++) assertEquals(1, perThread[t], "thread " + t);
        for (int t = SiteGuesses.STEADY; t < perThread.length; t++) {
            assertTrue(perThread[t] <= 1, "thread " + t + " walked " + perThread[t] + " times");
        }
        // New threads still check now and then: once the last check's share of time has passed (a walk here
        // takes microseconds to a millisecond when cold, so within seconds), a new thread walks, once.
        long deadline = System.nanoTime() + 30_000_000_000L;
        long checked = 0;
        while (checked == 0 && System.nanoTime() - deadline < 0) checked = walks(20);
        assertEquals(1, checked, "a checking walk, and the new thread is steady after it");
    }

    @Test
    void newThreadsOfOneGroupWhoseFirstCallsTakeTwoSitesWalkOnceEach() {
        SiteSampler.maxInterval = 1024;
        long[] perThread = new long[200];
        for (int t = 0; t < perThread.length; t++) {
            // a pool's producers and consumers in turn: one thread name group, one key, two sites
            ThreadState s = new ThreadState();
            Object connection = new Object();
            boolean producer = t % 2 == 0;
            for (int i = 0; i < 20; i++) {
                if (producer) io.copytrace.testsite.TwoSites.first(() -> read(s, connection));
                else io.copytrace.testsite.TwoSites.second(() -> read(s, connection));
                perThread[t] += s.walked ? 1 : 0;
            }
        }
        // the first of each kind walks at calls 1, 2, 4, 8 and 16 (before, every thread did: the group's guess
        // flips between the two sites, so none is inherited)
        assertEquals(5, perThread[0]);
        assertEquals(5, perThread[1]);
        for (int t = 2; t < perThread.length; t++) assertEquals(1, perThread[t], "thread " + t);
    }

    @Test
    void aPoolsProducersAndConsumersWhoseFirstCallsDifferInSizeInheritEachTheirOwnSite() {
        SiteSampler.maxInterval = 1024;
        long[] perThread = new long[400];
        java.util.Set<Site> produce = new java.util.HashSet<>(), request = new java.util.HashSet<>();
        for (int t = 0; t < perThread.length; t++) {
            // one name group, one key: producers write 256 KiB + 4 first, consumers a 12-byte fetch request
            ThreadState s = new ThreadState();
            Object connection = new Object();
            boolean producer = t % 2 == 0;
            for (int i = 0; i < 20; i++) {
                if (producer) {
                    io.copytrace.testsite.TwoSites.first(() -> produce.add(read(s, connection, (256 << 10) + 4)));
                } else io.copytrace.testsite.TwoSites.second(() -> request.add(read(s, connection, 12)));
                perThread[t] += s.walked ? 1 : 0;
            }
        }
        assertEquals(1, produce.size(), produce.toString());
        assertEquals(1, request.size(), request.toString());
        assertNotSame(produce.iterator().next(), request.iterator().next(), "every call at its own site");
        // Learned under one guess, the two kinds alternated and never agreed: every new thread walked its first
        // call. Apart by size class, each kind inherits once STEADY of its threads agreed; a new thread still checks
        // now and then (once the last check's share of time has passed), never more than once.
        long later = 0;
        for (int t = 2 * SiteGuesses.STEADY; t < perThread.length; t++) {
            assertTrue(perThread[t] <= 1, "thread " + t + " walked " + perThread[t] + " times");
            later += perThread[t];
        }
        assertTrue(later < (perThread.length - 2 * SiteGuesses.STEADY) / 4, later + " walks");
    }

    @Test
    void shortLivedThreadsFindTheBodySiteTheirGroupAlternatedWithSteadyAtOnce() {
        SiteSampler.maxInterval = 1024;
        int threads = 100;
        long[] perThread = new long[threads];
        for (int t = 0; t < threads; t++) {
            // a consumer per round: a 12-byte response header from one line, then the 1 MiB body from another in
            // four reads, the last shorter; eight fetches, so no thread holds the body's site to interval 64
            ThreadState s = new ThreadState();
            Object connection = new Object();
            for (int f = 0; f < 8; f++) {
                io.copytrace.testsite.TwoSites.first(() -> read(s, connection, 12));
                perThread[t] += s.walked ? 1 : 0;
                for (int piece = 0; piece < 4; piece++) {
                    long size = piece < 3 ? 256 << 10 : 1000;
                    io.copytrace.testsite.TwoSites.second(() -> read(s, connection, size));
                    perThread[t] += s.walked ? 1 : 0;
                }
            }
        }
        // Without the alternation noted for the group, each thread walked the body's site at its calls 1, 2, 4 there
        // (then back to the header): 5 or more walks. Noted, a thread walks to the body (its size) and finds it
        // steady, to the shorter piece (then deaf to sizes), back to the header: 3, and its first call unless
        // inherited.
        assertTrue(perThread[0] >= 5, "the first thread learns: " + perThread[0]);
        for (int t = SiteGuesses.STEADY; t < threads; t++) {
            assertTrue(perThread[t] <= 4, "thread " + t + " walked " + perThread[t] + " times");
        }
    }

    @Test
    void hintsTheGroupFoundUselessAtASiteDoNotWalkNewThreadsArrivingThere() {
        SiteSampler.maxInterval = 1024;
        int threads = 100;
        long[] perThread = new long[threads];
        java.util.Set<Site> headers = new java.util.HashSet<>(), batches = new java.util.HashSet<>();
        java.util.Set<Site> appends = new java.util.HashSet<>();
        for (int t = 0; t < threads; t++) {
            // a broker's produce thread per connection: a 4-byte header, the 256 KiB batch in two reads of two
            // sizes, from two lines; then the batch appended to the log, whose file rolls to a new segment midway
            ThreadState s = new ThreadState();
            Object connection = new Object();
            Object[] segments = {new Object(), new Object()};
            for (int r = 0; r < 20; r++) {
                perThread[t] += produceRequest(s, connection, headers, batches);
                Object segment = segments[r < 10 ? 0 : 1];
                io.copytrace.testsite.TwoSites.first(() -> appends.add(append(s, segment)));
                perThread[t] += s.walked ? 1 : 0;
            }
        }
        assertEquals(1, headers.size(), "headers' sites " + headers);
        assertEquals(1, batches.size(), "batches' sites " + batches);
        assertEquals(1, appends.size(), "appends' sites " + appends);
        // Each thread walked the batch's second size (then deaf to sizes) and the new segment (then deaf to new
        // files) on its own: 4 walks, and the first calls until inherited. The group's threads found both hints
        // useless at their sites: a later thread walks to the batch (its size) and back to the header only, and
        // now and then checks a first call's inherited site (once the last check's share of time has passed: more
        // often when the machine is busy), at most once for each of its two keys.
        long later = 0;
        for (int t = 2 * SiteGuesses.STEADY; t < threads; t++) {
            assertTrue(perThread[t] <= 4, "thread " + t + " walked " + perThread[t] + " times");
            later += perThread[t];
        }
        assertTrue(later <= 5 * (threads - 2 * SiteGuesses.STEADY) / 2, later + " walks");
    }

    @Test
    void aSiteWhereADeafKeyMissedAMoveIsHeardAgainByTheGroup() {
        SiteSampler.maxInterval = 1024;
        for (int t = 0; t < 20; t++) {
            // the group's first threads read at the first line in pieces of varying size: sizes are useless there
            ThreadState s = new ThreadState();
            for (int i = 0; i < 20; i++) {
                long size = 1000 + 100 * i;
                io.copytrace.testsite.TwoSites.first(() -> read(s, channel, size));
            }
        }
        long[] missed = new long[30];
        Site[] second = new Site[1];
        for (int t = 0; t < missed.length; t++) {
            // later threads read once there, then at the second line at a size of its own, 3,000 times
            ThreadState s = new ThreadState();
            io.copytrace.testsite.TwoSites.first(() -> read(s, channel, 1000));
            for (int i = 0; i < 3000; i++) {
                int n = t;
                io.copytrace.testsite.TwoSites.second(() -> {
                    Site site = read(s, channel, 64);
                    if (second[0] == null && s.walked) second[0] = site;
                    if (site != second[0]) missed[n]++;
                });
            }
        }
        // The first of them arrive deaf to sizes and their second line's calls go to the first until a due walk
        // finds the move (at call 1,024 for an inherited site; later for one whose check walk timed the next); that
        // walk tells the group, and every later thread hears the size and walks at the move.
        assertTrue(missed[0] > 0, "the first later thread missed the move for a while");
        int told = 0;
        while (told < missed.length && missed[told] == 3000) told++;
        assertTrue(told < missed.length / 2, "a due walk found the move within " + told + " threads");
        for (int t = told + 1; t < missed.length; t++) assertEquals(0, missed[t], "thread " + t);
    }

    @Test
    void aKeyThatAlternatedAndGrewDeafFindsItsNextSiteByItsDoublingWalks() {
        SiteSampler.maxInterval = 1024;
        // A JVM's main thread under JFR: JFR's settings files read at one line in chunks and at another a byte at a
        // time, two files (two channels); then the application's own loop of 64 KiB reads from a third line.
        ThreadState s = new ThreadState();
        Object settings = new Object(), more = new Object(), data = new Object();
        long[][] jfc = {{8192, 1}, {8191, 1}, {16383, 1}, {32767, 29665}};
        for (long[] pair : jfc) {
            io.copytrace.testsite.TwoSites.first(() -> read(s, settings, pair[0]));
            if (pair[1] == 1) io.copytrace.testsite.TwoSites.second(() -> read(s, settings, 1));
            else io.copytrace.testsite.TwoSites.first(() -> read(s, settings, pair[1]));
        }
        io.copytrace.testsite.TwoSites.first(() -> read(s, more, 8192)); // the second file, the same line
        io.copytrace.testsite.TwoSites.second(() -> read(s, more, 1));
        Site[] loop = new Site[1025];
        for (int i = 0; i < loop.length; i++) {
            int n = i;
            io.copytrace.testsite.TwoSites.third(() -> loop[n] = read(s, data, 64 << 10));
        }
        // Deaf by then to new channels and sizes, the key finds the loop's line at a doubling walk: within a few
        // calls, not after the longest interval (the alternation's two lines are not steady for the key itself).
        Site last = loop[loop.length - 1];
        assertTrue(last.frame.startsWith("io.copytrace.testsite.TwoSites.third("), last.frame);
        int found = 0;
        while (loop[found] != last) found++;
        assertTrue(found <= 16, "the loop's calls went elsewhere until call " + found);
    }

    @Test
    void eachOperationAndKeyKeepsItsOwnStateWhenCallsAlternate() {
        ThreadState s = new ThreadState();
        OpState.KeyState single = SiteSampler.keyState(s, Codes.OP_SOCKET_WRITE, 1);
        OpState.KeyState gather = SiteSampler.keyState(s, Codes.OP_SOCKET_WRITE, 2);
        OpState.KeyState read = SiteSampler.keyState(s, Codes.OP_SOCKET_READ, 1);
        assertNotSame(single, gather, "another key, another state (its row cache counts into another row)");
        assertNotSame(single, read, "another operation, another state");
        for (int i = 0; i < 3; i++) {
            assertSame(single, SiteSampler.keyState(s, Codes.OP_SOCKET_WRITE, 1));
            assertSame(single, SiteSampler.keyState(s, Codes.OP_SOCKET_WRITE, 1), "a repeated call: the same state");
            assertSame(gather, SiteSampler.keyState(s, Codes.OP_SOCKET_WRITE, 2));
            assertSame(read, SiteSampler.keyState(s, Codes.OP_SOCKET_READ, 1));
        }
    }

    @Test
    void aKeyThatAlternatesBetweenTwoSitesResumesEachOnesIntervalInsteadOfStartingAgain() {
        SiteSampler.maxInterval = 1024;
        ThreadState s = new ThreadState();
        long walks = 0;
        int rounds = 200;
        for (int r = 0; r < rounds; r++) {
            Object connection = new Object(); // a new channel each round, as a client's request per connection
            walks += header(s, connection);
            for (int i = 0; i < 50; i++) walks += body(s, connection);
        }
        // Starting again at 1 after each change walks ~8 times a round (1 + 1, 2, 4 … 32 of the body's 50 reads).
        assertTrue(walks <= 3L * rounds, walks + " walks in " + rounds + " rounds");
    }

    @Test
    void aHeaderAndItsBodyOfTwoSizesFromTwoLinesAreToldApartBySizeWithoutAWalkEach() {
        SiteSampler.maxInterval = 1024;
        ThreadState s = new ThreadState();
        Object connection = new Object();
        long walks = 0;
        java.util.Set<Site> headers = new java.util.HashSet<>(), bodies = new java.util.HashSet<>();
        int rounds = 2_000;
        for (int r = 0; r < rounds; r++) {
            // a broker's produce loop: a small header read from one line, then the 256 KiB batch from another
            io.copytrace.testsite.TwoSites.first(() -> headers.add(read(s, connection, 8)));
            walks += s.walked ? 1 : 0;
            io.copytrace.testsite.TwoSites.second(() -> bodies.add(read(s, connection, 256 << 10)));
            walks += s.walked ? 1 : 0;
        }
        // every call at its own site, as walking each would have found (it did before: 4,000 walks)
        assertEquals(1, headers.size(), "headers' sites " + headers);
        assertEquals(1, bodies.size(), "bodies' sites " + bodies);
        assertNotSame(headers.iterator().next(), bodies.iterator().next());
        assertTrue(walks <= 30, walks + " walks in " + 2 * rounds + " calls");

        // A third site entered with the header's size is found by a due walk (within the walks' share of time)
        Site third = null;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (third == null && System.nanoTime() - deadline < 0) {
            Site[] got = new Site[1];
            io.copytrace.testsite.TwoSites.third(() -> got[0] = read(s, connection, 8));
            if (!headers.contains(got[0])) third = got[0];
        }
        assertTrue(third != null && !bodies.contains(third), "the third site found by a due walk: " + third);
    }

    @Test
    void newThreadsWalkNoSiteTheirGroupHeldSteadyAndFindAHeaderAfterItsBodyInOneWalk() {
        SiteSampler.maxInterval = 1024;
        int threads = 200;
        long[] perThread = new long[threads];
        java.util.Set<Site> headers = new java.util.HashSet<>(), bodies = new java.util.HashSet<>();
        ThreadState first = new ThreadState(); // a thread of the group that held the body's reads steady
        for (int i = 0; i < 200; i++) io.copytrace.testsite.TwoSites.second(() -> bodies.add(read(first, this, 1000)));
        for (int t = 0; t < threads; t++) {
            // a broker's thread per produce connection: a 4-byte header read from one line, then the batch from
            // another in two reads (the second for what the first left)
            ThreadState s = new ThreadState();
            Object connection = new Object();
            for (int r = 0; r < 20; r++) perThread[t] += produceRequest(s, connection, headers, bodies);
        }
        assertEquals(1, headers.size(), "headers' sites " + headers);
        assertEquals(1, bodies.size(), "bodies' sites " + bodies);
        assertNotSame(headers.iterator().next(), bodies.iterator().next(), "every call at its own site");
        // A thread learning the body's site walked at its calls 1, 2, 4… there (5 walks a thread); as the group held
        // it steady, a thread walks its first call (these threads check the site they would inherit: one tag), then
        // to the body (its size), to its second size (then deaf to sizes), and back to the header (the size it
        // entered the header with), where deaf to sizes it had stayed at the body: then the two alternate by size.
        for (int t = SiteGuesses.STEADY; t < threads; t++) { // once new threads agree on the header's site
            assertTrue(perThread[t] <= 4, "thread " + t + " walked " + perThread[t] + " times");
        }
    }

    @Test
    void aStackWalkedAgainAfterAnotherIsNotFormattedAgain() {
        ThreadState s = new ThreadState();
        String[][] walked = new String[4][];
        for (int round = 0; round < 2; round++) {
            int i = 2 * round;
            io.copytrace.testsite.TwoSites.first(() -> walked[i] = walkedStack(s));
            io.copytrace.testsite.TwoSites.second(() -> walked[i + 1] = walkedStack(s));
        }
        assertTrue(walked[0][0].startsWith("io.copytrace.testsite.TwoSites.first("), walked[0][0]);
        assertTrue(walked[1][0].startsWith("io.copytrace.testsite.TwoSites.second("), walked[1][0]);
        // The header/body alternation: each site's text comes back from its earlier walk, not made again.
        assertSame(walked[0], walked[2]);
        assertSame(walked[1], walked[3]);
    }

    @Test
    void aStackAnotherThreadWalkedIsNotFormattedAgain() {
        String[][] walked = new String[2][];
        for (int t = 0; t < 2; t++) {
            ThreadState s = new ThreadState(); // a new thread: nothing in its own recent stacks
            int i = t;
            io.copytrace.testsite.TwoSites.first(() -> walked[i] = walkedStack(s));
        }
        assertNotSame(walked[0], walked[1], "each thread's walk has its own array");
        assertEquals(walked[0].length, walked[1].length);
        for (int i = 0; i < walked[0].length; i++) {
            assertSame(walked[0][i], walked[1][i], "frame " + i + ": the text the first walk made");
        }
    }

    private static String[] walkedStack(ThreadState s) {
        SiteTable.walk(s);
        return s.walkedStack;
    }

    private static int header(ThreadState s, Object channel) {
        io.copytrace.testsite.TwoSites.first(() -> read(s, channel));
        return s.walked ? 1 : 0;
    }

    private static int body(ThreadState s, Object channel) {
        io.copytrace.testsite.TwoSites.second(() -> read(s, channel));
        return s.walked ? 1 : 0;
    }

    private static void read(ThreadState s, Object channel) {
        read(s, channel, 64);
    }

    /**
     * One produce request on a broker's thread: a 4-byte header read from one line, then the 256 KiB batch from
     * another in two reads (the second for what the first left); the sites go to {@code headers} and
     * {@code batches}. Returns the walks it took.
     */
    private static int produceRequest(ThreadState s, Object connection, java.util.Set<Site> headers,
                                      java.util.Set<Site> batches) {
        int walks = 0;
        io.copytrace.testsite.TwoSites.first(() -> headers.add(read(s, connection, 4)));
        walks += s.walked ? 1 : 0;
        io.copytrace.testsite.TwoSites.second(() -> batches.add(read(s, connection, 256 << 10)));
        walks += s.walked ? 1 : 0;
        io.copytrace.testsite.TwoSites.second(() -> batches.add(read(s, connection, 1000)));
        walks += s.walked ? 1 : 0;
        return walks;
    }

    private static Site append(ThreadState s, Object file) {
        OpState.KeyState o = SiteSampler.keyState(s, Codes.OP_FILE_WRITE, 3);
        return site(s, o, Codes.OP_FILE_WRITE, file, 256 << 10);
    }

    private static Site read(ThreadState s, Object channel, long requested) {
        OpState.KeyState o = SiteSampler.keyState(s, Codes.OP_SOCKET_READ, 3);
        return site(s, o, Codes.OP_SOCKET_READ, channel, requested);
    }

    /** The site as the exit finds it: its shortcut for a repeated call ({@link SiteSampler#repeat}), else the rules. */
    private static Site site(ThreadState s, OpState.KeyState o, int op, Object self, long requested) {
        return SiteSampler.repeat(s, o, self, requested) ? o.site : SiteSampler.siteFor(s, o, op, self, requested);
    }

    private long walks(int calls) {
        ThreadState s = new ThreadState();
        long walks = 0;
        for (int i = 0; i < calls; i++) {
            OpState.KeyState o = SiteSampler.keyState(s, Codes.OP_FILE_WRITE, 7);
            site(s, o, Codes.OP_FILE_WRITE, channel, 64);
            if (s.walked) walks++;
        }
        return walks;
    }
}
