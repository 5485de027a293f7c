// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.copytrace.kernel.proc.Descriptor;
import io.copytrace.kernel.tracefs.TracepointFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pairing of enter/exit samples into calls and bytes, on raw records laid out by the fixture formats. */
class SyscallSamplesTest {
    private TracepointFormat enterWrite;
    private TracepointFormat exitWrite;
    private TracepointFormat enterSendfile;
    private SyscallSamples samples;
    private static final int EXIT_SENDFILE_ID = 821;

    @BeforeEach
    void setUp() throws Exception {
        enterWrite = TracepointFormat.parse(Files.readString(Fixtures.path("tracefs/sys_enter_write.format")));
        exitWrite = TracepointFormat.parse(Files.readString(Fixtures.path("tracefs/sys_exit_write.format")));
        enterSendfile = TracepointFormat.parse(Files.readString(Fixtures.path("tracefs/sys_enter_sendfile64.format")));
        Map<Integer, SyscallSamples.Tracepoint> tracepoints = new LinkedHashMap<>();
        tracepoints.put(enterWrite.id(), new SyscallSamples.Tracepoint("write", true, List.of(enterWrite.field("fd")), null));
        tracepoints.put(exitWrite.id(), new SyscallSamples.Tracepoint("write", false, List.of(), exitWrite.field("ret")));
        tracepoints.put(enterSendfile.id(), new SyscallSamples.Tracepoint("sendfile64", true,
                List.of(enterSendfile.field("out_fd"), enterSendfile.field("in_fd")), null));
        tracepoints.put(EXIT_SENDFILE_ID, new SyscallSamples.Tracepoint("sendfile64", false, List.of(),
                exitWrite.field("ret")));
        samples = new SyscallSamples(tracepoints, fd -> Descriptor.classify(fd, fd == 5 ? "/tmp/x" : "socket:[7]"));
    }

    private void enter(int tid, long time, TracepointFormat format, long... fds) {
        ByteBuffer raw = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        raw.putShort(0, (short) format.id());
        String[] names = format.name().equals("sys_enter_write") ? new String[] {"fd"} : new String[] {"out_fd", "in_fd"};
        for (int i = 0; i < fds.length; i++) {
            raw.putLong(format.field(names[i]).offset(), fds[i]);
        }
        samples.sample(1, tid, time, raw, 0, 48);
    }

    private void exit(int tid, long time, int id, long ret) {
        ByteBuffer raw = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        raw.putShort(0, (short) id);
        raw.putLong(16, ret);
        samples.sample(1, tid, time, raw, 0, 24);
    }

    private Map<String, Object> json() {
        return samples.toJson(new LinkedHashMap<>());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @Test
    void enterAndExitMakeOneCallWithTheReturnedBytes() {
        for (int i = 0; i < 3; i++) {
            enter(10, 100 + i * 10, enterWrite, 5);
            exit(10, 105 + i * 10, exitWrite.id(), 4096);
        }
        enter(10, 200, enterWrite, 5);
        exit(10, 201, exitWrite.id(), -11); // EAGAIN
        Map<String, Object> json = json();
        assertEquals(Map.of("calls", 4L, "bytes", 3L * 4096, "errors", 1L), map(json.get("bySyscall")).get("write"));
        Map<String, Object> file = map(((List<?>) json.get("byDescriptor")).get(0));
        assertEquals(5, file.get("fd"));
        assertEquals("file", file.get("kind"));
        assertEquals("/tmp/x", file.get("name"));
        assertEquals(3L * 4096, file.get("bytes"));
        assertEquals(0L, json.get("unmatched"));
    }

    @Test
    void anExitDrainedBeforeItsEnterStillMatches() {
        // The thread migrated: the exit sits in another CPU's buffer that was drained first.
        exit(11, 150, exitWrite.id(), 100);
        enter(11, 140, enterWrite, 5);
        assertEquals(Map.of("calls", 1L, "bytes", 100L, "errors", 0L), map(json().get("bySyscall")).get("write"));
    }

    @Test
    void aThreadThatMigratesTwicePairsEachCallWithItsOwnExit() {
        // CPU A's buffer holds the first call's enter and the second call's exit; CPU B's the two between.
        enter(15, 10, enterWrite, 5); // A
        exit(15, 40, exitWrite.id(), 200); // A
        samples.endRound();
        exit(15, 20, exitWrite.id(), 100); // B
        enter(15, 30, enterWrite, 7); // B
        samples.endRound();
        Map<String, Object> json = json();
        assertEquals(0L, json.get("unmatched"));
        assertEquals(Map.of("calls", 2L, "bytes", 300L, "errors", 0L), map(json.get("bySyscall")).get("write"));
        List<?> descriptors = (List<?>) json.get("byDescriptor");
        assertEquals(7, map(descriptors.get(0)).get("fd"));
        assertEquals(200L, map(descriptors.get(0)).get("bytes"));
        assertEquals(5, map(descriptors.get(1)).get("fd"));
        assertEquals(100L, map(descriptors.get(1)).get("bytes"));
    }

    @Test
    void samplesWaitUntilTheRoundAfterTheirOwn() {
        enter(16, 10, enterWrite, 5);
        samples.endRound(); // round 1: nothing is older than a previous round yet
        assertEquals(1, samples.waitingSamples());
        exit(16, 20, exitWrite.id(), 64);
        samples.endRound(); // round 2: the enter (10) is no later than round 1's newest: paired; the exit waits
        assertEquals(1, samples.waitingSamples());
        samples.endRound(); // round 3: the exit (20) is no later than round 2's newest
        assertEquals(0, samples.waitingSamples());
        assertEquals(Map.of("calls", 1L, "bytes", 64L, "errors", 0L), map(json().get("bySyscall")).get("write"));
    }

    @Test
    void twoDescriptorCallsCountUnderBoth() {
        enter(12, 1, enterSendfile, 7, 5);
        exit(12, 2, EXIT_SENDFILE_ID, 1 << 20);
        List<?> descriptors = (List<?>) json().get("byDescriptor");
        assertEquals(2, descriptors.size());
        assertEquals(5, map(descriptors.get(0)).get("fd"), "equal bytes: ordered by fd");
        assertEquals(7, map(descriptors.get(1)).get("fd"));
        assertEquals((long) (1 << 20), map(descriptors.get(1)).get("bytes"));
    }

    @Test
    void lostOwnAndUnmatchedSamplesAreCountedNotHidden() {
        samples.lost(42);
        samples.ignoreThread(99);
        enter(99, 1, enterWrite, 5);
        exit(13, 5, exitWrite.id(), 1); // its enter was before the window
        enter(14, 6, enterWrite, 5); // still blocked at stop
        Map<String, Object> json = json();
        assertEquals(42L, json.get("lost"));
        assertEquals(1L, json.get("ignoredOwnThread"));
        assertEquals(1L, json.get("unmatched"));
        assertEquals(1L, json.get("inFlightAtStop"));
        assertEquals(3L, json.get("samples"));
    }
}
