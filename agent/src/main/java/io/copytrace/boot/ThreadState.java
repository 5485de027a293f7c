// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

/** Per-thread recording state: the stack of operations in progress and the call-site cache. */
final class ThreadState {
    static final int MAX_DEPTH = 8;

    /** The {@link Epoch} the per-window fields below were made in; see {@link #renew}. */
    int epoch = Epoch.current;
    /** The thread this state is for. */
    final Thread thread = Thread.currentThread();
    /** True on the agent's own threads: nothing they do is recorded. */
    boolean suppressed;
    /** Greater than 0 while the agent itself works on this thread (class transforms). */
    int paused;
    /** True while the probe itself runs: guards re-entry (a stack walk may load classes, which reads jars). */
    boolean busy;
    /** Greater than 0 while the JDK reads a jar for class loading. */
    int internalDepth;
    int depth;
    /** True when the last site lookup walked the stack. */
    boolean walked;
    /** The frames of the last walk (the site frame first), or null. */
    String[] walkedStack;
    /** The text of the thread's recent walked stacks, to skip formatting a repeat; null before its first walk. */
    RecentStacks recentStacks;
    /** The thread's name and its name group (digits as '#'), remade only when the name changes. */
    private String threadName;
    private String threadGroup;

    /** The calling thread's name group: "pool-#-thread-#" for "pool-1-thread-3". */
    String threadGroup() {
        String name = Thread.currentThread().getName();
        if (name != threadName) {
            threadGroup = name == null ? "" : group(name);
            threadName = name;
        }
        return threadGroup;
    }

    /**
     * A thread name with each run of digits as '#', as the kernel view groups threads ({@code ThreadWindow.group},
     * which the boot loader's classes cannot see). A loop, not a regex: every new thread asks (10,000 virtual
     * threads a round), and when this got hot C2 spent ~0.5 s compiling the regex it inlined
     * (docs/bench/session26-ab.md).
     */
    static String group(String name) {
        StringBuilder folded = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                folded.append(c);
            } else if (i == 0 || name.charAt(i - 1) < '0' || name.charAt(i - 1) > '9') {
                folded.append('#');
            }
        }
        return folded.toString();
    }

    /**
     * Operations in progress, innermost last; made as depths are first reached, the array made for two on the
     * first and grown to {@link #MAX_DEPTH} past the second (most threads use one or two: a virtual thread per
     * task pays for two), or taken over from an ended thread ({@link #adopt}).
     */
    Frame[] frames = NO_FRAMES;
    private static final Frame[] NO_FRAMES = {};
    /**
     * {@code frames[0]} once made, else null: the outermost frame, which nearly every hooked call uses, without the
     * array's load. After a syscall each load on the way from the thread to its frame is likely a cache miss, and
     * each waits for the one before it.
     */
    Frame first;

    /**
     * A small number per thread (1..32767, from its id: reused past that): tells a hand-off in a flow. From the
     * id rather than a shared counter, whose cache line every new thread on either carrier would take.
     */
    @SuppressWarnings("deprecation") // threadId() is JDK 19+; getId() is the same number
    final int tag = (int) (thread.getId() % 32767) + 1;
    /** Scratch for {@link ThreadFaults#read}, made on the thread's first measured call. */
    long[] faultScratch;
    /** Scratch for the sources of one write, made on the thread's first write. */
    Matches matches;
    /** One-entry flow cache: the last flow this thread counted, and this thread's counts of it (null: atomic). */
    long lastFlowKey = -1;
    Flows.FlowCounts lastFlow;
    long[] lastFlowCounts;

    /** Per operation, made on the thread's first call of it; the array grows to the highest operation used. */
    OpState[] ops = NO_OPS;
    private static final OpState[] NO_OPS = {};
    /** The operation and key state of the last call: a thread repeating one call skips the search. */
    int lastKeyOp;
    OpState.KeyState lastKeyState;
    /** True on a virtual thread: it counts into the shared counters and keeps no {@link Tally}. */
    final boolean virtual = Threads.isVirtual(thread);
    /** This platform thread's own counters, registered on its first counted call; null before and on virtual threads. */
    private Tally tally;

    /** This platform thread's own counters, registered now if this is its first count in the window. */
    Tally tally() {
        Tally t = tally;
        if (t == null) tally = t = Tally.register();
        return t;
    }

    /**
     * Drops what this thread learned and counted in an earlier window (sites, rows, its tally, flows, the
     * frames of operations still in progress, which are then not counted), keeping what is not per window:
     * whether the thread is the agent's, paused, busy, or reading a jar for class loading.
     */
    void renew(int now) {
        java.util.Arrays.fill(ops, null);
        lastKeyState = null;
        java.util.Arrays.fill(frames, null);
        first = null;
        depth = 0;
        tally = null;
        lastFlowKey = -1;
        lastFlow = null;
        lastFlowCounts = null;
        walkedStack = null;
        recentStacks = null;
        epoch = now;
    }

    /** 1 once this state's innards went to a new thread: its thread had ended, and they go to one taker only. */
    private volatile int given;
    private static final java.lang.invoke.VarHandle GIVEN = givenHandle();
    /** True once this state took over an ended thread's innards: it takes none more. */
    private boolean adopted;

    private static java.lang.invoke.VarHandle givenHandle() {
        try {
            return java.lang.invoke.MethodHandles.lookup().findVarHandle(ThreadState.class, "given", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * True when this state's thread has ended. A state whose innards were given away says so without reading its
     * thread, which, ended long ago, is likely out of the cache.
     */
    boolean ended() {
        return given != 0 || !thread.isAlive();
    }

    /**
     * Takes over the innards of {@code ended}, the state of a thread that has ended ({@link #ended}: the caller
     * checked), so that a thread per task does not make them again; called before this state is first used, by
     * the thread that won {@code ended}'s slot ({@link StateSlots#claim}) or, first, by a new virtual thread on the
     * carrier {@code ended}'s thread last ran on ({@link CarrierSpares}). Whichever comes first takes them, once
     * ({@link #given}); this state takes at most one thread's. Only what no other thread can reach is taken, and
     * emptied of what the ended thread learned or counted: its frames (none in progress: a frame is handed only
     * to its own thread's exit advice), its operations' key states (their cached rows and counts point into the
     * ended thread's tally, which may have been folded into the shared counters already), its scratch. What is
     * per thread or per window starts as new here (depth, tally, flow cache, walked stacks, tag, epoch).
     */
    void adopt(ThreadState ended) {
        if (adopted || !GIVEN.compareAndSet(ended, 0, 1)) return;
        adopted = true;
        for (Frame f : ended.frames) {
            if (f == null) continue;
            f.clearRefs();
            f.owner = this;
        }
        frames = ended.frames;
        first = frames.length > 0 ? frames[0] : null;
        for (OpState o : ended.ops) {
            if (o != null) o.clear();
        }
        ops = ended.ops;
        if (ended.matches != null) ended.matches.clear();
        matches = ended.matches;
        faultScratch = ended.faultScratch;
        if (ended.recentStacks != null) ended.recentStacks.clear();
        recentStacks = ended.recentStacks;
        // The ended state keeps nothing it gave away: should anything still use it, it makes its own.
        ended.frames = NO_FRAMES;
        ended.first = null;
        ended.ops = NO_OPS;
        ended.matches = null;
        ended.faultScratch = null;
        ended.recentStacks = null;
        ended.lastKeyState = null;
    }

    OpState op(int op) {
        OpState[] a = ops;
        if (op >= a.length) ops = a = java.util.Arrays.copyOf(a, op + 1);
        OpState o = a[op];
        if (o == null) a[op] = o = new OpState();
        return o;
    }

    /** The frame for the next operation (depth below {@link #MAX_DEPTH}), made when this depth is first reached. */
    Frame frameAt(int depth) {
        if (depth == 0 && first != null) return first;
        Frame[] a = frames;
        if (depth >= a.length) frames = a = java.util.Arrays.copyOf(a, depth < 2 ? 2 : MAX_DEPTH);
        Frame f = a[depth];
        if (f == null) a[depth] = f = new Frame(this, depth);
        if (depth == 0) first = f;
        return f;
    }

    /** The frame at {@code depth}, which has been made (below the depth reached). */
    Frame frame(int depth) {
        return depth == 0 ? first : frames[depth];
    }

    /** The innermost frame that will be recorded (not folded), or null. */
    Frame recordingTop() {
        for (int i = depth - 1; i >= 0; i--) {
            Frame f = frame(i);
            if (!f.folded) return f;
        }
        return null;
    }
}
