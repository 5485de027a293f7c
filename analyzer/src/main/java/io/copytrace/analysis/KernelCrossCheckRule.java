// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.Recording;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finding 8: I/O the kernel counted that the agent's records do not explain (native libraries, Netty's
 * epoll transport, the JVM itself). Silent without a kernel section; the report then says the
 * cross-check was unavailable.
 */
final class KernelCrossCheckRule implements Rule {
    static final String ID = "kernel-unexplained";

    @Override
    public List<Finding> find(Recording recording, HostCost cost, Set<CopyRecord> claimed) {
        CrossCheck check = CrossCheck.of(recording);
        List<Finding> findings = new ArrayList<>();
        for (CrossCheck.Row row : check.unexplained()) {
            boolean inKernelTransfer = row.family().equals("sendfile") || row.family().equals("copy_file_range")
                    || row.family().equals("splice");
            long extra = row.kernelCalls() - row.agentCalls();
            Evidence evidence = new Evidence.Builder()
                    .put("kernelCounted", "kernel counted", Prose.of(Figure.KERNEL_CALLS, row.kernelCalls())
                            .fact(Figure.FAMILY, row.family()).text(" (")
                            .fig(Figure.KERNEL_SYSCALLS, List.of(row.kernelNames().split(", ")))
                            .text(", source ").fig(Figure.KERNEL_SOURCE, check.source()).text(")"))
                    .put("agentExplains", "agent records explain", Prose.of("~").fig(Figure.AGENT_CALLS, row.agentCalls()))
                    .put("unexplained", "unexplained", Prose.of(Figure.UNEXPLAINED_CALLS, extra)).build();
            String title = "The kernel counted " + Units.count(row.kernelCalls()) + " " + row.family()
                    + " syscalls; the agent's records explain ~" + Units.count(row.agentCalls());
            String advice = inKernelTransfer
                    ? "In-kernel transfers happened that no JDK FileChannel/Files.copy record shows: a native library or "
                      + "JNI code (e.g. a transport calling sendfile itself) moves bytes the agent cannot see. They are "
                      + "probably zero-copy already; find the library with `perf record -e syscalls:sys_enter_"
                      + row.kernelNames().split(",")[0].trim() + " -g` or strace -f -k."
                    : "These syscalls did not go through the JDK I/O classes the agent hooks: native libraries (JNI, "
                      + "JNA, Netty's epoll/io_uring transports), the JVM itself (GC and JIT logs, /proc reads), or "
                      + "threads started before the agent. Their copies are not in this report. Find them with "
                      + "`strace -f -c -p PID` or perf with call graphs.";
            findings.add(new Finding(ID, FindingKind.UNEXPLAINED, title, null, 0, evidence, Saving.NONE, advice, "",
                    inKernelTransfer ? Confidence.MEDIUM : Confidence.LOW));
        }
        return findings;
    }
}
