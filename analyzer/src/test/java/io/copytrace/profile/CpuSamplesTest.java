// SPDX-License-Identifier: Apache-2.0
package io.copytrace.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.analysis.Fixtures;
import io.copytrace.json.JsonReader;
import io.copytrace.json.JsonWriter;
import io.copytrace.recording.Recording;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The agent writes the window's samples (format 3); the analyzer attributes them when it reads the
 * recording, to the recording's own application sites, and gets what attributing in the agent gave.
 */
class CpuSamplesTest {

    @Test
    void samplesWrittenByTheAgentAreAttributedOnRead() throws Exception {
        for (String name : List.of("heap-send-jdk17", "transfer-send-jdk25", "heap-send-itimer-jdk25", "tls-jdk17")) {
            CpuProfile.Run run = name.contains("itimer") ? Profiles.itimer() : Profiles.perf();
            CollapsedStacks stacks = Profiles.load(name);
            CpuProfile expected = CopyTimeAttribution.attribute(stacks, Profiles.workloadSites(), run);

            Recording read = Recording.parse(JsonWriter.write(recordingWith(new CpuSamples(run, null, stacks).toJson())),
                    name + ".json");

            assertEquals(expected, read.profile().orElseThrow(), name);
            assertTrue(expected.copyTotal() > 0, name + ": the fixture has copy samples");
        }
    }

    @Test
    void framesAndStacksRoundTrip() throws Exception {
        CollapsedStacks stacks = Profiles.load("heap-send-jdk25");
        Map<String, Object> json = new CpuSamples(Profiles.perf(), null, stacks).toJson();
        CpuSamples back = CpuSamples.fromJson((Map<?, ?>) JsonReader.parse(JsonWriter.write(json)));
        assertEquals(stacks.stacks(), back.stacks().stacks());
        assertEquals(stacks.samples(), back.stacks().samples());
        assertEquals(Profiles.perf(), back.run());
    }

    @Test
    void aFailedProfileStaysFailed() throws Exception {
        Map<String, Object> json = CpuSamples.failed("cpu", "no temporary directory").toJson();
        CpuProfile p = Recording.parse(JsonWriter.write(recordingWith(json)), "f.json").profile().orElseThrow();
        assertTrue(p.isFailed());
        assertEquals("no temporary directory", p.error());
    }

    /** A format 3 recording whose application sites are the profile workloads' and whose profile is given. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> recordingWith(Map<String, Object> profile) throws Exception {
        Map<String, Object> tree = (Map<String, Object>) JsonReader.parse(Files.readString(Fixtures.path("heap-jdk17")));
        tree.put("version", 3L);
        List<Object> sites = new ArrayList<>();
        Profiles.workloadSites().forEach((id, frame) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("id", id);
            s.put("kind", "app");
            s.put("frame", frame);
            sites.add(s);
        });
        tree.put("sites", sites);
        tree.put("records", List.of());
        tree.put("flows", List.of());
        tree.remove("totals");
        tree.put("profile", profile);
        return tree;
    }
}
