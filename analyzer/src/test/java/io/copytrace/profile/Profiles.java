// SPDX-License-Identifier: Apache-2.0
package io.copytrace.profile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Real profiles: async-profiler 4.3 {@code collapsed,ann,dot} output captured on this project's machines
 * (perf events as root, kernel 6.18) while the agent's profile workloads ran on JDK 17 and Temurin 25
 * ({@code resources/profiles/*.collapsed.gz}; the TLS ones keep only the workload's stacks).
 */
final class Profiles {
    static final List<String> JDKS = List.of("jdk17", "jdk25");
    static final String WORKLOADS = "io.copytrace.agent.workloads.ProfileWorkloads.";

    private Profiles() {}

    static CollapsedStacks load(String name) {
        try (InputStream in = Profiles.class.getResourceAsStream("/profiles/" + name + ".collapsed.gz")) {
            if (in == null) throw new IllegalStateException("no fixture " + name);
            return CollapsedStacks.parse(new String(new GZIPInputStream(in).readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    /** The sites the agent records for the profile workloads, by method (lines are made up: samples have none). */
    static Map<Long, String> workloadSites() {
        Map<Long, String> sites = new LinkedHashMap<>();
        String[] methods = {"heapRead", "heapWrite", "sendWithTransferTo", "receive", "streamRead", "streamWrite"};
        for (int i = 0; i < methods.length; i++) {
            sites.put((long) i + 1, WORKLOADS + methods[i] + "(ProfileWorkloads.java:" + (100 + i) + ")");
        }
        sites.put(7L, "io.copytrace.agent.workloads.Tls.run(Tls.java:40)");
        return sites;
    }

    static CpuProfile.Run perf() {
        return new CpuProfile.Run("cpu", "perf_events", true, 1_000_000, "async-profiler 4.3", "recording-1.flame.html",
                List.of());
    }

    static CpuProfile.Run itimer() {
        return new CpuProfile.Run("itimer", "itimer", false, 1_000_000, "async-profiler 4.3", null, List.of());
    }
}
