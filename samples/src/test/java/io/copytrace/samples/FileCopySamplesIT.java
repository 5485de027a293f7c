// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples;

import static io.copytrace.testing.ReportView.bytes;
import static io.copytrace.testing.ReportView.saving;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.testing.Jdk;
import io.copytrace.testing.ReportView;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lessons 1, 5 and 8 (file copies, silent transferTo fallbacks, the JDK's copy helpers): the report holds
 * exactly the planted findings, at the planted methods, with the bytes the samples counted.
 */
class FileCopySamplesIT {
    static final long MiB = 1 << 20;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void streamCopyIsOneReadWriteLoop(Jdk jdk) throws Exception {
        // when
        SampleRun.Result run = SampleRun.run(jdk, "Sample01StreamCopy", "--mib=8");

        // then
        run.report().assertExactly("opportunity read-write-loop Sample01StreamCopy.copyWithStreams");
        Map<String, Object> loop = run.report().one("read-write-loop", "Sample01StreamCopy.copyWithStreams");
        assertEquals(run.total("copied"), bytes(loop));
        assertEquals(8 * MiB, run.total("copied"));
        // java.io: K + JNI + JNI + K = 4 copies per byte now, 1 after (ext4 copy_file_range / sendfile)
        assertEquals(3 * run.total("copied"), saving(loop, "cpuCopiedBytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void filesCopyFixIsZeroCopy(Jdk jdk) throws Exception {
        // when
        SampleRun.Result run = SampleRun.run(jdk, "Sample01StreamCopy", "--mib=8", "--copy=files-copy");

        // then
        run.report().assertExactly("good zero-copy Sample01StreamCopy.copyWithFiles");
        Map<String, Object> good = run.report().one("zero-copy", "Sample01StreamCopy.copyWithFiles");
        assertEquals(run.total("copied"), bytes(good));
        assertTrue(((String) good.get("title")).contains(jdk.feature() >= 21 ? "copy_file_range" : "sendfile"),
                () -> "" + good.get("title"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void silentFallbacksAreFoundWithTheirReasons(Jdk jdk) throws Exception {
        // when
        SampleRun.Result run = SampleRun.run(jdk, "Sample05SilentFallbacks", "--mib=8");

        // then
        ReportView report = run.report();
        if (jdk.feature() < 21) {
            report.assertExactly("opportunity transfer-fallback Sample05SilentFallbacks.sendToChannel",
                    "opportunity transfer-fallback Sample05SilentFallbacks.appendToLog",
                    "opportunity transfer-fallback Sample05SilentFallbacks.copyToFile");
            Map<String, Object> sticky = report.one("transfer-fallback", "Sample05SilentFallbacks.copyToFile");
            assertTrue(((String) sticky.get("title")).contains("sticky-flag"), () -> "" + sticky.get("title"));
            assertEquals(run.total("copied"), bytes(sticky));
        } else {
            // JDK 25 is not sticky: the later file-to-file transfer is copy_file_range
            report.assertExactly("opportunity transfer-fallback Sample05SilentFallbacks.sendToChannel",
                    "opportunity transfer-fallback Sample05SilentFallbacks.appendToLog",
                    "good zero-copy Sample05SilentFallbacks.copyToFile");
            assertEquals(run.total("copied"), bytes(report.one("zero-copy", "Sample05SilentFallbacks.copyToFile")));
        }
        Map<String, Object> wrapper = report.one("transfer-fallback", "Sample05SilentFallbacks.sendToChannel");
        assertTrue(((String) wrapper.get("title")).contains("loop") && ((String) wrapper.get("title")).contains("target-type"),
                () -> "" + wrapper.get("title"));
        assertEquals(run.total("sent"), bytes(wrapper));
        Map<String, Object> append = report.one("transfer-fallback", "Sample05SilentFallbacks.appendToLog");
        assertTrue(((String) append.get("title")).contains("mapped") && ((String) append.get("title")).contains("append-target"),
                () -> "" + append.get("title"));
        assertEquals(run.total("appended"), bytes(append));
        // mapped file-to-file and copy_file_range on ext4 both make one in-kernel copy: only syscalls to save
        assertEquals(0, saving(append, "cpuCopiedBytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void realTargetsAreAllZeroCopy(Jdk jdk) throws Exception {
        // when
        SampleRun.Result run = SampleRun.run(jdk, "Sample05SilentFallbacks", "--mib=8", "--target=real");

        // then
        run.report().assertExactly("good zero-copy Sample05SilentFallbacks.sendToChannel",
                "good zero-copy Sample05SilentFallbacks.appendToLog",
                "good zero-copy Sample05SilentFallbacks.copyToFile");
    }

    /**
     * The wrapper's 8 KiB loop costs 4 CPU copies per byte (K, U into the heap buffer, then the
     * wrapper's own heap socket write: U, K; recorded as a nested record) and 2 syscalls per 8 KiB. Passing
     * the real SocketChannel (sendfile, 1 copy) saves 3 copies per byte and all but one syscall: the
     * finding counts the outer record and the wrapper's nested writes together.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void wrapperFallbackSavingIncludesTheWrappersOwnWrites(Jdk jdk) throws Exception {
        // when
        SampleRun.Result run = SampleRun.run(jdk, "Sample05SilentFallbacks", "--mib=8");

        // then
        Map<String, Object> wrapper = run.report().one("transfer-fallback", "Sample05SilentFallbacks.sendToChannel");
        assertEquals(3 * run.total("sent"), saving(wrapper, "cpuCopiedBytes"));
        assertTrue(saving(wrapper, "syscalls") >= 2 * run.total("sent") / 8192 - 2, () -> "" + wrapper.get("saving"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void copyHelpersDifferPerJdk(Jdk jdk) throws Exception {
        // when
        SampleRun.Result run = SampleRun.run(jdk, "Sample08FilesCopy", "--mib=8");

        // then
        ReportView report = run.report();
        if (jdk.feature() < 21) {
            report.assertExactly("good zero-copy Sample08FilesCopy.pathToPath",
                    "opportunity transfer-fallback Sample08FilesCopy.pathToStream",
                    "opportunity transfer-fallback Sample08FilesCopy.fileStreams",
                    "opportunity transfer-fallback Sample08FilesCopy.fileToSocketStream");
            assertEquals(run.total("file-streams"), bytes(report.one("transfer-fallback", "Sample08FilesCopy.fileStreams")));
        } else {
            // FileInputStream.transferTo(FileOutputStream) became copy_file_range in JDK 21
            report.assertExactly("good zero-copy Sample08FilesCopy.pathToPath",
                    "opportunity transfer-fallback Sample08FilesCopy.pathToStream",
                    "good zero-copy Sample08FilesCopy.fileStreams",
                    "opportunity transfer-fallback Sample08FilesCopy.fileToSocketStream");
            assertEquals(run.total("file-streams"), bytes(report.one("zero-copy", "Sample08FilesCopy.fileStreams")));
        }
        assertEquals(run.total("path-to-path"), bytes(report.one("zero-copy", "Sample08FilesCopy.pathToPath")));
        Map<String, Object> toStream = report.one("transfer-fallback", "Sample08FilesCopy.pathToStream");
        assertEquals(run.total("path-to-stream"), bytes(toStream));
        Map<String, Object> toSocket = report.one("transfer-fallback", "Sample08FilesCopy.fileToSocketStream");
        assertEquals(run.total("file-to-socket-stream"), bytes(toSocket));
        assertEquals(run.total("file-to-socket-stream"), run.total("received"));
        // a user-space loop: 4 copies per byte (K, U, U, K) where the kernel needs 1
        assertEquals(3 * run.total("path-to-stream"), saving(toStream, "cpuCopiedBytes"));
        assertEquals(3 * run.total("file-to-socket-stream"), saving(toSocket, "cpuCopiedBytes"));
    }

    /**
     * The loop fallbacks of Files.copy(Path, OutputStream) and InputStream.transferTo name a reason from the
     * vocabulary (target-type, or target-type-on-this-jdk for JDK 17's InputStream.transferTo), never "none".
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void copyHelperFallbacksNameAReason(Jdk jdk) throws Exception {
        // when
        SampleRun.Result run = SampleRun.run(jdk, "Sample08FilesCopy", "--mib=8");

        // then
        for (Map<String, Object> f : run.report().findings()) {
            if ("transfer-fallback".equals(f.get("rule"))) {
                assertTrue(!((String) f.get("title")).endsWith("(none)"), () -> "" + f.get("title"));
            }
        }
    }

    /**
     * JDK 21+: Files.copy(Path, OutputStream) moves 16 KiB per read/write (strace shows only 16 KiB
     * writes), so the syscall saving uses 16 KiB steps there and 8 KiB on 17.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void copyHelperSyscallSavingUsesTheJdksStep(Jdk jdk) throws Exception {
        // when
        SampleRun.Result run = SampleRun.run(jdk, "Sample08FilesCopy", "--mib=8");

        // then
        Map<String, Object> toStream = run.report().one("transfer-fallback", "Sample08FilesCopy.pathToStream");
        long step = jdk.feature() >= 21 ? 16384 : 8192;
        long expected = 2 * run.total("path-to-stream") / step;
        assertTrue(Math.abs(saving(toStream, "syscalls") - expected) <= 2,
                () -> "syscalls saved " + saving(toStream, "syscalls") + ", expected ~" + expected);
    }
}
