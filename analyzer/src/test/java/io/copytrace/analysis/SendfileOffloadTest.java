// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.json.JsonReader;
import io.copytrace.json.JsonWriter;
import io.copytrace.model.Operation;
import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.Recording;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Sendfile's CPU copies follow the recording's network facts: the same recordings, with their socket peer's
 * egress interface offloading (scatter-gather and TX checksumming on), off, or not looked at.
 */
class SendfileOffloadTest {

    @Test
    void aDirectTransferCostsNothingWhenTheEgressOffloadsAndOneCopyWhenItDoesNot() throws Exception {
        CopyRecord on = transfer(withNetwork("transferTo-jdk25", true));
        CopyRecord off = transfer(withNetwork("transferTo-jdk25", false));
        CopyRecord unknown = transfer(Fixtures.load("transferTo-jdk25"));

        assertEquals(0.0, on.cpuCopiesPerByte());
        assertEquals(1.0, off.cpuCopiesPerByte());
        assertEquals(1.0, unknown.cpuCopiesPerByte(), "not looked at: the model's 1 copy per byte");
        Finding good = Analysis.analyze(withNetwork("transferTo-jdk25", true), Fixtures.COST).findings().stream()
                .filter(f -> f.rule().equals("zero-copy") && f.bytes() == on.bytesMoved()).findFirst().orElseThrow();
        assertEquals("lo: scatter-gather on, tx-checksumming on → 0 CPU copies per byte", good.evidence().get("sent through"));
        assertTrue(good.paths().get(0).note().contains("→ 0 CPU copies per byte"), good.paths().get(0).note());
        Finding plain = Analysis.analyze(withNetwork("transferTo-jdk25", false), Fixtures.COST).findings().stream()
                .filter(f -> f.rule().equals("zero-copy") && f.bytes() == on.bytesMoved()).findFirst().orElseThrow();
        assertEquals("lo: scatter-gather off, tx-checksumming on → 1 CPU copy per byte", plain.evidence().get("sent through"));
        assertNull(Analysis.analyze(Fixtures.load("transferTo-jdk25"), Fixtures.COST).findings().stream()
                .filter(f -> f.rule().equals("zero-copy")).findFirst().orElseThrow().evidence().get("sent through"));
    }

    @Test
    void aRelaysFixSavesOneCopyMorePerByteWhenSendfileWouldCopyNothing() throws Exception {
        Finding on = relay(withNetwork("netty-chunkedfile-jdk17", true));
        Finding off = relay(withNetwork("netty-chunkedfile-jdk17", false));
        Finding unknown = relay(Fixtures.load("netty-chunkedfile-jdk17"));

        assertEquals(unknown.saving().cpuCopiedBytes(), off.saving().cpuCopiedBytes());
        assertEquals(off.saving().cpuCopiedBytes() + on.bytes(), on.saving().cpuCopiedBytes(),
                "sendfile through an offloading interface copies none of the relayed bytes");
        assertTrue(on.evidence().get("copies per byte after").startsWith("0.00 with transferTo = sendfile (lo: scatter-gather on"),
                on.evidence().get("copies per byte after"));
        assertTrue(unknown.evidence().get("copies per byte after").contains("with a scatter/gather-DMA NIC"),
                unknown.evidence().get("copies per byte after"));
    }

    private static CopyRecord transfer(Recording r) {
        return r.records().stream().filter(c -> c.operation() == Operation.FILE_TRANSFER_TO && c.isApplication()
                && c.target().kind().wireName().equals("socket")).findFirst().orElseThrow();
    }

    private static Finding relay(Recording r) {
        return Analysis.analyze(r, Fixtures.COST).findings().stream().filter(f -> f.rule().equals("relay")).findFirst()
                .orElseThrow();
    }

    /** The fixture with a network section: every socket peer it wrote to leaves by lo, sg on or off. */
    @SuppressWarnings("unchecked")
    private static Recording withNetwork(String fixture, boolean scatterGather) throws Exception {
        Map<String, Object> tree = (Map<String, Object>) JsonReader.parse(Files.readString(Fixtures.path(fixture)));
        tree.put("network", Fixtures.loopbackNetwork((List<Object>) tree.get("records"), scatterGather));
        return Recording.parse(JsonWriter.write(tree), fixture + ".json");
    }
}
