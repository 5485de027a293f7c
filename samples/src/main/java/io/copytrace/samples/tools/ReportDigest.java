// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What {@code make demo} prints after the run: the top findings with their savings, what the kernel
 * counters came from (/proc by default, perf, or the /proc fallback and why), and where the reports are.
 *
 * <pre>java -cp samples/target/classes:analyzer/target/classes io.copytrace.samples.tools.ReportDigest \
 *     REPORT.json RECORDING.json [HTML]</pre>
 * With {@code --cost REPORT.json} it prints the report's host-cost figures as CLI options instead, so the
 * other formats can be rendered with the same estimates.
 */
public final class ReportDigest {
    static final int TOP = 8;

    private ReportDigest() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--cost")) {
            Map<String, Object> cost = ReportView.read(Path.of(args[1])).section("hostCost");
            System.out.printf(java.util.Locale.ROOT, "--memcpy-gbps %.3f --syscall-ns %.1f --socket-send-ns %.1f"
                            + " --minor-fault-ns %.1f --file-copy-overhead-ns %.1f --context-switch-ns %.1f"
                            + " --cross-core-ns-per-kib %.1f",
                    ((Number) cost.get("memcpyBytesPerNanosecond")).doubleValue(),
                    ((Number) cost.get("syscallNanoseconds")).doubleValue(),
                    ((Number) cost.get("socketSendNanoseconds")).doubleValue(),
                    ((Number) cost.get("minorFaultNanoseconds")).doubleValue(),
                    ((Number) cost.get("fileCopyOverheadNanosecondsPerKib")).doubleValue(),
                    ((Number) cost.get("contextSwitchNanoseconds")).doubleValue(),
                    ((Number) cost.get("crossCoreNanosecondsPerKib")).doubleValue());
            // measured, or none (not a typical figure): the receive-buffer advice then stays in every format alike
            if (cost.get("shortDistanceCopy") instanceof Map<?, ?> shortCopy) {
                System.out.printf(java.util.Locale.ROOT, " --short-distance-copy-ns-per-kib %.1f,%.1f",
                        ((Number) shortCopy.get("aheadNanosecondsPerKib")).doubleValue(),
                        ((Number) shortCopy.get("apartNanosecondsPerKib")).doubleValue());
            }
            System.out.println();
            return;
        }
        if (args.length < 2) throw new IllegalArgumentException("usage: ReportDigest REPORT.json RECORDING.json [HTML]");
        ReportView report = ReportView.read(Path.of(args[0]));
        ReportView recording = ReportView.read(Path.of(args[1]));
        Map<String, Object> rec = report.section("recording");
        Map<String, Object> totals = report.section("totals");
        System.out.println();
        System.out.printf("copytrace: %s on Java %s moved %s through the JDK's I/O and the CPU copied %s (%.2f copies/byte)%n",
                rec.get("mainCommand"), rec.get("javaVersion"), ReportView.bytes(ReportView.num(totals, "bytesMoved")),
                ReportView.bytes(ReportView.num(totals, "cpuCopiedBytes")),
                ((Number) totals.get("cpuCopiesPerByte")).doubleValue());
        int shown = 0;
        for (Map<String, Object> f : report.findings()) {
            if (shown++ == TOP) {
                System.out.printf("  ... and %d more in the report%n", report.findings().size() - TOP);
                break;
            }
            Map<String, Object> s = ReportView.obj(f, "saving");
            String saving = switch ((String) f.get("kind")) {
                case "opportunity" -> "saves " + ReportView.bytes(ReportView.num(s, "cpuCopiedBytes")) + " of copies, "
                        + String.format("%,d", ReportView.num(s, "syscalls")) + " syscalls, ~"
                        + String.format(java.util.Locale.ROOT, "%.1f", ReportView.num(s, "estimatedCpuNanos") / 1e6) + " ms CPU";
                case "good" -> "already zero-copy: keep it";
                case "limitation" -> "no saving promised: see the options in the report";
                default -> "the kernel saw I/O the JDK did not do";
            };
            System.out.printf("  #%d %-11s %s%n      at %s%n      %s%n", ReportView.num(f, "rank"), f.get("kind"),
                    f.get("title"), f.get("site") == null ? "(whole process)" : shorten((String) f.get("site")), saving);
        }
        Map<String, Object> potential = report.section("potentialSaving");
        System.out.printf("Potential saving: %s of CPU copies, %,d syscalls (%,d mode switches), ~%.1f ms CPU (estimate)%n",
                ReportView.bytes(ReportView.num(potential, "cpuCopiedBytes")), ReportView.num(potential, "syscalls"),
                ReportView.num(potential, "modeSwitches"), ReportView.num(potential, "estimatedCpuNanos") / 1e6);
        Map<String, Object> kernel = recording.section("kernel");
        if (kernel == null) {
            System.out.println("Kernel counters: off");
        } else if ("perf".equals(kernel.get("source"))) {
            System.out.println("Kernel counters: perf_event_open (exact per-syscall counts, the audit mode)");
        } else if ("perf-sampled".equals(kernel.get("source"))) {
            System.out.println("Kernel counters: perf_event_open in slices (per-syscall counts extrapolated)");
        } else if ("kernel=proc was requested; perf was not tried".equals(kernel.get("fallbackReason"))) {
            System.out.println("Kernel counters: /proc, per process and per thread group (the default; kernel=perf"
                    + " for exact per-syscall counts)");
        } else {
            System.out.println("Kernel counters: " + kernel.get("source") + " fallback, no root needed"
                    + (kernel.get("fallbackReason") == null ? "" : " (" + kernel.get("fallbackReason") + ")"));
        }
        if (args.length > 2 && Files.exists(Path.of(args[2]))) {
            System.out.println("HTML report: " + Path.of(args[2]).toAbsolutePath().normalize());
        }
    }

    /** {@code io.copytrace.samples.broker.LogBroker.readBatch(LogBroker.java:175)} without the package. */
    private static String shorten(String frame) {
        int paren = frame.indexOf('(');
        int dot = frame.lastIndexOf('.', paren);
        int classDot = frame.lastIndexOf('.', dot - 1);
        return frame.substring(classDot + 1);
    }
}
