// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.model.CopyModel;
import io.copytrace.model.Operation;
import io.copytrace.model.TransferPath;
import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.KernelCounts;
import io.copytrace.recording.Recording;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Kernel versus JVM: the syscalls the kernel counted in the window next to the syscalls the agent's
 * records explain (per the copy model), by syscall family.
 *
 * @param available true when the recording has kernel counts to compare
 * @param source    {@code perf}, {@code proc}, or what made the check unavailable
 * @param note      one sentence about the check (why unavailable, or how to read it)
 * @param rows      one row per family; empty when unavailable
 */
public record CrossCheck(boolean available, String source, String note, List<Row> rows) {

    /**
     * One syscall family.
     *
     * @param family      e.g. "write family"
     * @param kernelNames the kernel syscalls summed
     * @param kernelCalls what the kernel counted
     * @param agentCalls  what the agent's records explain (estimated from calls and bytes)
     * @param unexplained true when the kernel counted far more than the records explain
     * @param verdict     a few words for the table
     */
    public record Row(String family, String kernelNames, long kernelCalls, long agentCalls, boolean unexplained,
                      String verdict) {}

    /** The families compared; mmap is shown but never flagged (the JVM maps memory for itself). */
    enum Family {
        READ("read family", List.of("read", "pread64", "readv", "preadv", "recvfrom", "recvmsg"), 256),
        WRITE("write family", List.of("write", "pwrite64", "writev", "pwritev", "sendto", "sendmsg"), 256),
        SENDFILE("sendfile", List.of("sendfile64", "sendfile"), 8),
        COPY_FILE_RANGE("copy_file_range", List.of("copy_file_range"), 8),
        SPLICE("splice", List.of("splice", "vmsplice"), 8),
        MMAP("mmap", List.of("mmap"), -1);

        final String title;
        final List<String> kernelNames;
        /** Slack on top of twice the explained count before calling calls unexplained; -1 = never. */
        final long slack;

        Family(String title, List<String> kernelNames, long slack) {
            this.title = title;
            this.kernelNames = kernelNames;
            this.slack = slack;
        }
    }

    /** Compares a recording's kernel section with its records. */
    public static CrossCheck of(Recording recording) {
        if (recording.kernel().isEmpty()) {
            return new CrossCheck(false, "none", recording.origin().isAgent()
                    ? "unavailable: the recording has no kernel section (agent option kernel=off, or an agent without "
                    + "the native bridge)"
                    : "unavailable: " + recording.origin().title() + " have no kernel counters", List.of());
        }
        KernelCounts k = recording.kernel().get();
        if (!k.hasSyscalls() && !k.hasProcCounts()) {
            return new CrossCheck(false, k.source(), "unavailable: the kernel source is '" + k.source() + "'"
                    + (k.fallbackReason() == null ? "" : " (" + k.fallbackReason() + ")") + " and gave no syscall counts",
                    List.of());
        }
        Map<Family, Long> agent = explained(recording);
        List<Row> rows = new ArrayList<>();
        if (k.hasSyscalls()) {
            for (Family f : Family.values()) {
                long kernel = f.kernelNames.stream().mapToLong(k::syscall).sum();
                rows.add(row(f.title, String.join(", ", f.kernelNames), kernel, agent.get(f), f.slack));
            }
            String kernelSide = k.source().equals("perf-sampled")
                    ? "perf counted the process's syscalls in slices of the window and extrapolated (kernel.sampling in"
                    + " the recording has each count's 95 % interval)"
                    : "perf counted every syscall of the process in the window";
            return new CrossCheck(true, k.source(), kernelSide + "; the agent "
                    + "column is what its records explain per the copy model (an estimate).", List.copyOf(rows));
        }
        // /proc/self/io: syscr counts read-family calls and sendfile; syscw write-family calls and sendfile.
        long reads = agent.get(Family.READ) + agent.get(Family.SENDFILE);
        long writes = agent.get(Family.WRITE) + agent.get(Family.SENDFILE);
        rows.add(row("read syscalls (syscr)", "syscr", k.proc().get("syscr"), reads, Family.READ.slack));
        rows.add(row("write syscalls (syscw)", "syscw", k.proc().get("syscw"), writes, Family.WRITE.slack));
        String why = k.fallbackReason() == null ? "" : " (perf unavailable: " + k.fallbackReason() + ")";
        return new CrossCheck(true, k.source(), "/proc/self/io read/write syscall totals" + why
                + "; the agent column is what its records explain (an estimate).", List.copyOf(rows));
    }

    private static Row row(String family, String names, long kernel, long agent, long slack) {
        boolean unexplained = slack >= 0 && kernel > 2 * agent + slack;
        String verdict;
        if (slack < 0) {
            verdict = "not compared: the JVM maps memory for itself";
        } else if (unexplained) {
            verdict = "kernel saw " + Units.count(kernel - agent) + " more";
        } else if (agent > 2 * kernel + slack) {
            verdict = "agent estimate above kernel count (estimate too high, or threads outside the count)";
        } else {
            verdict = "explained";
        }
        return new Row(family, names, kernel, agent, unexplained, verdict);
    }

    /** Syscalls per family that the records explain: every record, JDK-internal and nested included. */
    static Map<Family, Long> explained(Recording recording) {
        Map<Family, Long> m = new EnumMap<>(Family.class);
        for (Family f : Family.values()) m.put(f, 0L);
        int jdk = recording.jvm().feature();
        for (CopyRecord r : recording.records()) {
            Operation op = r.operation();
            if (op.isInbound() && op != Operation.TLS_UNWRAP) {
                m.merge(Family.READ, r.calls(), Long::sum);
            } else if (isPlainWrite(op)) {
                m.merge(Family.WRITE, r.calls(), Long::sum);
            } else if (op == Operation.FILE_MAP) {
                m.merge(Family.MMAP, r.calls(), Long::sum);
            } else if (op == Operation.NETTY_SEND_FILE) {
                m.merge(Family.SENDFILE, r.calls(), Long::sum);
            } else if (TransferFallbackRule.isTransfer(op)) {
                transfer(m, r, jdk);
            }
        }
        return m;
    }

    private static void transfer(Map<Family, Long> m, CopyRecord r, int jdk) {
        long syscalls = r.estimatedSyscalls(jdk);
        if (r.path() == TransferPath.DIRECT) {
            List<String> names = CopyModel.directSyscallNames(jdk, r.operation(), r.target().kind());
            for (String name : names) {
                m.merge(name.equals("sendfile") ? Family.SENDFILE : Family.COPY_FILE_RANGE, syscalls / names.size(),
                        Long::sum);
            }
        } else if (r.path() == TransferPath.MAPPED) {
            long chunks = syscalls / 3;
            m.merge(Family.MMAP, chunks, Long::sum);
            m.merge(Family.WRITE, chunks, Long::sum);
        } else if (r.path() == TransferPath.LOOP) {
            long chunk = CopyModel.loopChunk(r.operation(), jdk);
            long reads = (r.bytesMoved() + chunk - 1) / chunk + r.calls();
            m.merge(Family.READ, reads, Long::sum);
            if (syscalls > reads) m.merge(Family.WRITE, syscalls - reads, Long::sum);
        }
    }

    private static boolean isPlainWrite(Operation op) {
        return switch (op) {
            case FILE_WRITE, SOCKET_WRITE, SOCKET_STREAM_WRITE, STREAM_WRITE, DATAGRAM_SEND -> true;
            default -> false;
        };
    }

    /** Rows the kernel does not explain. */
    public List<Row> unexplained() {
        return rows.stream().filter(Row::unexplained).toList();
    }
}
