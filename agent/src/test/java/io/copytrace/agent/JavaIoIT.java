// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static io.copytrace.agent.RecordingView.analyzed;
import static io.copytrace.agent.RecordingView.dbl;
import static io.copytrace.agent.RecordingView.names;
import static io.copytrace.agent.RecordingView.num;
import static io.copytrace.agent.RecordingView.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.testing.Jdk;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** java.io streams, Files.copy, InputStream.transferTo, and the JDK's own class-loading reads. */
class JavaIoIT {
    static final long MiB = 1 << 20;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void javaIoCopiesEveryByteThroughJniAndMallocsAbove8KiB(Jdk jdk) throws Exception {
        AgentRun.Result run = AgentRun.on(jdk).agent("kernel=off").run("java-io");
        RecordingView rec = run.recording();

        Map<String, Object> small = rec.one("stream.write", "smallWrite");
        assertEquals(4096, num(small, "calls"));
        assertEquals(16 * MiB, num(small, "bytesMoved"));
        assertEquals(16 * MiB, num(small, "jvmCopiedBytes"));
        assertEquals(0, num(small, "nativeAllocations"));
        assertEquals(2.0, analyzed(small).cpuCopiesPerByte());

        Map<String, Object> large = rec.one("stream.write", "largeWrite");
        assertEquals(256, num(large, "calls"));
        assertEquals(256, num(large, "nativeAllocations"));

        Map<String, Object> read = rec.one("stream.read", "largeRead");
        assertEquals(32 * MiB, num(read, "bytesMoved"));
        assertEquals(run.truth().get("read"), num(read, "bytesMoved"));
        assertEquals(513, num(read, "calls"));
        assertEquals(1, num(read, "eofCalls"));

        Map<String, Object> single = rec.one("stream.write", "singleByteWrite");
        assertEquals("single-byte", str(single, "form"));
        assertEquals(1000, num(single, "calls"));
        assertEquals(1000, num(single, "bytesMoved"));
        assertEquals(0, num(single, "jvmCopiedBytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void filesCopyAndTransferToTakeTheJdksPath(Jdk jdk) throws Exception {
        AgentRun.Result run = AgentRun.on(jdk).agent("kernel=off").run("files-copy");
        RecordingView rec = run.recording();

        Map<String, Object> pathToPath = rec.one("files.copy", "pathToPath");
        assertEquals("direct", str(pathToPath, "path"));
        assertEquals(jdk.feature() >= 21 ? "copy_file_range" : "sendfile", analyzed(pathToPath).mechanism());
        assertEquals(8 * MiB, num(pathToPath, "bytesMoved"));
        assertTrue(names(pathToPath, "source").get(0).endsWith("fc-src"));

        // Path -> FileOutputStream: a buffer loop on every JDK; the channel read's heap copy and the
        // stream's JNI copy are folded into the one record
        Map<String, Object> pathToStream = rec.one("files.copy", "pathToStream");
        assertEquals("loop", str(pathToStream, "path"));
        assertEquals("target-type", str(pathToStream, "reason"));
        assertEquals(8 * MiB, num(pathToStream, "bytesMoved"));
        assertEquals(16 * MiB, num(pathToStream, "jvmCopiedBytes"));
        assertEquals(4.0, analyzed(pathToStream).cpuCopiesPerByte());
        assertTrue(rec.at("pathToStream").size() == 1, "inner steps must not be recorded on their own");

        Map<String, Object> transfer = rec.one("stream.transferTo", "streamTransfer");
        assertEquals(8 * MiB, num(transfer, "bytesMoved"));
        if (jdk.feature() >= 21) {
            assertEquals("direct", str(transfer, "path"));
            assertEquals(0, num(transfer, "jvmCopiedBytes"));
        } else {
            assertEquals("loop", str(transfer, "path"));
            assertEquals("target-type-on-this-jdk", str(transfer, "reason"));
            assertEquals(16 * MiB, num(transfer, "jvmCopiedBytes"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void streamHelpersIntoSockets(Jdk jdk) throws Exception {
        AgentRun.Result run = AgentRun.on(jdk).agent("kernel=off").run("stream-helpers");
        assertEquals(12 * MiB, run.truth().get("received"));
        RecordingView rec = run.recording();

        // Files.copy(Path, socket stream) and FileInputStream.transferTo(socket stream): loops on every JDK
        for (String method : new String[] {"copyToSocketStream", "fisToSocketStream"}) {
            Map<String, Object> r = rec.at(method).get(0);
            assertEquals(1, rec.at(method).size());
            assertEquals("loop", str(r, "path"), method);
            assertEquals(method.startsWith("fis") && jdk.feature() < 21 ? "target-type-on-this-jdk" : "target-type",
                    str(r, "reason"), method);
            assertEquals("socket", RecordingView.kind(r, "target"), method);
            assertEquals(4 * MiB, num(r, "bytesMoved"));
            assertEquals(8 * MiB, num(r, "jvmCopiedBytes"));
            assertEquals(4.0, analyzed(r).cpuCopiesPerByte());
        }
        // Files.copy(Path, Channels.newOutputStream(SocketChannel)): 21+ hand it to transferTo
        Map<String, Object> ch = rec.one("files.copy", "copyToChannelStream");
        assertEquals("socket", RecordingView.kind(ch, "target"));
        if (jdk.feature() >= 21) {
            assertEquals("direct", str(ch, "path"));
            assertEquals("copy_file_range(EINVAL)+sendfile", analyzed(ch).mechanism());
            assertEquals(0, num(ch, "jvmCopiedBytes"));
        } else {
            assertEquals("loop", str(ch, "path"));
            assertEquals(4.0, analyzed(ch).cpuCopiesPerByte());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void classLoadingReadsAreLabelledJdkInternal(Jdk jdk) throws Exception {
        RecordingView rec = AgentRun.on(jdk).agent("kernel=off").run("class-loading").recording();

        // the class file the URLClassLoader read is under the class-loading bucket, not at the app's line
        String loaded = "/cl/io/copytrace/agent/workloads/Loaded.class";
        assertTrue(rec.where(r -> num(r, "site") == -4 && names(r, "source").stream().anyMatch(n -> n.endsWith(loaded)))
                .size() == 1, "class file read not labelled jdk-internal");
        assertFalse(rec.where(r -> num(r, "site") > 0 && names(r, "source").stream().anyMatch(n -> n.endsWith(loaded)))
                .stream().findAny().isPresent(), "class file read attributed to an application site");
        Map<String, Object> totals = rec.section("totals");
        assertTrue(num(totals, "jdkInternalBytesMoved") > 0);
        assertEquals("jdk-internal", rec.site(rec.where(r -> num(r, "site") == -4).get(0)).get("kind"));
    }
}
