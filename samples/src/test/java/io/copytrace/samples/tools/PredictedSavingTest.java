// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark predicts what the fixed variant fixes: every finding, or the findings of the rules it names. */
class PredictedSavingTest {
    @TempDir
    Path dir;

    @Test
    void namedRulesCountTheirFindingsOnly() throws Exception {
        // given: sample 09t's report shape, the produce relay and the TLS fetch's heap-buffer finding
        ReportView report = report();

        // when
        Map<String, Object> relay = BeforeAfterBenchmark.saving(report, List.of("relay"));
        Map<String, Object> all = BeforeAfterBenchmark.saving(report, List.of());

        // then
        assertEquals(268_435_456L, ReportView.num(relay, "cpuCopiedBytes"));
        assertEquals(8_931_904L, ReportView.num(relay, "estimatedCpuNanos"));
        assertEquals(0L, ReportView.num(relay, "syscalls"));
        assertEquals(13_400_000L, ReportView.num(all, "estimatedCpuNanos"));
    }

    private ReportView report() throws Exception {
        Path file = dir.resolve("report.json");
        Files.writeString(file, """
                {"potentialSaving": {"cpuCopiedBytes": 403177472, "syscalls": 0, "pageFaults": 0, "estimatedCpuNanos": 13400000},
                 "findings": [
                  {"rule": "relay", "kind": "opportunity",
                   "saving": {"cpuCopiedBytes": 268435456, "syscalls": 0, "pageFaults": 0, "estimatedCpuNanos": 8931904}},
                  {"rule": "heap-buffer", "kind": "opportunity",
                   "saving": {"cpuCopiedBytes": 134742016, "syscalls": 0, "pageFaults": 0, "estimatedCpuNanos": 4468096}},
                  {"rule": "tls", "kind": "limitation",
                   "saving": {"cpuCopiedBytes": 0, "syscalls": 0, "pageFaults": 0, "estimatedCpuNanos": 0}}]}
                """);
        return ReportView.read(file);
    }
}
