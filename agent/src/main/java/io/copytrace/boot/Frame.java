// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

/**
 * One I/O operation in progress on a thread, from its enter advice to its exit advice. Frames are made
 * once per thread and depth and reused, so recording allocates nothing per call. The enter advice gets its
 * frame back as the handle it passes to the exit advice, so the exit needs no thread-local lookup.
 */
final class Frame {
    /**
     * The thread state this frame belongs to, and its depth there. The owner changes only when a new thread takes
     * over an ended thread's frames ({@link ThreadState#adopt}), before it uses them: none is in progress then.
     */
    ThreadState owner;
    final int index;

    Frame(ThreadState owner, int index) {
        this.owner = owner;
        this.index = index;
        clearRare(); // the rare facts' starting values, which a reset keeps until one is set
    }

    int op;
    int form;
    int buffer;
    int source;
    int target;
    int path;
    int reason;
    Object self;
    Object other;
    Object sourceName;
    Object targetName;
    long requested;
    long jvmCopied;
    /** Folded: part of the enclosing operation, not recorded on its own. */
    boolean folded;
    /** Nested: recorded on its own, but runs inside another recorded operation. */
    boolean nested;
    // Provenance: where the bytes of a one-buffer (or byte[]) operation start, taken on entry.
    boolean memSet;
    byte[] memArray;
    long memBase;
    /** What the operation returned, when provenance needs it (map's MappedByteBuffer). */
    Object result;

    /**
     * True once one of the rare facts below was set since the last {@link #reset}: only then does the next reset
     * clear them, and only then do the count's checks read them. A plain write or read sets none, and stores and
     * loads it does not need are most of what the probe costs per call. Every write to a rare fact goes through
     * {@link #rare()} (FrameTest checks the sources).
     */
    boolean rare;
    int mappedReason;
    /** Result of the direct stage (negative JDK IOStatus) or NOT_TRIED. */
    long directCode;
    /** Result of the mapped stage or NOT_TRIED. */
    long mappedCode;
    int stickyFlags;
    /** Bit set of the paths folded child operations ran. */
    int childPaths;
    long nativeAllocs;
    long produced;
    /** Heap arrays this read fills for the first time, and their lengths ({@link FlowTrace#noteFresh}). */
    long freshArrays;
    long freshBytes;
    /** Composite operations fold every JDK operation they run (Files.copy, InputStream.transferTo). */
    boolean foldsAll;
    // Provenance of a scatter/gather operation: its buffers and their positions on entry (the first MAX_BUFS).
    static final int MAX_BUFS = 16;
    int bufCount;
    java.nio.ByteBuffer[] bufs;
    int bufOff;
    /** Made on a thread's first scatter/gather call: per-thread state stays small (virtual threads). */
    int[] positions;
    /** The thread's page faults were read on entry: minor and major then, the call's own at the finish. */
    boolean faultsSet;
    long faultsMinor;
    long faultsMajor;

    static final long NOT_TRIED = Probe.NOT_TRIED;

    void reset(int op) {
        this.op = op;
        form = Codes.FORM_NONE;
        buffer = Codes.BUF_NONE;
        source = Codes.END_NONE;
        target = Codes.END_NONE;
        path = Codes.PATH_SYSCALL;
        reason = Codes.WHY_NONE;
        // self and other: set by every push right after this
        sourceName = null;
        targetName = null;
        requested = 0;
        jvmCopied = 0;
        folded = false;
        nested = false;
        memSet = false;
        if (rare) clearRare();
    }

    /** This frame, marked as having a rare fact: the one way such a fact is written. */
    Frame rare() {
        rare = true;
        return this;
    }

    private void clearRare() {
        rare = false;
        mappedReason = Codes.WHY_NONE;
        directCode = NOT_TRIED;
        mappedCode = NOT_TRIED;
        stickyFlags = 0;
        childPaths = 0;
        nativeAllocs = 0;
        produced = 0;
        freshArrays = 0;
        freshBytes = 0;
        foldsAll = false;
        bufCount = 0;
        faultsSet = false;
    }

    /** Drops references so a finished frame does not keep buffers or channels alive. */
    void clearRefs() {
        self = null;
        other = null;
        sourceName = null;
        targetName = null;
        memArray = null;
        bufs = null;
        result = null;
    }

    /** Sets the ends of a read ({@code inbound}: endpoint → memory) or a write (memory → endpoint). */
    void ends(boolean inbound, int endpoint, Object name) {
        if (inbound) {
            source = endpoint;
            sourceName = name;
            target = Codes.END_MEMORY;
        } else {
            source = Codes.END_MEMORY;
            target = endpoint;
            targetName = name;
        }
    }
}
