// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static io.copytrace.agent.RecordingView.analyzed;
import static io.copytrace.agent.RecordingView.dbl;
import static io.copytrace.agent.RecordingView.kind;
import static io.copytrace.agent.RecordingView.num;
import static io.copytrace.agent.RecordingView.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.testing.Jdk;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * transferTo / transferFrom: the path that really ran and why a faster one was not taken, per JDK
 * (zero-copy primer §2): 17 uses sendfile and has sticky flags; 21+ try copy_file_range; 25 lost
 * sendfile to pipes and is not sticky.
 */
class TransferIT {
    static final long MiB = 1 << 20;
    static final long KiB = 1 << 10;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void fileToSocketIsDirect(Jdk jdk) throws Exception {
        AgentRun.Result run = AgentRun.on(jdk).agent("kernel=off").run("transfer-socket");

        Map<String, Object> t = run.recording().one("file.transferTo", "socketTransfer");
        assertEquals("direct", str(t, "path"));
        assertEquals(jdk.feature() >= 21 ? "copy_file_range(EINVAL)+sendfile" : "sendfile", analyzed(t).mechanism());
        assertEquals("none", str(t, "reason"));
        assertEquals("socket", kind(t, "target"));
        assertEquals(16 * MiB, num(t, "bytesMoved"));
        assertEquals(run.truth().get("bytes"), num(t, "bytesMoved"));
        assertEquals(0, num(t, "jvmCopiedBytes"));
        assertEquals(1.0, analyzed(t).cpuCopiesPerByte());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void fileToFileTransferToAndFrom(Jdk jdk) throws Exception {
        RecordingView rec = AgentRun.on(jdk).agent("kernel=off").run("transfer-file").recording();

        Map<String, Object> to = rec.one("file.transferTo", "fileTransferTo");
        assertEquals("direct", str(to, "path"));
        assertEquals(jdk.feature() >= 21 ? "copy_file_range" : "sendfile", analyzed(to).mechanism());
        assertEquals(16 * MiB, num(to, "bytesMoved"));

        Map<String, Object> from = rec.one("file.transferFrom", "fileTransferFrom");
        assertEquals(16 * MiB, num(from, "bytesMoved"));
        if (jdk.feature() >= 21) {
            assertEquals("direct", str(from, "path"));
            assertEquals("copy_file_range", analyzed(from).mechanism());
        } else {
            // JDK 17: a FileChannel source is mapped and written with pwrite
            assertEquals("mapped", str(from, "path"));
            assertEquals("target-type-on-this-jdk", str(from, "reason"));
        }
        assertEquals(0, num(from, "jvmCopiedBytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void wrapperTargetsFallBackToTheLoop(Jdk jdk) throws Exception {
        RecordingView rec = AgentRun.on(jdk).agent("kernel=off").run("transfer-wrapper").recording();

        // Channels.newChannel(OutputStream): the 8 KiB heap loop; the read side's JVM copy is measured
        Map<String, Object> jdkWrapper = rec.one("file.transferTo", "wrapperTransfer");
        assertEquals("loop", str(jdkWrapper, "path"));
        assertEquals("target-type", str(jdkWrapper, "reason"));
        assertEquals("channel", kind(jdkWrapper, "target"));
        assertEquals(4 * MiB, num(jdkWrapper, "bytesMoved"));
        assertEquals(4 * MiB, num(jdkWrapper, "jvmCopiedBytes"));
        assertEquals(2.0, analyzed(jdkWrapper).cpuCopiesPerByte());

        // an application channel: the loop, plus its own socket writes recorded as nested, at its own site
        Map<String, Object> app = rec.one("file.transferTo", "appChannelTransfer");
        assertEquals("loop", str(app, "path"));
        assertEquals("target-type", str(app, "reason"));
        assertEquals(4 * MiB, num(app, "bytesMoved"));
        Map<String, Object> nested = rec.one("socket.write", "TransferWorkloads$ForwardingChannel.write");
        assertEquals(true, nested.get("nested"));
        assertEquals(512, num(nested, "calls"));
        assertEquals(4 * MiB, num(nested, "bytesMoved"));
        assertEquals(4 * MiB, num(nested, "jvmCopiedBytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void appendTargetAndTheStickyFlag(Jdk jdk) throws Exception {
        RecordingView rec = AgentRun.on(jdk).agent("kernel=off").run("transfer-append").recording();

        Map<String, Object> append = rec.one("file.transferTo", "appendTransfer");
        assertEquals("mapped", str(append, "path"));
        assertEquals("append-target", str(append, "reason"));
        assertEquals(MiB, num(append, "bytesMoved"));

        Map<String, Object> after = rec.one("file.transferTo", "afterAppendTransfer");
        assertEquals(MiB, num(after, "bytesMoved"));
        if (jdk.feature() >= 25) {
            assertEquals("direct", str(after, "path")); // JDK 25 is not sticky
        } else {
            assertEquals("mapped", str(after, "path"));
            assertEquals("sticky-flag", str(after, "reason"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void pipeTargets(Jdk jdk) throws Exception {
        AgentRun.Result run = AgentRun.on(jdk).agent("kernel=off").run("transfer-pipe");
        assertEquals(72 * KiB, run.truth().get("received"));
        RecordingView rec = run.recording();

        Map<String, Object> small = rec.one("file.transferTo", "smallPipeTransfer");
        Map<String, Object> large = rec.one("file.transferTo", "largePipeTransfer");
        assertEquals("pipe", kind(small, "target"));
        assertEquals(8 * KiB, num(small, "bytesMoved"));
        assertEquals(64 * KiB, num(large, "bytesMoved"));
        if (jdk.feature() >= 25) {
            // JDK 25 has no sendfile to pipes: below 16 KiB the heap loop, above it mmap + write
            assertEquals("loop", str(small, "path"));
            assertEquals("target-type-on-this-jdk", str(small, "reason"));
            assertEquals("below-mapped-threshold", str(small, "mappedReason"));
            assertEquals(2 * 8 * KiB, num(small, "jvmCopiedBytes"));
            assertEquals(4.0, analyzed(small).cpuCopiesPerByte());
            assertEquals("mapped", str(large, "path"));
            assertEquals("target-type-on-this-jdk", str(large, "reason"));
        } else {
            assertEquals("direct", str(small, "path"));
            assertEquals("direct", str(large, "path"));
            assertEquals("sendfile", analyzed(large).mechanism());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void positionPastTheEndMovesNothing(Jdk jdk) throws Exception {
        Map<String, Object> t = AgentRun.on(jdk).agent("kernel=off").run("transfer-nothing").recording()
                .one("file.transferTo", "beyondEnd");
        assertEquals("none", str(t, "path"));
        assertEquals("nothing-to-transfer", str(t, "reason"));
        assertEquals(0, num(t, "bytesMoved"));
        assertNull(analyzed(t).mechanism());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void nettyEpollSendFileIsSeenThoughItBypassesFileChannel(Jdk jdk) throws Exception {
        AgentRun.Result run = AgentRun.on(jdk).agent("kernel=off").run("netty");
        assertEquals(0, run.exit(), run.stderr());
        assertEquals(16 * MiB, run.truth().get("received"));

        RecordingView rec = run.recording();
        java.util.List<Map<String, Object>> sends = rec.where(r -> "netty.sendFile".equals(r.get("operation")));
        assertEquals(16 * MiB, sends.stream().mapToLong(r -> num(r, "bytesMoved")).sum());
        for (Map<String, Object> r : sends) {
            assertEquals("direct", str(r, "path"));
            assertEquals("sendfile", analyzed(r).mechanism());
            assertEquals(0, num(r, "jvmCopiedBytes"));
            // Netty's event loop has no application frame: the site is Netty's own code
            assertTrue(rec.frame(r).startsWith("io.netty."), rec.frame(r));
        }
        assertTrue(rec.where(r -> "file.transferTo".equals(r.get("operation"))).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void sourcesReportingSizeZero(Jdk jdk) throws Exception {
        AgentRun.Result run = AgentRun.on(jdk).agent("kernel=off").run("transfer-proc");
        Map<String, Object> t = run.recording().one("file.transferTo", "procTransfer");
        assertEquals(run.truth().get("moved"), num(t, "bytesMoved"));
        if (jdk.feature() >= 21) {
            // /proc files report size 0: JDK 21+ go straight to the loop, which reads to the real end
            assertEquals("loop", str(t, "path"));
            assertEquals("source-size-zero", str(t, "reason"));
            assertEquals("source-size-zero", str(t, "mappedReason"));
            assertTrue(num(t, "bytesMoved") > 0);
        } else {
            // JDK 17 clips the count to size() = 0 and moves nothing
            assertEquals(0, num(t, "bytesMoved"));
            assertEquals(1, num(t, "partialCalls"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void transferFromASocketAlwaysLoops(Jdk jdk) throws Exception {
        RecordingView rec = AgentRun.on(jdk).agent("kernel=off").run("transfer-from-socket").recording();

        Map<String, Object> t = rec.one("file.transferFrom", "socketToFile");
        assertEquals("loop", str(t, "path"));
        assertEquals("source-not-file", str(t, "reason"));
        assertEquals("socket", kind(t, "source"));
        assertEquals(MiB, num(t, "bytesMoved"));
        // the loop's own socket read and file write are folded in: a heap copy each way, 2 kernel copies
        assertEquals(2 * MiB, num(t, "jvmCopiedBytes"));
        assertEquals(4.0, analyzed(t).cpuCopiesPerByte());
        assertFalse(rec.at("socketToFile").stream().anyMatch(r -> r.get("operation").equals("socket.read")),
                "the loop's reads must be folded into the transfer, not recorded twice");
        assertTrue(rec.at("socketToFile").size() == 1);
    }
}
