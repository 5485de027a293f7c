// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

/** Per-thread recording state: the stack of operations in progress and the call-site cache. */
final class ThreadState {
    static final int MAX_DEPTH = 8;

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
    /** The last walk's frames (class, method, bytecode index) and their text, to skip formatting a repeat. */
    String[] lastWalkClasses;
    String[] lastWalkMethods;
    int[] lastWalkBcis;
    String[] lastWalkText;
    /** The thread's name and its name group (digits as '#'), remade only when the name changes. */
    private String threadName;
    private String threadGroup;

    /** The calling thread's name group: "pool-#-thread-#" for "pool-1-thread-3". */
    String threadGroup() {
        String name = Thread.currentThread().getName();
        if (name != threadName) {
            threadGroup = name == null ? "" : name.replaceAll("[0-9]+", "#");
            threadName = name;
        }
        return threadGroup;
    }
    final Frame[] frames = new Frame[MAX_DEPTH];

    private static final java.util.concurrent.atomic.AtomicInteger TAGS = new java.util.concurrent.atomic.AtomicInteger();
    /** A small number per thread (1..32767, reused after that): tells a hand-off in a flow. */
    final int tag = TAGS.getAndIncrement() % 32767 + 1;
    /** Scratch for the sources of one write, made on the thread's first write. */
    Matches matches;
    /** One-entry flow cache: the last flow this thread counted. */
    long lastFlowKey = -1;
    java.util.concurrent.atomic.AtomicLongArray lastFlow;

    // Call-site sampling, per operation: the last walked site, calls left until the next walk, interval.
    final Site[] lastSite = new Site[Codes.OPS];
    final int[] countdown = new int[Codes.OPS];
    final int[] interval = new int[Codes.OPS];
    /** The channel or stream of the last call per operation: a different one forces a walk. */
    final Object[] lastSelf = new Object[Codes.OPS];
    /** The row key of the last call per operation: a different one forces a walk too. */
    final int[] lastKey = new int[Codes.OPS];
    /** True when object changes proved not to mean site changes for this operation on this thread. */
    final boolean[] objectBlind = new boolean[Codes.OPS];
    /** The request size of the last call per operation: a different one hints at a new site. */
    final long[] lastRequested = new long[Codes.OPS];
    /** True when size changes proved not to mean site changes for this operation on this thread. */
    final boolean[] sizeBlind = new boolean[Codes.OPS];

    /** Row keys walked per operation, the last {@link #WALKED_KEYS} distinct ones (0 = empty). */
    static final int WALKED_KEYS = 4;
    final int[] walkedKeys = new int[Codes.OPS * WALKED_KEYS];

    boolean walkedKey(int op, int key) {
        for (int i = op * WALKED_KEYS; i < (op + 1) * WALKED_KEYS; i++) if (walkedKeys[i] == key) return true;
        return false;
    }

    void noteWalkedKey(int op, int key) {
        if (walkedKey(op, key)) return;
        int base = op * WALKED_KEYS;
        System.arraycopy(walkedKeys, base, walkedKeys, base + 1, WALKED_KEYS - 1);
        walkedKeys[base] = key;
    }

    // One-entry row cache per operation: same site and key as last time means no map lookup.
    final Stats[] cachedRow = new Stats[Codes.OPS];
    final Site[] cachedSite = new Site[Codes.OPS];

    ThreadState() {
        for (int i = 0; i < MAX_DEPTH; i++) frames[i] = new Frame();
    }

    /** The innermost frame that will be recorded (not folded), or null. */
    Frame recordingTop() {
        for (int i = depth - 1; i >= 0; i--) {
            if (!frames[i].folded) return frames[i];
        }
        return null;
    }
}
