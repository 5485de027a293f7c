// SPDX-License-Identifier: Apache-2.0
package io.copytrace.report;

import io.copytrace.analysis.Analysis;
import io.copytrace.analysis.HostCost;
import io.copytrace.analysis.Report;
import io.copytrace.files.AtomicFile;
import io.copytrace.recording.BadRecording;
import io.copytrace.recording.Recording;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The Java API for writing reports, e.g. from the agent at exit ({@code report=html,md}):
 * {@code Reports.write(recordingPath, "html,md", outDir)}.
 */
public final class Reports {
    private Reports() {}

    /**
     * Analyzes a recording and writes one report per format into {@code outDir} (created if needed), named
     * after the recording: {@code recording-PID.report.html}, {@code .report.md}, … Files are written
     * atomically (temporary file, then rename). Returns the files written. Host costs are measured in this
     * process ({@link HostCost#measure}: it opens a loopback TCP pair and a temporary file); inside an app's JVM
     * pass {@link HostCost#measureInApp} to the other overload, as the agent does.
     */
    public static List<Path> write(Path recording, Collection<ReportFormatType> formats, Path outDir)
            throws BadRecording, IOException {
        return write(recording, formats, outDir, HostCost.measure());
    }

    /** As {@link #write(Path, Collection, Path)}, priced with the given host costs. */
    public static List<Path> write(Path recording, Collection<ReportFormatType> formats, Path outDir, HostCost cost)
            throws BadRecording, IOException {
        Report report = Analysis.analyze(Recording.read(recording), cost);
        Files.createDirectories(outDir);
        String base = baseName(recording);
        List<Path> written = new ArrayList<>();
        for (ReportFormatType type : new LinkedHashSet<>(formats)) {
            Path file = outDir.resolve(base + ".report." + type.extension());
            writeAtomically(file, ReportFormatFactory.getInstance(type).render(report));
            written.add(file);
        }
        return written;
    }

    /** As {@link #write(Path, Collection, Path)}, with formats as a comma-separated list ({@code "html,md"}). */
    public static List<Path> write(Path recording, String formats, Path outDir) throws BadRecording, IOException {
        return write(recording, parseFormats(formats), outDir);
    }

    /** As {@link #write(Path, Collection, Path, HostCost)}, with formats as a comma-separated list. */
    public static List<Path> write(Path recording, String formats, Path outDir, HostCost cost)
            throws BadRecording, IOException {
        return write(recording, parseFormats(formats), outDir, cost);
    }

    /** Parses {@code "html,md"}; throws IllegalArgumentException naming an unknown format. */
    public static Set<ReportFormatType> parseFormats(String formats) {
        Set<ReportFormatType> set = new LinkedHashSet<>();
        for (String f : formats.split(",")) if (!f.isBlank()) set.add(ReportFormatType.of(f));
        if (set.isEmpty()) throw new IllegalArgumentException("no report format given (use text, md, html or json)");
        return set;
    }

    /** Writes text to a file atomically and owner-only ({@link AtomicFile}), so readers never see half a report. */
    public static void writeAtomically(Path file, String text) throws IOException {
        AtomicFile.write(file, text);
    }

    private static String baseName(Path recording) {
        String name = recording.getFileName().toString();
        return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    }
}
