// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.copytrace.model.BufferKind;
import io.copytrace.model.EndpointKind;
import io.copytrace.model.FallbackReason;
import io.copytrace.model.IoForm;
import io.copytrace.model.Operation;
import io.copytrace.model.TransferPath;
import org.junit.jupiter.api.Test;

/** The probe's int codes are the analyzer enums' ordinals: the wire contract of every recording. */
class CodesTest {
    private static void pinned(String prefix, Enum<?>[] values) throws Exception {
        for (Enum<?> e : values) {
            assertEquals(e.ordinal(), Codes.class.getField(prefix + e.name()).getInt(null), prefix + e.name());
        }
    }

    @Test
    void everyEnumConstantHasItsCode() throws Exception {
        pinned("OP_", Operation.values());
        assertEquals(Operation.values().length, Codes.OPS);
        pinned("FORM_", IoForm.values());
        pinned("PATH_", TransferPath.values());
        pinned("BUF_", BufferKind.values());
        pinned("END_", EndpointKind.values());
        pinned("WHY_", FallbackReason.values());
    }

    @Test
    void keysRoundTrip() {
        int key = Codes.key(Codes.OP_FILE_TRANSFER_TO, Codes.FORM_GATHER, Codes.PATH_LOOP, Codes.WHY_UNKNOWN,
                Codes.BUF_MIXED, Codes.END_TLS_ENGINE, Codes.END_STREAM, true, Codes.WHY_BELOW_MAPPED_THRESHOLD);
        assertEquals(Codes.OP_FILE_TRANSFER_TO, Codes.keyOp(key));
        assertEquals(Codes.FORM_GATHER, Codes.keyForm(key));
        assertEquals(Codes.PATH_LOOP, Codes.keyPath(key));
        assertEquals(Codes.WHY_UNKNOWN, Codes.keyReason(key));
        assertEquals(Codes.BUF_MIXED, Codes.keyBuffer(key));
        assertEquals(Codes.END_TLS_ENGINE, Codes.keySource(key));
        assertEquals(Codes.END_STREAM, Codes.keyTarget(key));
        assertEquals(true, Codes.keyNested(key));
        assertEquals(Codes.WHY_BELOW_MAPPED_THRESHOLD, Codes.keyMappedReason(key));
    }
}
