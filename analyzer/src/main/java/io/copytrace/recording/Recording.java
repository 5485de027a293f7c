// SPDX-License-Identifier: Apache-2.0
package io.copytrace.recording;

import io.copytrace.profile.CpuProfile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A parsed recording: what one JVM copied during one window. Read one with {@link #read(Path)}.
 *
 * @param name        the file name, as reports show it
 * @param jvm         the recorded JVM
 * @param windowNanos length of the recording window
 * @param exactSites  true when every call's stack was walked (attribution mode {@code exact})
 * @param sites       all sites, application sites and buckets
 * @param records     all records, heaviest first as the agent wrote them
 * @param totals      application totals
 * @param kernel      the kernel's counts for the window, when the recording has them
 * @param agentErrors transform errors the agent reported (the recording may miss traffic)
 * @param warnings    what this reader skipped (e.g. operations newer than this analyzer)
 * @param profile     CPU time spent copying ({@code profile=cpu}), when the recording has it
 * @param flows       writes matched to the reads that filled their memory (empty before format 2, or with
 *                    provenance off)
 * @param hostTls     whether the host could run kernel TLS, when the recording says
 * @param temporaryBuffers the JDK's per-thread temporary direct buffer caches at the close, when recorded
 * @param fleet       the JVMs a merged recording ({@code copytrace merge}) was made from, and what each contributed;
 *                    empty for one JVM's recording
 * @param origin      what made the recording (the agent, or JDK Flight Recorder events) and what it cannot show
 */
public record Recording(String name, Jvm jvm, long windowNanos, boolean exactSites, List<Site> sites,
                        List<CopyRecord> records, Totals totals, Optional<KernelCounts> kernel,
                        List<String> agentErrors, List<String> warnings, Optional<CpuProfile> profile,
                        List<Flow> flows, Optional<HostTls> hostTls,
                        Optional<TemporaryBufferCaches> temporaryBuffers, Optional<Fleet> fleet, Origin origin) {

    /** One JVM's recording, made by the copytrace agent (no fleet). */
    public Recording(String name, Jvm jvm, long windowNanos, boolean exactSites, List<Site> sites,
                     List<CopyRecord> records, Totals totals, Optional<KernelCounts> kernel,
                     List<String> agentErrors, List<String> warnings, Optional<CpuProfile> profile,
                     List<Flow> flows, Optional<HostTls> hostTls, Optional<TemporaryBufferCaches> temporaryBuffers) {
        this(name, jvm, windowNanos, exactSites, sites, records, totals, kernel, agentErrors, warnings, profile, flows,
                hostTls, temporaryBuffers, Optional.empty(), Origin.AGENT);
    }

    /** The recorded JVM. */
    public record Jvm(long pid, String javaVersion, int feature, String mainCommand, Long maxCachedBufferSize,
                      int availableProcessors) {}

    /** Application totals (no jdk-internal sites, no nested records), as in the recording's {@code totals}. */
    public record Totals(long calls, long bytesMoved, long jvmCopiedBytes, long cpuCopiedBytes,
                         long jdkInternalBytesMoved) {
        /** CPU copies per byte moved over the whole application, 0 when nothing moved. */
        public double cpuCopiesPerByte() {
            return bytesMoved <= 0 ? 0 : (double) cpuCopiedBytes / bytesMoved;
        }

        /** The totals of {@code records}: application records summed, jdk-internal top-level bytes apart. */
        public static Totals of(List<CopyRecord> records) {
            long calls = 0, moved = 0, jvm = 0, cpu = 0, internal = 0;
            for (CopyRecord r : records) {
                if (r.isApplication()) {
                    calls += r.calls();
                    moved += r.bytesMoved();
                    jvm += r.jvmCopiedBytes();
                    cpu += r.cpuCopiedBytes();
                } else if ("jdk-internal".equals(r.site().kind()) && !r.nested()) {
                    internal += r.bytesMoved();
                }
            }
            return new Totals(calls, moved, jvm, cpu, internal);
        }
    }

    /** Reads and checks a recording file; every problem comes back as one {@link BadRecording} line. */
    public static Recording read(Path file) throws BadRecording {
        return RecordingReader.read(file);
    }

    /** Parses recording text; {@code name} names it in errors and reports. */
    public static Recording parse(String text, String name) throws BadRecording {
        return RecordingReader.parse(text, name, name);
    }

    /** Application records only (app sites, not nested). */
    public List<CopyRecord> applicationRecords() {
        List<CopyRecord> app = new ArrayList<>(records.size());
        for (CopyRecord r : records) if (r.isApplication()) app.add(r);
        return Collections.unmodifiableList(app);
    }
}
