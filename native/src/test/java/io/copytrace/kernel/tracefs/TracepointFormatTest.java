// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.tracefs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.kernel.Fixtures;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class TracepointFormatTest {
    private static TracepointFormat fixture(String name) throws Exception {
        return TracepointFormat.parse(Files.readString(Fixtures.path("tracefs/" + name + ".format")));
    }

    @Test
    void enterWriteHasFdBufAndCount() throws Exception {
        TracepointFormat format = fixture("sys_enter_write");
        assertEquals("sys_enter_write", format.name());
        assertEquals(840, format.id());
        assertEquals(8, format.fields().size());
        assertEquals(new TracepointFormat.Field("unsigned short", "common_type", 0, 2, false), format.fields().get(0));
        assertEquals(new TracepointFormat.Field("unsigned int", "fd", 16, 8, false), format.field("fd"));
        assertEquals(new TracepointFormat.Field("const char *", "buf", 24, 8, false), format.field("buf"));
        assertEquals(new TracepointFormat.Field("size_t", "count", 32, 8, false), format.field("count"));
        assertNull(format.field("ret"));
    }

    @Test
    void exitHasASignedReturnValue() throws Exception {
        TracepointFormat.Field ret = fixture("sys_exit_write").field("ret");
        assertEquals(16, ret.offset());
        assertTrue(ret.signed());
        ByteBuffer raw = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        raw.putLong(8 + 16, -22L); // a raw record at offset 8 of the buffer
        assertEquals(-22L, ret.read(raw, 8));
    }

    @Test
    void twoDescriptorSyscallsNameBothDescriptors() throws Exception {
        TracepointFormat sendfile = fixture("sys_enter_sendfile64");
        assertEquals(16, sendfile.field("out_fd").offset());
        assertEquals(24, sendfile.field("in_fd").offset());
        assertEquals("loff_t *", sendfile.field("offset").type());
        TracepointFormat copy = fixture("sys_enter_copy_file_range");
        assertEquals(16, copy.field("fd_in").offset());
        assertEquals(32, copy.field("fd_out").offset());
        assertEquals(8, fixture("sys_enter_readv").field("vec").size());
    }

    @Test
    void smallFieldsAreReadWithTheirSignedness() {
        ByteBuffer raw = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        raw.putShort(0, (short) 0xfffe).putInt(4, -1);
        assertEquals(0xfffe, new TracepointFormat.Field("unsigned short", "t", 0, 2, false).read(raw, 0));
        assertEquals(-1, new TracepointFormat.Field("int", "p", 4, 4, true).read(raw, 0));
        assertEquals(0xffffffffL, new TracepointFormat.Field("unsigned int", "p", 4, 4, false).read(raw, 0));
    }

    @Test
    void arrayFieldsLoseTheirSuffixAndBadLinesAreRejected() {
        TracepointFormat format = TracepointFormat.parse("name: sys_enter\nID: 21\nformat:\n"
                + "\tfield:unsigned long args[6];\toffset:16;\tsize:48;\tsigned:0;\n");
        assertEquals("args", format.fields().get(0).name());
        assertEquals("unsigned long", format.fields().get(0).type());
        assertThrows(IllegalArgumentException.class, () -> TracepointFormat.parse("field:int x;\tsize:4;"));
    }
}
