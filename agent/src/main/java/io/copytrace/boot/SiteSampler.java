// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

/**
 * Which call site an operation ending now belongs to, walking the stack as seldom as attribution allows.
 * State is per thread, operation and row key ({@link OpState.KeyState}); new threads may inherit what new
 * threads of their name group steadily walked to ({@link SiteGuesses}), and keys use what threads of their group
 * learned about sites since ({@link GroupSites}).
 */
public final class SiteSampler {
    /** Longest run of calls per thread, operation and key between two stack walks (1 = walk every call). */
    static volatile int maxInterval = 1024;
    /**
     * A steady site's periodic walk waits until this many times the thread's last walk has passed: walks that
     * only confirm the site take at most 1/1000 (0.1 %) of a thread's time, whatever its stack depth or call rate
     * (at 1/200 they were 0.8 % of a Netty file server's CPU, two threads walking).
     */
    static final int WALK_TIME_FACTOR = 1000;

    /** The share of a thread's time its confirming walks may take, 1 / {@link #WALK_TIME_FACTOR}: the recording's. */
    public static double walkTimeShare() {
        return 1.0 / WALK_TIME_FACTOR;
    }

    private SiteSampler() {}

    /** The thread's state for this operation and row key; null site when it is the first call with them. */
    static OpState.KeyState keyState(ThreadState s, int op, int key) {
        OpState.KeyState k = s.lastKeyState;
        if (k != null && k.key == key && s.lastKeyOp == op) return k; // a steady call: no search
        OpState o = s.op(op);
        k = o.find(key);
        if (k == null) k = o.add(key);
        s.lastKeyOp = op;
        s.lastKeyState = k;
        return k;
    }

    /**
     * The call site of the operation ending now. Per thread, operation and row key (form, buffer kind,
     * path…): walks the stack on the first call, then at exponentially growing intervals while the site
     * stays the same, and once at the longest interval, no more often than keeps those walks under 0.1 % of
     * the thread's time: attribution between walks is sampled (said in the recording), totals stay exact.
     * Cheap hints that the site may have changed also walk at once: a different channel or stream, a
     * different request size. A hint that proves uninformative (a selector loop alternating channels at one
     * site, a writer of varying sizes) is ignored from then on, until a regular walk finds a new site. A key
     * walked back to its previous site at the size it entered that site with alternates between the two by size
     * (a header read, then its body, from two lines): entering with the other's size switches to it without a
     * walk, and the regular walks check the switches. A first call whose key new threads of the thread's name
     * group steadily walked to one site, at request sizes of its class, inherits that site without walking
     * ({@link SiteGuesses}): no walk merely because a thread is new, and a key switching to a site threads of its
     * group held steady (or, on the key's first move, alternated with another: {@link GroupSites}) starts at the
     * longest interval instead of walking at calls 1, 2, 4, 8… A key deaf to size changes still hears the size it
     * entered its previous site with, so a header read after its body's reads of varying sizes is walked once and
     * then told apart by size. A hint threads of the group found useless at a site is not heard by a key arriving
     * there (a new log segment's file at a produce thread's append, a batch's second read of another size), until a
     * walk shows a key moved from there.
     */
    static Site siteFor(ThreadState s, OpState.KeyState o, int op, Object self, long requested) {
        s.walked = false;
        if (s.internalDepth > 0) return SiteTable.JAR_READS;
        Site last = o.site;
        if (last == null) return firstSite(s, o, op, self, requested);
        boolean objectHint = self != o.lastSelf && !o.objectBlind;
        boolean sizeHint = requested != o.lastRequested && !o.sizeBlind;
        // Deaf to sizes (a body read in pieces of varying size), a key still hears the size it entered its previous
        // site with (the next header): the walk that finds that site again makes the two alternate by size.
        boolean backHint = !sizeHint && requested != o.lastRequested && !o.backBlind && o.previousSite != null
                && requested == o.previousRequested && requested != o.siteRequested;
        if (self != o.lastSelf) o.lastSelf = self; // a reference store only when it changed
        o.lastRequested = requested;
        boolean due = --o.countdown <= 0;
        if (!objectHint && o.alternates && requested == o.previousRequested && requested != o.siteRequested) {
            // The other site of a walked alternation, named by the size it is entered with: the site is switched
            // without a walk, and a due walk checks the switch as it checks a steady site (the countdown runs on
            // across switches).
            o.site = o.previousSite;
            o.previousSite = last;
            o.previousRequested = o.siteRequested;
            o.siteRequested = requested;
            last = o.site;
            sizeHint = false;
            backHint = false;
        }
        boolean newSize = sizeHint; // heard as such, not as the size the previous site was entered with
        sizeHint |= backHint;
        if (!due && !objectHint && !sizeHint) return last;
        if (!objectHint && !sizeHint && o.interval >= maxInterval && maxInterval > 1 && o.notBefore != 0
                && System.nanoTime() - o.notBefore < 0) {
            o.countdown = o.interval; // a steady site whose walks would cost more than their share: later
            return last;
        }
        s.walked = true;
        Site site = timedWalk(s, o);
        int groupKey = maxInterval > 1 ? guessKey(s, o.key) : 0; // what the group learns: not with every call walked
        if (o.inherited) {
            o.inherited = false;
            // A hint's walk finding another site is the thread moving on (a header's body), not a wrong guess.
            if (site != last && !objectHint && !sizeHint) SiteGuesses.wrong(op, o.firstGuessKey, last);
        }
        if (!due) {
            // A hint that found the same site is useless here: the key stops listening to it, and so do keys of the
            // group arriving here. One that found another site means something here: the group hears it again.
            if (site == last) {
                if (objectHint) o.objectBlind = true;
                if (sizeHint) o.sizeBlind = true;
                if (backHint) o.backBlind = true;
                if (maxInterval > 1) GroupSites.deaf(op, groupKey, site, objectHint, newSize);
                return site;
            }
            if (maxInterval > 1) GroupSites.heard(op, groupKey, last, objectHint, newSize);
        } else if (site != last) {
            // A move the key may have missed while deaf at its site: threads of the group arriving there hear again.
            if ((o.objectBlind || o.sizeBlind) && maxInterval > 1) {
                GroupSites.heard(op, groupKey, last, o.objectBlind, o.sizeBlind);
            }
            o.objectBlind = false;
            o.sizeBlind = false;
            o.backBlind = false;
        }
        int next;
        if (site == last) {
            next = Math.min(maxInterval, Math.max(1, o.interval) * 2);
            if (o.interval < GroupSites.STEADY_INTERVAL && next >= GroupSites.STEADY_INTERVAL) {
                GroupSites.steadied(op, groupKey, site);
            }
        } else {
            // Back to the site this key ran before the last change (a header read, then the body's reads, from
            // two lines, each round): its interval resumes instead of starting again at 1; back at the size it had
            // there, the two sites alternate by size. A site where threads of this group held the key steady is
            // steady at once (each new client thread of a pool switching from its header read to its body reads).
            // A key that comes to alternate between two sites by size notes both for its group: another thread's key
            // making its first move to one of them starts steady (a pool's short-lived consumers each walked their
            // body reads at calls 1, 2, 4…). Its first move only: a key moving on from an alternation of its own,
            // perhaps deaf to channels and sizes, needs the doubling walks to find where it went (a JVM's main thread
            // that read JFR's settings files, at two lines by size, then its own loop of reads).
            next = site == o.previousSite ? Math.max(1, o.previousInterval) : 1;
            if (next < maxInterval && (GroupSites.steady(op, groupKey, site)
                    || o.previousSite == null && GroupSites.alternated(op, groupKey, site))) {
                next = maxInterval;
            }
            o.alternates = site == o.previousSite && requested == o.previousRequested && requested != o.siteRequested;
            if (o.alternates && maxInterval > 1) GroupSites.alternating(op, groupKey, site, last);
            if (maxInterval > 1) arrive(o, op, groupKey, site);
            o.previousSite = last;
            o.previousInterval = o.interval;
            o.previousRequested = o.siteRequested;
            o.siteRequested = requested;
        }
        o.site = site;
        o.interval = next;
        o.countdown = next;
        return site;
    }

    /**
     * True when the call ending now repeats this key's last one at its site (the same object and request size, no
     * walk due, no alternation to switch to): what {@link #siteFor} would do with it, count it down, is done, and the
     * site is {@code o.site}. The exit's shortcut for a thread repeating one call (−5 to −8 ns per call in place,
     * docs/bench/session28-ab.md); the rules stay in {@code siteFor}, and SiteSamplerTest runs every case through
     * this first.
     */
    static boolean repeat(ThreadState s, OpState.KeyState o, Object self, long requested) {
        if (o.countdown <= 1 || self != o.lastSelf || requested != o.lastRequested || s.internalDepth > 0
                || o.site == null || o.alternates && requested == o.previousRequested && requested != o.siteRequested) {
            return false;
        }
        o.countdown--;
        s.walked = false;
        return true;
    }

    /** The first call with this operation and key: inherit the site new threads steadily walk to, or walk. */
    static Site firstSite(ThreadState s, OpState.KeyState o, int op, Object self, long requested) {
        o.lastSelf = self;
        o.lastRequested = requested;
        o.siteRequested = requested;
        int groupKey = guessKey(s, o.key);
        int guessKey = firstCallKey(groupKey, requested);
        o.firstGuessKey = guessKey;
        Site site = maxInterval > 1 ? SiteGuesses.inherit(op, guessKey, s.tag) : null;
        if (site != null) {
            o.inherited = true;
            o.interval = maxInterval;
        } else {
            s.walked = true;
            site = timedWalk(s, o);
            // A new thread that walked to a site another new thread of its group walked its first call to is
            // steady at once: it does not walk again at calls 2, 4, 8… (a virtual thread per task did 4 more walks
            // in 20 calls; a pool's producers and consumers, one group, each walked ~7 times in a short life).
            boolean known = maxInterval > 1
                    && (SiteGuesses.known(op, guessKey, site) || GroupSites.steady(op, groupKey, site));
            SiteGuesses.walked(op, guessKey, site, o.notBefore);
            o.interval = known ? maxInterval : 1;
        }
        if (maxInterval > 1) arrive(o, op, groupKey, site);
        o.site = site;
        o.countdown = o.interval;
        return site;
    }

    /** Arriving at {@code site}: the hints threads of this group found useless there are not heard. */
    private static void arrive(OpState.KeyState o, int op, int groupKey, Site site) {
        int deaf = GroupSites.deafness(op, groupKey, site);
        if ((deaf & GroupSites.OBJECT) != 0) o.objectBlind = true;
        if ((deaf & GroupSites.SIZE) != 0) o.sizeBlind = true;
    }

    /** Walks the stack and notes when a steady site's next periodic walk may come ({@link #WALK_TIME_FACTOR}). */
    private static Site timedWalk(ThreadState s, OpState.KeyState o) {
        long t0 = System.nanoTime();
        Site site = SiteTable.walk(s);
        long t1 = System.nanoTime();
        o.notBefore = t1 + (t1 - t0) * (WALK_TIME_FACTOR - 1);
        return site;
    }

    /** The row key mixed with the thread's name group: pools with their own code paths learn apart. */
    static int guessKey(ThreadState s, int key) {
        return key * 31 + s.threadGroup().hashCode();
    }

    /**
     * A first call's guess key: the group's, and the request's size class (a factor of 16 each: up to 7, 127,
     * 2047, 32767… bytes), so two kinds of thread in one pool whose first calls share a row key learn apart (a
     * client pool's producers write 256 KiB first, its consumers a 12-byte request: alternating, they never
     * agreed and every new thread walked).
     */
    static int firstCallKey(int groupKey, long requested) {
        return groupKey * 31 + (64 - Long.numberOfLeadingZeros(requested) >> 2);
    }
}
