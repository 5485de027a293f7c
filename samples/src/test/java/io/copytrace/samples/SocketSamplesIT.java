// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples;

import static io.copytrace.testing.ReportView.bytes;
import static io.copytrace.testing.ReportView.saving;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.testing.Jdk;
import io.copytrace.testing.ReportView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lessons 2, 3, 4, 6 and 7 (file to socket: heap loop, direct loop, transferTo, mmap; tiny writes): the
 * report holds exactly the planted findings with the bytes the samples counted, and nothing on the paths
 * that are already zero-copy.
 */
class SocketSamplesIT {
    static final long MiB = 1 << 20;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void heapBufferLoopIsOneReadWriteLoop(Jdk jdk) throws Exception {
        // when
        SampleRun.Result run = SampleRun.run(jdk, "Sample02HeapBufferSend", "--mib=8");

        // then: reported once, as the loop; its two heap copies are not reported again as heap-buffer findings
        run.report().assertExactly("opportunity read-write-loop Sample02HeapBufferSend.sendWithHeapBuffer");
        Map<String, Object> loop = run.report().one("read-write-loop", "Sample02HeapBufferSend.sendWithHeapBuffer");
        assertEquals(8 * MiB, run.total("sent"));
        assertEquals(run.total("sent"), run.total("received"));
        assertEquals(run.total("sent"), bytes(loop));
        assertEquals(3 * run.total("sent"), saving(loop, "cpuCopiedBytes")); // 4 copies per byte -> 1
        assertEquals("high", loop.get("confidence"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void directBufferLoopSavesOneCopyPerByte(Jdk jdk) throws Exception {
        // when
        SampleRun.Result run = SampleRun.run(jdk, "Sample03DirectBufferSend", "--mib=8");

        // then
        run.report().assertExactly("opportunity read-write-loop Sample03DirectBufferSend.sendWithDirectBuffer");
        Map<String, Object> loop = run.report().one("read-write-loop", "Sample03DirectBufferSend.sendWithDirectBuffer");
        assertEquals(run.total("sent"), bytes(loop));
        assertEquals(run.total("sent"), saving(loop, "cpuCopiedBytes")); // 2 copies per byte -> 1
        // a read and a write per 64 KiB, replaced by about one transfer
        assertTrue(saving(loop, "syscalls") >= 2 * run.total("sent") / (64 * 1024) - 2, () -> "" + loop.get("saving"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void transferToFixIsZeroCopy(Jdk jdk) throws Exception {
        // when
        SampleRun.Result run = SampleRun.run(jdk, "Sample02HeapBufferSend", "--mib=8", "--send=transferTo");

        // then
        run.report().assertExactly("good zero-copy Sample02HeapBufferSend.sendWithTransferTo");
        assertEquals(run.total("sent"), bytes(run.report().one("zero-copy", "Sample02HeapBufferSend.sendWithTransferTo")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void transferToIsGoodOnly(Jdk jdk) throws Exception {
        // when
        SampleRun.Result run = SampleRun.run(jdk, "Sample04TransferTo", "--mib=8");

        // then
        run.report().assertExactly("good zero-copy Sample04TransferTo.sendToSocket",
                "good zero-copy Sample04TransferTo.copyToFile");
        Map<String, Object> socket = run.report().one("zero-copy", "Sample04TransferTo.sendToSocket");
        assertEquals(run.total("sent"), bytes(socket));
        assertTrue(((String) socket.get("title")).contains(jdk.feature() >= 21 ? "copy_file_range(EINVAL)+sendfile" : "sendfile"),
                () -> "" + socket.get("title"));
        assertEquals(run.total("copied"), bytes(run.report().one("zero-copy", "Sample04TransferTo.copyToFile")));
        assertEquals(0, saving(socket, "cpuCopiedBytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void mappedSendIsFound(Jdk jdk) throws Exception {
        // when
        SampleRun.Result run = SampleRun.run(jdk, "Sample06MappedSend", "--mib=16");

        // then
        run.report().assertExactly("opportunity mapped-send Sample06MappedSend.sendMapped");
        Map<String, Object> mapped = run.report().one("mapped-send", "Sample06MappedSend.sendMapped");
        assertEquals(16 * MiB, run.total("sent"));
        assertEquals(run.total("sent"), bytes(mapped));
        // mmap+write and sendfile both make one kernel copy: the saving is the calls (16 writes of 1 MiB)
        assertEquals(0, saving(mapped, "cpuCopiedBytes"));
        assertTrue(saving(mapped, "syscalls") >= 15, () -> "" + mapped.get("saving"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void mappedSendFixIsZeroCopy(Jdk jdk) throws Exception {
        // when
        SampleRun.Result run = SampleRun.run(jdk, "Sample06MappedSend", "--mib=16", "--send=transferTo");

        // then
        run.report().assertExactly("good zero-copy Sample06MappedSend.sendWithTransferTo");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void tinyWritesAreSmallIo(Jdk jdk) throws Exception {
        // when
        SampleRun.Result run = SampleRun.run(jdk, "Sample07GatheringWrite", "--messages=20000");

        // then: one finding per write (header line, body line); the draining reader is not flagged
        run.report().assertExactly("opportunity small-io Sample07GatheringWrite.sendOneByOne",
                "opportunity small-io Sample07GatheringWrite.sendOneByOne");
        List<Map<String, Object>> small = run.report().all("small-io", "Sample07GatheringWrite.sendOneByOne");
        long messages = run.total("messages");
        assertEquals(List.of(16 * messages, 112 * messages), small.stream().map(ReportView::bytes).sorted().toList());
        assertEquals(run.total("sent"), small.stream().mapToLong(ReportView::bytes).sum());
        assertEquals(run.total("write.calls"), 2 * messages);
        for (Map<String, Object> f : small) {
            // every call but one per 64 KiB
            long expected = messages - (bytes(f) + 65535) / 65536;
            assertEquals(expected, saving(f, "syscalls"), () -> "" + f.get("title"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void gatheringWritesAreClean(Jdk jdk) throws Exception {
        // when
        SampleRun.Result run = SampleRun.run(jdk, "Sample07GatheringWrite", "--messages=20000", "--writes=gathering");

        // then
        run.report().assertExactly();
        assertEquals(run.total("sent"), run.total("received"));
    }
}
