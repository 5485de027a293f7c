// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.model.EndpointKind;
import io.copytrace.model.IoForm;
import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.Endpoint;
import io.copytrace.recording.Recording;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finding 5: many calls moving few bytes each: a syscall (two mode switches) per handful of bytes.
 * Batching, gathering writes or a larger buffer make the same bytes cost a fraction of the calls.
 *
 * <p>Socket I/O that answers requests is the exception: one write (or read) per request/response exchange is
 * the protocol's pace, not a loop (a Kafka broker's one gathering write per produce response). See
 * {@link Exchange} for how the recording tells.
 */
final class SmallIoRule implements Rule {
    static final String ID = "small-io";
    /** Fewer calls than this are not worth a finding. */
    static final long MIN_CALLS = 1_000;
    /** Calls asking for less than this on average are "small". */
    static final long SMALL_CALL = 4 * 1024;
    /** The chunk a batched version would move per syscall. */
    static final long BATCH = 64 * 1024;

    @Override
    public List<Finding> find(Recording recording, HostCost cost, Set<CopyRecord> claimed) {
        List<Finding> findings = new ArrayList<>();
        List<CopyRecord> app = recording.applicationRecords();
        Exchanges exchanges = null; // built on the first small record: most recordings have none
        for (CopyRecord r : app) {
            // Not claimed-exclusive: small calls cost syscalls, not copies, so nothing is counted twice.
            if (!isPlainIo(r) || r.calls() < MIN_CALLS) continue;
            if (r.requestedPerCall() >= SMALL_CALL || r.bytesPerCall() >= SMALL_CALL) continue;
            long needed = Math.max(1, (r.bytesMoved() + BATCH - 1) / BATCH);
            if (exchanges == null) exchanges = new Exchanges(app);
            Exchange exchange = exchanges.of(r);
            if (exchange != null) {
                if (exchange.oneCallEach()) continue; // protocol traffic: nothing to batch
                needed = Math.max(needed, exchange.callsNeeded(r));
            }
            if (r.calls() - needed < MIN_CALLS / 2) continue;
            findings.add(finding(recording, cost, r, needed, exchange));
        }
        return findings;
    }

    private static boolean isPlainIo(CopyRecord r) {
        return switch (r.operation()) {
            // datagrams are one message per call by design: not batchable in the JDK
            case FILE_READ, FILE_WRITE, SOCKET_READ, SOCKET_WRITE, SOCKET_STREAM_READ, SOCKET_STREAM_WRITE,
                 STREAM_READ, STREAM_WRITE -> true;
            default -> false;
        };
    }

    /**
     * A request/response exchange seen from one side. A socket write record answers requests when a socket read
     * record has a peer in common with it (a socket's peer address) at a related site ({@link
     * io.copytrace.recording.Site#isRelatedTo}: same class, same caller, or one calls the other); a read and the
     * writes that answer it the same way round. Every exchange has at least one read and one write, so the
     * counterpart's calls bound the exchanges. This side's calls are counted over every record of its direction
     * to the counterpart's peers at sites related to it, without the partial calls (a retry continues the same
     * message, a request arriving in pieces cannot be read at once). No more than the counterpart's calls is at
     * most one call per exchange: the protocol's pace, nothing to batch. More is several calls per exchange (a
     * header and a body written apart, a length prefix read before its body), and only the excess can go.
     *
     * @param counterpart the other direction's record (of several candidates, the one whose calls exceed this
     *                    side's by the most)
     * @param sameSide    complete calls of this side with the counterpart's peers at sites related to it
     */
    record Exchange(CopyRecord counterpart, long sameSide) {
        /** True when this side makes at most one call per exchange. */
        boolean oneCallEach() {
            return sameSide <= counterpart.calls();
        }

        /** The calls {@code r} still needs with one call per exchange: all but its share of the excess calls. */
        long callsNeeded(CopyRecord r) {
            long saved = sameSide <= 0 ? 0 : (long) ((double) (sameSide - counterpart.calls()) * complete(r) / sameSide);
            return r.calls() - saved;
        }
    }

    /** The socket reads and writes of a recording, to find the {@link Exchange} of a record. */
    private static final class Exchanges {
        private final List<CopyRecord> reads = new ArrayList<>();
        private final List<CopyRecord> writes = new ArrayList<>();
        /** Complete calls answering each counterpart, computed when first asked for. */
        private final Map<CopyRecord, Long> sameSide = new IdentityHashMap<>();

        Exchanges(List<CopyRecord> app) {
            for (CopyRecord r : app) {
                if (isSocketRead(r)) reads.add(r);
                else if (isSocketWrite(r)) writes.add(r);
            }
        }

        /** The exchange {@code r} takes part in, or null when it is no socket I/O or nothing answers it. */
        Exchange of(CopyRecord r) {
            boolean read = isSocketRead(r);
            if (!read && !isSocketWrite(r)) return null;
            List<CopyRecord> mine = read ? reads : writes;
            Exchange best = null;
            for (CopyRecord other : read ? writes : reads) {
                if (!related(r, other)) continue;
                long calls = sameSide.computeIfAbsent(other, o -> completeCalls(mine, o));
                if (best == null || other.calls() - calls > best.counterpart().calls() - best.sameSide()) {
                    best = new Exchange(other, calls);
                }
            }
            return best;
        }

        private static long completeCalls(List<CopyRecord> side, CopyRecord counterpart) {
            long n = 0;
            for (CopyRecord r : side) if (related(r, counterpart)) n += complete(r);
            return n;
        }

        /** A peer in common (without names, nothing matches) and related sites. */
        private static boolean related(CopyRecord a, CopyRecord b) {
            List<String> theirs = peer(b).names();
            for (String name : peer(a).names()) {
                if (theirs.contains(name)) return a.site().isRelatedTo(b.site());
            }
            return false;
        }

        private static Endpoint peer(CopyRecord r) {
            return isSocketRead(r) ? r.source() : r.target();
        }
    }

    /** Calls that moved all they were asked for. */
    private static long complete(CopyRecord r) {
        return Math.max(0, r.calls() - r.partialCalls() - r.eofCalls());
    }

    private static boolean isSocketWrite(CopyRecord r) {
        return switch (r.operation()) {
            case SOCKET_WRITE, SOCKET_STREAM_WRITE -> r.target().kind() == EndpointKind.SOCKET;
            default -> false;
        };
    }

    private static boolean isSocketRead(CopyRecord r) {
        return switch (r.operation()) {
            case SOCKET_READ, SOCKET_STREAM_READ -> r.source().kind() == EndpointKind.SOCKET;
            default -> false;
        };
    }

    private static Finding finding(Recording recording, HostCost cost, CopyRecord r, long needed, Exchange exchange) {
        boolean inbound = r.operation().isInbound();
        boolean singleByte = r.form() == IoForm.SINGLE_BYTE;
        boolean gathering = r.form() == IoForm.GATHER;
        boolean stream = switch (r.operation()) {
            case STREAM_READ, STREAM_WRITE, SOCKET_STREAM_READ, SOCKET_STREAM_WRITE -> true;
            default -> false;
        };
        long saved = r.calls() - needed;
        // A saved small send also saves its segment's trip through the TCP stack: priced as a measured small send.
        boolean sends = isSocketWrite(r);
        Saving saving = sends ? Saving.ofSmallSends(saved, cost) : Saving.of(0, saved, cost);
        Evidence.Builder evidence = new Evidence.Builder().put("calls", "calls", Facts.record(r))
                .put("bytesPerCall", "bytes per call", Prose.of(Figure.BYTES_MOVED_PER_CALL, r.bytesPerCall())
                        .text(" moved, ").fig(Figure.BYTES_REQUESTED_PER_CALL, r.requestedPerCall()).text(" requested")
                        .fact(Figure.FORM, r.form().wireName())
                        .text(singleByte ? " (read()/write(int): one syscall per byte)" : "")
                        .text(gathering ? " (gathering writes: one writev per call)" : ""));
        Prose syscalls = Prose.of(Figure.SYSCALLS_NOW, r.calls()).text(" / ").fig(Figure.SYSCALLS_AFTER, needed);
        if (exchange != null) {
            CopyRecord other = exchange.counterpart();
            String mine = inbound ? "reads" : "writes";
            evidence.put("requestResponse", "request/response", Prose.of(Figure.COUNTERPART_CALLS, other.calls())
                    .text(" ").fig(Figure.COUNTERPART_OPERATION, other.operation().wireName())
                    .text(" calls " + (inbound ? "to" : "from") + " the same peer at ")
                    .fig(Figure.COUNTERPART_SITE, other.site().frame()).text("; ")
                    .fig(Figure.COMPLETE_CALLS, exchange.sameSide())
                    .text(" complete " + mine + " at related sites: more than one per exchange"));
            syscalls.text(" with one " + mine.substring(0, mine.length() - 1) + " per exchange (this record's share)");
        } else {
            syscalls.text(" at ").fig(Figure.BATCH_BYTES, BATCH).text(" per call");
        }
        if (sends) syscalls.text("; each a small TCP send, priced at a small send's cost, not a bare syscall's");
        evidence.put("syscallsNowNeeded", "syscalls now / needed", syscalls)
                .put("modeSwitchesAvoided", "mode switches avoided", Prose.of(Figure.MODE_SWITCHES_AVOIDED, 2 * saved))
                .put("endpoint", "endpoint", Facts.endpoint(inbound ? r.source() : r.target()));
        String title = Units.count(r.calls()) + " " + r.operation().title() + (gathering ? " (gathering)" : "") + " calls of ~"
                + Units.bytes(r.bytesPerCall()) + " each: " + Units.count(saved) + " syscalls more than needed";
        String advice;
        String fix;
        if (stream) {
            advice = "Each " + (inbound ? "read" : "write") + " on an unbuffered stream is a syscall. "
                    + (exchange == null ? "A buffered stream turns them into one per " + Units.bytes(BATCH) + "."
                    : "Each exchange here takes more than one; a buffered stream" + (inbound ? "" : " flushed once per "
                    + "response") + " makes it one, the protocol's minimum.");
            fix = inbound
                    ? "InputStream in = new BufferedInputStream(rawIn, 64 * 1024);"
                    : "OutputStream out = new BufferedOutputStream(rawOut, 64 * 1024);   // flush() at message boundaries";
        } else if (inbound) {
            advice = exchange == null
                    ? "Reading a few bytes per call pays a syscall per few bytes. Read into one large buffer and parse "
                    + "from it."
                    : "Each request takes more than one read (a length prefix read apart from its body, say): read into "
                    + "one large buffer and parse the requests from it, one read per request/response exchange.";
            fix = """
                    ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);   // reused
                    channel.read(buffer); buffer.flip();
                    while (buffer.remaining() >= recordSize) parse(buffer);""";
        } else if (exchange != null) {
            advice = "Each response here takes more than one write. " + (gathering
                    ? "Put all of a response's pieces in one write(ByteBuffer[])"
                    : "Gather a response's pieces into one write(ByteBuffer[]) (writev) or build it in one buffer")
                    + ": one write per request/response exchange is the protocol's minimum.";
            fix = """
                    ByteBuffer[] response = {header, body};                  // every piece of one response
                    while (hasRemaining(response)) channel.write(response);  // one writev per exchange""";
        } else if (gathering) {
            advice = "Each call is already one gathering write (writev), but carries only ~" + Units.bytes(r.bytesPerCall())
                    + ". When several messages are ready together, hand all their buffers to one write(ByteBuffer[]) "
                    + "(up to 1024 buffers per writev, the kernel's IOV_MAX) or accumulate them in one buffer. If each "
                    + "call answers one request, that is the protocol's pace and there is nothing to batch; this "
                    + "recording shows no reads from the same peer at related code that would tell.";
            fix = """
                    // the buffers of several messages, not one message per call:
                    ByteBuffer[] batch = pending.toArray(ByteBuffer[]::new);   // at most 1024 buffers
                    while (hasRemaining(batch)) channel.write(batch);          // one writev for many""";
        } else {
            advice = "Writing a few bytes per call pays a syscall per message. Gather the pieces into one "
                    + "write(ByteBuffer[]) (writev) or accumulate them in one buffer and write it when full.";
            fix = """
                    ByteBuffer[] batch = pending.toArray(ByteBuffer[]::new);   // collect small messages
                    while (hasRemaining(batch)) channel.write(batch);          // one writev for many""";
        }
        // Whether a gathering writer has several messages ready at once is not in the recording.
        Confidence confidence = gathering && exchange == null ? Confidence.MEDIUM
                : singleByte || recording.exactSites() ? Confidence.HIGH : Confidence.MEDIUM;
        return new Finding(ID, FindingKind.OPPORTUNITY, title, r.site(), r.bytesMoved(), evidence.build(), saving, advice, fix,
                confidence);
    }
}
