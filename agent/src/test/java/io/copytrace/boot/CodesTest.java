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

    /**
     * Every enum's largest code fits its bit field in the row key: with every field at its largest value at
     * once, each comes back unchanged. An enum that outgrows its field (a ninth TransferPath in 3 bits) fails here.
     */
    @Test
    void everyEnumFitsItsKeyField() {
        int op = Operation.values().length - 1, form = IoForm.values().length - 1;
        int path = TransferPath.values().length - 1, buffer = BufferKind.values().length - 1;
        int end = EndpointKind.values().length - 1, why = FallbackReason.values().length - 1;
        int key = Codes.key(op, form, path, why, buffer, end, end, true, why);
        assertEquals(op, Codes.keyOp(key), "operation");
        assertEquals(form, Codes.keyForm(key), "form");
        assertEquals(path, Codes.keyPath(key), "path");
        assertEquals(why, Codes.keyReason(key), "reason");
        assertEquals(buffer, Codes.keyBuffer(key), "buffer");
        assertEquals(end, Codes.keySource(key), "source");
        assertEquals(end, Codes.keyTarget(key), "target");
        assertEquals(true, Codes.keyNested(key), "nested");
        assertEquals(why, Codes.keyMappedReason(key), "mapped reason");
        // and no field bleeds into another: each alone at its largest value leaves the others at 0
        assertEquals(0, Codes.keyForm(Codes.key(op, 0, 0, 0, 0, 0, 0, false, 0)), "operation into form");
        assertEquals(0, Codes.keyReason(Codes.key(0, 0, path, 0, 0, 0, 0, false, 0)), "path into reason");
        assertEquals(0, Codes.keyBuffer(Codes.key(0, 0, 0, why, 0, 0, 0, false, 0)), "reason into buffer");
        assertEquals(0, Codes.keySource(Codes.key(0, 0, 0, 0, buffer, 0, 0, false, 0)), "buffer into source");
        assertEquals(0, Codes.keyTarget(Codes.key(0, 0, 0, 0, 0, end, 0, false, 0)), "source into target");
        assertEquals(false, Codes.keyNested(Codes.key(0, 0, 0, 0, 0, 0, end, false, 0)), "target into nested");
    }

    /** The probe decides direction (which end is memory, what counts as end of stream) as the analyzer does. */
    @Test
    void probeAndAnalyzerAgreeOnDirection() {
        for (Operation op : Operation.values()) {
            assertEquals(op.isInbound(), Probe.isInbound(op.ordinal()), op.wireName());
        }
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
