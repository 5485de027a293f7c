// SPDX-License-Identifier: Apache-2.0
package io.copytrace.report;

import io.copytrace.analysis.Analysis;
import io.copytrace.analysis.Fixtures;
import io.copytrace.analysis.Report;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every format on fixed recordings against golden files (see {@link Golden} to update them). */
class GoldenReportTest {
    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (String recording : new String[] {"mixed-kernel-jdk17", "transferTo-jdk25", "tls-jdk25", "netty-chunkedfile-jdk17"}) {
            for (ReportFormatType type : ReportFormatType.values()) cases.add(Arguments.of(recording, type));
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("cases")
    void matchesGolden(String recording, ReportFormatType type) {
        // when
        Report report = Analysis.analyze(Fixtures.load(recording), Fixtures.COST);
        String text = ReportFormatFactory.getInstance(type).render(report);
        // then
        Golden.check(recording + ".report." + type.extension(), text);
    }
}
