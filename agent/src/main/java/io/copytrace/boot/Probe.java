// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import java.nio.ByteBuffer;

import static io.copytrace.boot.Codes.*;
import static io.copytrace.boot.OperationStack.begin;
import static io.copytrace.boot.OperationStack.dropped;
import static io.copytrace.boot.OperationStack.entered;
import static io.copytrace.boot.OperationStack.fold;
import static io.copytrace.boot.OperationStack.open;
import static io.copytrace.boot.OperationStack.opening;
import static io.copytrace.boot.OperationStack.push;
import static io.copytrace.boot.OperationStack.state;

/**
 * The entry points the inlined advice calls. Every method is static, allocation-free on the common
 * path, never throws into the JDK (the advice also suppresses Throwable) and does no I/O.
 *
 * <p>Protocol: an {@code enter*} method returns a handle (the operation's frame; null = not recording),
 * which the advice passes back to {@link #exit}: one thread-local lookup per hooked call, on entry.
 * Operations that run inside another recorded operation on the same objects (transferTo's own reads,
 * Files.copy's loop) are folded into it; the JVM copies they make are added to the enclosing operation.
 */
public final class Probe {
    /** A transfer stage that did not run. */
    public static final long NOT_TRIED = Long.MIN_VALUE;
    /** True while the recording window is open. */
    public static volatile boolean active;
    /**
     * The recording file of the window open in this JVM: set when its install begins, cleared when it has
     * ended and its hooks are out again; null while none is. The probe classes are defined once per JVM, so
     * a load (an attach) reads it here: while it is set, the load stands down instead of hooking twice.
     */
    public static volatile String openRecording;
    /** Above this many bytes a temporary direct buffer is freed after each call (jdk.nio.maxCachedBufferSize). */
    static volatile long maxCachedBufferSize = Long.MAX_VALUE;
    static volatile TransferInspector inspector;
    /** Provenance on (option flows): reads note the memory they fill, writes look theirs up. */
    static volatile boolean flows = true;

    private Probe() {}

    /** Installs the core's helpers and options; called once before {@link #active} is set. */
    public static void configure(TransferInspector inspector, int maxInterval, long maxCachedBufferSize,
                                 boolean flows) {
        Probe.flows = flows && Memory.available();
        Probe.inspector = inspector;
        SiteSampler.maxInterval = Math.max(1, maxInterval);
        Probe.maxCachedBufferSize = maxCachedBufferSize;
    }

    /**
     * Measures page faults around operations on mapped buffers and {@code MappedByteBuffer.load} with
     * {@code reader}, or not at all when null; set before each window opens.
     */
    public static void measureFaults(ThreadFaults reader) {
        FaultMeter.reader = reader;
    }

    /** Stops recording on this thread until {@link #resume}: the agent's own class loading and transforms. */
    public static void pause() {
        state().paused++;
    }

    /** Undoes one {@link #pause}. */
    public static void resume() {
        ThreadState s = state();
        if (s.paused > 0) s.paused--;
    }

    /** Marks the calling thread as the agent's own: nothing it does is recorded. */
    public static void suppressCurrentThread() {
        OperationStack.threadLocalState().suppressed = true;
    }

    // ---------------------------------------------------------------- enter

    /** A read or write of one ByteBuffer on a channel whose endpoint kind and name the advice knows. */
    public static Object enterBuffer(int op, int form, Object self, ByteBuffer buf, int endpoint, Object name) {
        Frame f = opening(op, self, null);
        if (f == null) return null;
        try {
            f.form = form;
            f.buffer = Buffers.kind(buf);
            f.requested = buf == null ? 0 : buf.remaining();
            if (buf != null && flows) {
                f.memArray = f.buffer == BUF_HEAP ? Memory.array(buf) : null;
                f.memBase = Memory.base(buf, buf.position());
                f.memSet = true;
            }
            f.ends(isInbound(op), endpoint, name);
            if (f.buffer == BUF_MAPPED) FaultMeter.atEnter(f);
        } catch (Throwable t) {
            return dropped(f);
        }
        return entered(f);
    }

    /** A scatter read or gathering write over {@code bufs[off, off+len)}. */
    public static Object enterBuffers(int op, int form, Object self, ByteBuffer[] bufs, int off, int len,
                                   int endpoint, Object name) {
        Frame f = opening(op, self, null);
        if (f == null) return null;
        try {
            f.form = form;
            int kind = BUF_NONE;
            boolean mapped = false;
            long total = 0;
            int end = Math.min(bufs.length, off + len);
            for (int i = off; i < end; i++) {
                ByteBuffer b = bufs[i];
                if (b == null) continue;
                total += b.remaining();
                int k = Buffers.kind(b);
                kind = kind == BUF_NONE || kind == k ? k : BUF_MIXED;
                mapped |= k == BUF_MAPPED;
            }
            f.buffer = kind;
            f.requested = total;
            if (flows) {
                if (f.positions == null) f.positions = new int[Frame.MAX_BUFS];
                f.bufs = bufs;
                f.bufOff = off;
                f.rare().bufCount = Math.min(end - off, Frame.MAX_BUFS);
                for (int i = 0; i < f.bufCount; i++) {
                    ByteBuffer b = bufs[off + i];
                    f.positions[i] = b == null ? 0 : b.position();
                }
            }
            f.ends(isInbound(op), endpoint, name);
            if (mapped) FaultMeter.atEnter(f);
        } catch (Throwable t) {
            return dropped(f);
        }
        return entered(f);
    }

    /** A java.io read or write of {@code len} bytes of a byte[] (form SINGLE_BYTE for read()/write(int)). */
    public static Object enterArray(int op, int form, Object self, int len, int endpoint, Object name) {
        return enterArray(op, form, self, null, 0, len, endpoint, name);
    }

    /** A java.io read or write of {@code b[off, off+len)}; {@code b} is where provenance looks. */
    public static Object enterArray(int op, int form, Object self, byte[] b, int off, int len, int endpoint,
                                 Object name) {
        Frame f = opening(op, self, null);
        if (f == null) return null;
        try {
            f.form = form;
            f.buffer = form == FORM_SINGLE_BYTE ? BUF_NONE : BUF_BYTE_ARRAY;
            f.requested = len;
            if (b != null && flows) {
                f.memArray = b;
                f.memBase = off;
                f.memSet = true;
            }
            f.ends(isInbound(op), endpoint, name);
        } catch (Throwable t) {
            return dropped(f);
        }
        return entered(f);
    }

    /**
     * A java.net.DatagramSocket send or receive of a packet of {@code len} bytes; {@code channel} is the
     * DatagramChannel it delegates to, whose own call is folded in.
     */
    public static Object enterPacket(int op, Object self, Object channel, int len, Object peer) {
        Frame f = opening(op, self, channel);
        if (f == null) return null;
        try {
            f.form = FORM_SINGLE;
            f.buffer = BUF_BYTE_ARRAY;
            f.requested = len;
            f.ends(isInbound(op), END_DATAGRAM, peer);
        } catch (Throwable t) {
            return dropped(f);
        }
        return entered(f);
    }

    /** FileChannel.transferTo ({@code self} → {@code other}) or transferFrom ({@code other} → {@code self}). */
    public static Object enterTransfer(int op, Object self, Object other, long count) {
        Frame f = opening(op, self, other);
        if (f == null) return null;
        try {
            TransferInspector in = inspector;
            f.requested = Math.max(0, count);
            f.path = PATH_NONE;
            f.rare().stickyFlags = in == null ? 0 : in.stickyFlags();
            Object selfName = in == null ? null : in.endpointName(self);
            Object otherName = in == null ? null : in.endpointName(other);
            int otherKind = in == null ? END_CHANNEL : in.endpointKind(other);
            if (op == OP_FILE_TRANSFER_TO) {
                f.source = END_FILE;
                f.sourceName = selfName;
                f.target = otherKind;
                f.targetName = otherName;
            } else {
                f.source = otherKind;
                f.sourceName = otherName;
                f.target = END_FILE;
                f.targetName = selfName;
            }
        } catch (Throwable t) {
            return dropped(f);
        }
        return entered(f);
    }

    /**
     * A composite copy (Files.copy, InputStream.transferTo) between two endpoints. It folds every JDK
     * operation it runs unless one end is application code, whose own I/O is then recorded as nested.
     */
    public static Object enterComposite(int op, Object source, Object target) {
        Frame f = opening(op, source, target);
        if (f == null) return null;
        try {
            TransferInspector in = inspector;
            f.path = PATH_NONE;
            f.source = in == null ? END_STREAM : in.endpointKind(source);
            f.target = in == null ? END_STREAM : in.endpointKind(target);
            f.sourceName = in == null ? null : in.endpointName(source);
            f.targetName = in == null ? null : in.endpointName(target);
            f.rare().foldsAll = Buffers.isJdkObject(source) && Buffers.isJdkObject(target);
        } catch (Throwable t) {
            return dropped(f);
        }
        return entered(f);
    }

    /** An operation whose size is known on entry (map, load, force, Netty sendFile). */
    public static Object enterSized(int op, Object self, long bytes, int path, int source, Object sourceName,
                                 int target, Object targetName) {
        Frame f = opening(op, self, null);
        if (f == null) return null;
        try {
            f.requested = Math.max(0, bytes);
            f.path = path;
            f.source = source;
            f.sourceName = sourceName;
            f.target = target;
            f.targetName = targetName;
            if (op == OP_MAPPED_LOAD) FaultMeter.atEnter(f);
        } catch (Throwable t) {
            return dropped(f);
        }
        return entered(f);
    }

    /** SSLEngine.wrap (srcs → dst) or unwrap (src → dsts); {@code requested} is the input's remaining bytes. */
    public static Object enterTls(int op, Object engine, long requested, ByteBuffer app) {
        Frame f = opening(op, engine, null);
        if (f == null) return null;
        try {
            f.path = PATH_TLS_ENGINE;
            f.reason = WHY_TLS;
            f.requested = requested;
            f.buffer = Buffers.kind(app);
            if (op == OP_TLS_WRAP) {
                f.source = END_MEMORY;
                f.target = END_TLS_ENGINE;
            } else {
                f.source = END_TLS_ENGINE;
                f.target = END_MEMORY;
            }
        } catch (Throwable t) {
            return dropped(f);
        }
        return entered(f);
    }

    // ---------------------------------------------------------------- inside an operation

    /** The JDK's transfer code reports which stage ran and what it returned (negative = declined). */
    public static void stage(int stage, long result) {
        if (!active) return;
        ThreadState s = OperationStack.existing();
        if (s == null || s.depth == 0 || s.suppressed) return;
        Frame f = s.frame(s.depth - 1);
        if (f.op != OP_FILE_TRANSFER_TO && f.op != OP_FILE_TRANSFER_FROM) return;
        if (stage == STAGE_DIRECT) {
            f.rare().directCode = result;
        } else if (stage == STAGE_MAPPED) {
            f.rare().mappedCode = result;
        }
        if (result >= 0) f.path = stage == STAGE_DIRECT ? PATH_DIRECT : stage == STAGE_MAPPED ? PATH_MAPPED : PATH_LOOP;
    }

    /**
     * The JVM copied {@code bytes} between Java heap memory and a native buffer (IOUtil's temporary
     * direct buffer, NioSocketImpl's, DatagramChannelImpl's). Added to the enclosing operation, or
     * recorded on its own with the endpoint kind the dispatcher (IOUtil's NativeDispatcher) tells.
     */
    public static void jvmCopy(long bytes, int endpoint, boolean toNative) {
        JvmCopies.record(bytes, null, endpoint, toNative);
    }

    /** {@link #jvmCopy(long, int, boolean)} where an IOUtil NativeDispatcher tells the endpoint, asked only if needed. */
    public static void jvmCopy(long bytes, Object dispatcher, boolean toNative) {
        JvmCopies.record(bytes, dispatcher, END_NONE, toNative);
    }

    /**
     * A framework copies the bytes of {@code from} (heap) into direct memory in Java before writing them
     * (Netty's NIO transport). Recorded as its own operation; provenance follows the bytes to the copy.
     */
    public static Object enterFrameworkCopy(Object self, ByteBuffer from) {
        Frame f = opening(OP_FRAMEWORK_COPY, self, null);
        if (f == null) return null;
        try {
            f.path = PATH_NONE;
            f.buffer = Buffers.kind(from);
            f.requested = from.remaining();
            f.source = END_MEMORY;
            f.target = END_MEMORY;
            if (flows) {
                f.memArray = Memory.array(from);
                f.memBase = Memory.base(from, from.position());
                f.memSet = true;
            }
        } catch (Throwable t) {
            return dropped(f);
        }
        return entered(f);
    }

    /** Ends a framework copy into {@code to} (its readable bytes are the copy), or null when none was made. */
    public static void exitFrameworkCopy(Object handle, ByteBuffer to, Throwable thrown) {
        Frame f = open(handle);
        if (f == null) return;
        long n = to == null || thrown != null ? 0 : Math.min(f.requested, to.remaining());
        if (n > 0 && f.owner.epoch == Epoch.current) { // a copy begun in an earlier window fills nothing now
            f.jvmCopied = n;
            if (f.memSet) {
                Provenance.copy(f.memArray, f.memBase, Memory.array(to), Memory.base(to, to.position()), n);
            }
        }
        exit(handle, n, thrown);
    }

    /** A composite operation's inner JDK step reports the path it ran (Files.copy's directCopy, bufferedCopy). */
    public static void compositePath(int path) {
        if (!active) return;
        ThreadState s = OperationStack.existing();
        if (s == null || s.suppressed) return;
        Frame top = s.recordingTop();
        if (top != null) top.rare().childPaths |= 1 << path;
    }

    /** Class loading is reading a jar on this thread: label what happens inside as JDK-internal. */
    public static void enterInternal() {
        ThreadState s = OperationStack.existing();
        if (s == null) {
            if (!active) return;
            s = state();
        }
        s.internalDepth++;
    }

    /** Leaves the JDK-internal region entered with {@link #enterInternal}. */
    public static void exitInternal() {
        ThreadState s = OperationStack.existing();
        if (s != null && s.internalDepth > 0) s.internalDepth--;
    }

    // ---------------------------------------------------------------- exit

    /** Ends the operation entered as {@code handle}; {@code result} is the method's return value. */
    public static void exit(Object handle, long result, Throwable thrown) {
        Frame f = open(handle);
        if (f == null) return;
        ThreadState s = f.owner;
        if (s.busy) return;
        s.busy = true;
        try {
            s.depth = f.index;
            if (f.folded) {
                fold(s, f, result);
            } else if (active && s.epoch == Epoch.current) { // else it began in an earlier window
                RowCounter.finish(s, f, result, thrown != null);
            }
            f.clearRefs();
        } finally {
            s.busy = false;
        }
    }

    /** Ends a void operation: it moved everything it was asked to unless it threw. */
    public static void exitVoid(Object handle, Throwable thrown) {
        Frame f = open(handle);
        if (f == null) return;
        exit(f, thrown == null ? f.requested : 0, thrown);
    }

    /** Ends FileChannel.map: the mapping it returned is where flows from this map call start. */
    public static void exitMapped(Object handle, Object mapping, Throwable thrown) {
        Frame f = open(handle);
        if (f == null) return;
        f.result = mapping;
        exitVoid(f, thrown);
    }

    /** Ends a composite or sized operation whose size is only known at the end. */
    public static void exitSized(Object handle, long requested, long moved, Throwable thrown) {
        Frame f = open(handle);
        if (f == null) return;
        f.requested = requested;
        exit(f, moved, thrown);
    }

    /** Ends an operation whose result is how far a buffer advanced (DatagramChannel.receive). */
    public static void exitRemaining(Object handle, long remainingAfter, Throwable thrown) {
        Frame f = open(handle);
        if (f == null) return;
        exit(f, f.requested - remainingAfter, thrown);
    }

    /** Ends a TLS operation with the engine's consumed and produced byte counts. */
    public static void exitTls(Object handle, long consumed, long produced, Throwable thrown) {
        Frame f = open(handle);
        if (f == null) return;
        f.rare().produced = produced;
        Object suite = FrameFacts.cipherSuite(f.self);
        if (suite != null) {
            if (f.op == OP_TLS_WRAP) f.targetName = suite;
            else f.sourceName = suite;
        }
        exit(f, consumed, thrown);
    }

    // ---------------------------------------------------------------- internals

    /** Reads into the application: as {@code Operation.isInbound} (CodesTest keeps the two equal). */
    static boolean isInbound(int op) {
        return (INBOUND >>> op & 1) != 0;
    }

    private static final int INBOUND = 1 << OP_FILE_READ | 1 << OP_SOCKET_READ | 1 << OP_SOCKET_STREAM_READ
            | 1 << OP_DATAGRAM_RECEIVE | 1 << OP_STREAM_READ | 1 << OP_TLS_UNWRAP;

}
