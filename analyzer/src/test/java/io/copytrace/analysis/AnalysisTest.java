// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnalysisTest {
    @Test
    void findingsAreRankedByTierThenSavingOrCost() {
        // when
        Report report = Fixtures.analyze("mixed-kernel-jdk17");
        // then: opportunities and limitations together, by estimated CPU saved or cost; unexplained; good
        List<Finding> f = report.findings();
        for (int i = 1; i < f.size(); i++) {
            int tier = Integer.compare(f.get(i - 1).kind().rankTier(), f.get(i).kind().rankTier());
            assertTrue(tier < 0 || tier == 0 && f.get(i - 1).rankNanos() >= f.get(i).rankNanos(), "rank " + i);
        }
        assertEquals(FindingKind.OPPORTUNITY, f.get(0).kind());
        assertEquals(FindingKind.GOOD, f.get(f.size() - 1).kind());
    }

    @Test
    void totalSavingIsTheSumOfTheFindings() {
        Report report = Fixtures.analyze("mixed-jdk17");
        long bytes = report.findings().stream().mapToLong(x -> x.saving().cpuCopiedBytes()).sum();
        assertEquals(bytes, report.totalSaving().cpuCopiedBytes());
        assertTrue(bytes > 0);
    }

    @Test
    void siteVolumesAreHeaviestFirstAndSkipJdkInternalSites() {
        Report report = Fixtures.analyze("heap-jdk17");
        assertTrue(report.sites().stream().allMatch(v -> v.site().isApp()));
        for (int i = 1; i < report.sites().size(); i++) {
            assertTrue(report.sites().get(i - 1).cpuCopiedBytes() >= report.sites().get(i).cpuCopiedBytes());
        }
    }

    @Test
    void hostCalibrationGivesPlausibleFigures() {
        HostCost cost = HostCost.measure();
        assertTrue(cost.measured());
        assertEquals(HostCost.Calibration.MEASURED, cost.calibration());
        assertTrue(cost.memcpyBytesPerNano() > 0.1 && cost.memcpyBytesPerNano() < 1000, cost.toString());
        assertTrue(cost.syscallNanos() > 10 && cost.syscallNanos() < 1_000_000, cost.toString());
        assertEquals(1_000 + 250, HostCost.fixed(10, 250).nanos(10_000, 1));
    }
}
