// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.analysis.CopyPath.Mover;
import io.copytrace.model.BufferKind;
import io.copytrace.model.CopyModel;
import io.copytrace.model.CopyPattern;
import io.copytrace.model.JvmCopy;
import io.copytrace.model.Operation;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The pictures of each rule's findings: stations and arrows as the recording and the copy model say, and the
 * pictures' copies agreeing with the findings' numbers.
 */
class CopyPathsTest {
    static final long MIB = 1 << 20;

    static Finding one(Report report, String rule) {
        List<Finding> found = FindingRulesTest.of(report, rule);
        assertEquals(1, found.size(), rule + ": " + report.findings());
        return found.get(0);
    }

    static List<String> stations(CopyPath p) {
        return p.stations().stream().map(CopyPath.Station::name).toList();
    }

    static List<Mover> movers(CopyPath p) {
        return p.arrows().stream().map(CopyPath.Arrow::mover).toList();
    }

    /** The finding's pictures: "now" and "after"; the copies the fix removes are the finding's saving. */
    static List<CopyPath> nowAndAfter(Finding f) {
        assertEquals(2, f.paths().size(), f.paths().toString());
        CopyPath now = f.paths().get(0), after = f.paths().get(1);
        assertEquals("now", now.label().split(":")[0]);
        assertTrue(after.label().startsWith("after") || after.label().startsWith("without TLS"), after.label());
        return f.paths();
    }

    @Nested
    class Relay {
        @Test
        void nettyChunkedFileRelayHasFourCpuCopiesOneOfThemNettys() {
            // given: ChunkedFile reads the file into a heap ByteBuf (java.io, JNI copy), Netty copies it into a pooled
            // direct buffer (AbstractNioChannel.newDirectBuffer), the event loop writes that to the socket
            Finding f = one(Fixtures.analyze("netty-chunkedfile-jdk17"), RelayRule.ID);
            // then
            CopyPath now = nowAndAfter(f).get(0), after = f.paths().get(1);
            assertEquals(List.of("disk", "page cache", "native buffer (JNI)", "user memory (byte[], Netty heap ByteBuf)",
                    "user memory (direct, Netty pooled)", "socket buffer", "NIC"), stations(now));
            assertEquals(List.of(Mover.DMA, Mover.KERNEL, Mover.JVM, Mover.FRAMEWORK, Mover.KERNEL, Mover.DMA), movers(now));
            assertEquals(4, now.cpuArrows());
            assertEquals(4.0, now.cpuCopiesPerByte());
            assertTrue(f.evidence().get("copies per byte now").startsWith("4.00"));
            assertEquals(16 * MIB, now.bytes());
            for (CopyPath.Arrow a : now.arrows()) assertEquals(16 * MIB, a.bytes(), a.toString());
            assertEquals(JvmCopy.FRAMEWORK.where(), now.arrows().get(3).what());
            assertEquals(JvmCopy.JAVA_IO_STREAM.where(), now.arrows().get(2).what());
            // after: Netty's DefaultFileRegion = FileChannel.transferTo = sendfile on JDK 17
            assertEquals("after: DefaultFileRegion = sendfile", after.label());
            assertEquals(List.of("disk", "page cache", "socket buffer", "NIC"), stations(after));
            assertEquals(List.of(Mover.DMA, Mover.KERNEL, Mover.DMA), movers(after));
            assertEquals(CopyPattern.SENDFILE.cpuCopies(), after.cpuCopiesPerByte());
            assertTrue(after.note().contains(CopyPattern.SENDFILE_SG.cpuCopies() + " CPU copies/byte"), after.note());
            // the fix removes what the finding saves; syscalls as the evidence counts them
            assertEquals(f.saving().cpuCopiedBytes(), now.cpuCopiedBytes() - after.cpuCopiedBytes());
            assertEquals("4,096 / ~2,048 (the reads go; one write or transfer per write call assumed)", f.evidence().get("syscalls now / after"));
            assertEquals(4096, now.syscalls());
            assertEquals(2048, after.syscalls());
            assertEquals(2, now.syscallsPerChunk());
            assertEquals(4, now.modeSwitchesPerChunk());
            assertEquals(1, after.syscallsPerChunk());
        }

        @Test
        void directBufferRelayOnAnotherThreadIsTwoKernelCopies() {
            // given: a reader thread fills direct buffers from a file, a writer thread sends them (JDK 21)
            Report report = new Fixtures.Builder(21)
                    .siteCalledFrom(1, "com.acme.Reader.fill(Reader.java:20)", "com.acme.Reader.run(Reader.java:12)")
                    .siteCalledFrom(2, "com.acme.Sender.send(Sender.java:40)", "com.acme.Sender.run(Sender.java:15)")
                    .record(1, "file.read", "syscall", "direct", "file", "memory", 128, 8 * MIB, 0)
                    .record(2, "socket.write", "syscall", "direct", "memory", "socket", 256, 8 * MIB, 0)
                    .flow(0, 1, 8 * MIB, 256, true, false)
                    .analyze();
            // then
            Finding f = one(report, RelayRule.ID);
            CopyPath now = nowAndAfter(f).get(0), after = f.paths().get(1);
            assertEquals(List.of("disk", "page cache", "user memory (direct)", "socket buffer", "NIC"), stations(now));
            assertEquals(2, now.cpuArrows());
            assertEquals(CopyModel.javaLoopCopiesPerByte(BufferKind.DIRECT), now.cpuCopiesPerByte());
            assertEquals("now: disk →DMA→ page cache →CPU→ user memory (direct) →CPU→ socket buffer →DMA→ NIC"
                    + " (2 CPU copies/byte, 384 syscalls)", now.line());
            // JDK 21+: copy_file_range refused, then sendfile: two syscalls per transfer
            assertEquals("after: transferTo = copy_file_range(EINVAL)+sendfile", after.label());
            assertEquals(2, after.syscallsPerChunk());
            assertEquals(4, after.modeSwitchesPerChunk());
            assertEquals(f.saving().cpuCopiedBytes(), now.cpuCopiedBytes() - after.cpuCopiedBytes());
        }

        @Test
        void heapSocketToFileRelayIsFixedWithDirectBuffersNotSplice() {
            // given: heap buffers read from a socket and written to a file (the JVM copies on both sides)
            Report report = new Fixtures.Builder(17)
                    .site(1, "com.acme.Ingest.receive(Ingest.java:20)").site(2, "com.acme.Ingest.store(Ingest.java:40)")
                    .record(1, "socket.read", "syscall", "heap", "socket", "memory", 512, 4 * MIB, 4 * MIB)
                    .record(2, "file.write", "syscall", "heap", "memory", "file", 64, 4 * MIB, 4 * MIB)
                    .flow(0, 1, 4 * MIB, 64, false, false)
                    .analyze();
            // then
            Finding f = one(report, RelayRule.ID);
            CopyPath now = nowAndAfter(f).get(0), after = f.paths().get(1);
            assertEquals(List.of("NIC", "socket buffer", "temporary direct buffer", "user memory (heap)",
                    "temporary direct buffer", "page cache", "disk"), stations(now));
            assertEquals(List.of(Mover.DMA, Mover.KERNEL, Mover.JVM, Mover.JVM, Mover.KERNEL, Mover.DMA), movers(now));
            assertEquals(4.0, now.cpuCopiesPerByte());
            assertEquals("after: a reused direct buffer", after.label());
            assertEquals(List.of("NIC", "socket buffer", "user memory (direct)", "page cache", "disk"), stations(after));
            assertEquals(CopyModel.javaLoopCopiesPerByte(BufferKind.DIRECT), after.cpuCopiesPerByte());
            assertEquals(f.saving().cpuCopiedBytes(), now.cpuCopiedBytes() - after.cpuCopiedBytes());
        }

        @Test
        void proxyIsALimitationWhoseAfterIsSpliceWithDescriptorsOnly() {
            Report report = new Fixtures.Builder(17)
                    .site(1, "com.acme.Proxy.pump(Proxy.java:20)")
                    .record(1, "socket.read", "syscall", "direct", "socket", "memory", 512, 4 * MIB, 0)
                    .record(1, "socket.write", "syscall", "direct", "memory", "socket", 512, 4 * MIB, 0)
                    .flow(0, 1, 4 * MIB, 512, false, false)
                    .analyze();
            Finding f = one(report, RelayRule.ID);
            assertEquals(FindingKind.LIMITATION, f.kind());
            CopyPath after = nowAndAfter(f).get(1);
            assertEquals(List.of("NIC", "socket buffer", "pipe buffer", "socket buffer", "NIC"), stations(after));
            assertEquals(List.of(Mover.DMA, Mover.DESCRIPTORS, Mover.DESCRIPTORS, Mover.DMA), movers(after));
            assertEquals(CopyPattern.SPLICE.cpuCopies(), after.cpuCopiesPerByte());
            assertEquals(CopyPattern.SPLICE.syscallsPerChunk(), after.syscallsPerChunk());
        }

        @Test
        void jettyRelayIsFixedWithItsFileMappingMmapAndWrite() {
            // given: Jetty without its content cache streams the file through pooled direct buffers
            Report report = new Fixtures.Builder(17)
                    .siteCalledFrom(1, "org.eclipse.jetty.io.IOResources$PathToSinkCopier.process(IOResources.java:420)",
                            "org.eclipse.jetty.util.IteratingCallback.processing(IteratingCallback.java:250)")
                    .siteCalledFrom(2, "org.eclipse.jetty.io.SocketChannelEndPoint.flush(SocketChannelEndPoint.java:114)",
                            "org.eclipse.jetty.io.WriteFlusher.flush(WriteFlusher.java:422)")
                    .record(1, "file.read", "syscall", "direct", "file", "memory", 128, 4 * MIB, 0)
                    .record(2, "socket.write", "syscall", "direct", "memory", "socket", 128, 4 * MIB, 0)
                    .with("form", "gather")
                    .flow(0, 1, 4 * MIB, 128, false, false)
                    .analyze();
            // then
            Finding f = one(report, RelayRule.ID);
            CopyPath after = nowAndAfter(f).get(1);
            assertEquals("after: Jetty's file mapping = mmap + write", after.label());
            assertEquals(List.of("disk", "page cache", "user memory (mapped file)", "socket buffer", "NIC"), stations(after));
            assertEquals(List.of(Mover.DMA, Mover.MAPPING, Mover.KERNEL, Mover.DMA), movers(after));
            assertEquals(CopyPattern.MMAP_WRITE.cpuCopies(), after.cpuCopiesPerByte());
            assertTrue(f.evidence().get("copies per byte after").startsWith("1.00 with file mapping"),
                    f.evidence().toString());
            assertEquals(f.saving().cpuCopiedBytes(), f.paths().get(0).cpuCopiedBytes() - after.cpuCopiedBytes());
        }
    }

    @Nested
    class ReadWriteLoop {
        @Test
        void heapLoopIsFourCopiesThroughTheTemporaryDirectBuffers() {
            Finding f = FindingRulesTest.at(Fixtures.analyze("heap-jdk17"), ReadWriteLoopRule.ID, "Prog.heapLoop").get(0);
            CopyPath now = nowAndAfter(f).get(0), after = f.paths().get(1);
            assertEquals(List.of("disk", "page cache", "temporary direct buffer", "user memory (heap)",
                    "temporary direct buffer", "socket buffer", "NIC"), stations(now));
            assertEquals(List.of(Mover.DMA, Mover.KERNEL, Mover.JVM, Mover.JVM, Mover.KERNEL, Mover.DMA), movers(now));
            assertEquals(CopyModel.javaLoopCopiesPerByte(BufferKind.HEAP), now.cpuCopiesPerByte());
            assertEquals("after: transferTo = sendfile", after.label());
            assertEquals(f.saving().cpuCopiedBytes(), now.cpuCopiedBytes() - after.cpuCopiedBytes());
            assertEquals(f.evidence().get("syscalls now / after"), Units.count(now.syscalls()) + " / ~" + Units.count(after.syscalls()));
        }

        @Test
        void javaIoStreamLoopCopiesThroughJniBuffers() {
            Finding f = one(Fixtures.analyze("streams-jdk17"), ReadWriteLoopRule.ID);
            CopyPath now = nowAndAfter(f).get(0);
            assertEquals(List.of("disk", "page cache", "native buffer (JNI)", "user memory (byte[])", "native buffer (JNI)",
                    "page cache", "disk"), stations(now));
            assertEquals(4.0, now.cpuCopiesPerByte());
            assertEquals(List.of("disk", "page cache", "page cache", "disk"), stations(f.paths().get(1)));
        }
    }

    @Nested
    class TransferFallback {
        @Test
        void wrapperLoopHandsItsHeapBufferToTheWrapper() {
            Finding f = one(Fixtures.analyze("wrapper-jdk25"), TransferFallbackRule.ID);
            CopyPath now = nowAndAfter(f).get(0), after = f.paths().get(1);
            assertEquals(List.of("disk", "page cache", "temporary direct buffer", "user memory (heap, the JDK's 8 KiB loop buffer)",
                    "the target channel (Channels$WritableByteChannelImpl)"), stations(now));
            assertEquals(List.of(Mover.DMA, Mover.KERNEL, Mover.JVM, Mover.HANDOVER), movers(now));
            assertEquals(2.0, now.cpuCopiesPerByte());
            assertEquals("after: the direct path = copy_file_range(EINVAL)+sendfile", after.label());
            assertEquals(f.saving().cpuCopiedBytes(), now.cpuCopiedBytes() - after.cpuCopiedBytes());
        }

        @Test
        void appendTargetRanTheMappedPath() {
            Finding f = one(Fixtures.analyze("append-jdk17"), TransferFallbackRule.ID);
            CopyPath now = nowAndAfter(f).get(0);
            assertEquals(List.of(Mover.DMA, Mover.MAPPING, Mover.KERNEL, Mover.DMA), movers(now));
            assertEquals(CopyPattern.MMAP_WRITE.cpuCopies(), now.cpuCopiesPerByte());
            assertEquals(CopyPattern.MMAP_WRITE.syscallsPerChunk(), now.syscallsPerChunk());
            assertEquals(List.of("disk", "page cache", "page cache", "disk"), stations(f.paths().get(1)));
        }
    }

    @Test
    void mappedSendIsMmapPlusWriteAgainstSendfile() {
        Finding f = one(Fixtures.analyze("mapped-jdk17"), MappedSendRule.ID);
        CopyPath now = nowAndAfter(f).get(0), after = f.paths().get(1);
        assertEquals(List.of("disk", "page cache", "user memory (mapped file)", "socket buffer", "NIC"), stations(now));
        assertEquals(List.of(Mover.DMA, Mover.MAPPING, Mover.KERNEL, Mover.DMA), movers(now));
        assertEquals(now.cpuCopiesPerByte(), after.cpuCopiesPerByte()); // the saving is syscalls and faults, not copies
        assertEquals(f.saving().syscalls(), now.syscalls() - after.syscalls());
        assertEquals(4, now.modeSwitchesPerChunk());
        assertEquals(2, after.modeSwitchesPerChunk());
    }

    @Test
    void heapBufferWriteShowsTheReCopiesOnTheJvmArrow() {
        // given: 3 MiB written from heap buffers, 6 MiB copied (partial writes re-copy the rest)
        Report report = new Fixtures.Builder(17).site(1, "com.acme.Net.send(Net.java:20)")
                .record(1, "socket.write", "syscall", "heap", "memory", "socket", 800, 3 * MIB, 6 * MIB)
                .with("partialCalls", 400L).with("nativeAllocations", 10L)
                .analyze();
        // then
        Finding f = one(report, HeapBufferRule.ID);
        CopyPath now = nowAndAfter(f).get(0), after = f.paths().get(1);
        assertEquals(List.of("user memory (heap)", "temporary direct buffer", "socket buffer", "NIC"), stations(now));
        assertEquals(6 * MIB, now.arrows().get(0).bytes());
        assertEquals(3 * MIB, now.arrows().get(1).bytes());
        assertEquals(3.0, now.cpuCopiesPerByte());
        assertEquals("3 CPU copies/byte", now.line().replaceAll(".*\\((.*), .*", "$1"));
        assertEquals(List.of("user memory (direct)", "socket buffer", "NIC"), stations(after));
        assertEquals(f.saving().cpuCopiedBytes(), now.cpuCopiedBytes() - after.cpuCopiedBytes());
        assertEquals(f.saving().syscalls(), now.syscalls() - after.syscalls()); // mmap + munmap per allocation
    }

    @Test
    void heapBufferReadCopiesOutOfTheTemporaryBuffer() {
        Finding f = FindingRulesTest.of(Fixtures.analyze("tls-jdk25"), HeapBufferRule.ID).stream()
                .filter(x -> x.title().contains("read")).findFirst().orElseThrow();
        CopyPath now = nowAndAfter(f).get(0);
        assertEquals(List.of("disk", "page cache", "temporary direct buffer", "user memory (heap)"), stations(now));
        assertEquals(List.of("disk", "page cache", "user memory (direct)"), stations(f.paths().get(1)));
    }

    @Test
    void streamIoIsTheJniCopyAgainstAChannel() {
        Report report = new Fixtures.Builder(17).site(1, "com.acme.Log.append(Log.java:20)")
                .record(1, "stream.write", "syscall", "byte[]", "memory", "file", 64, 32 * MIB, 32 * MIB)
                .with("nativeAllocations", 64L)
                .analyze();
        Finding f = one(report, StreamIoRule.ID);
        CopyPath now = nowAndAfter(f).get(0), after = f.paths().get(1);
        assertEquals(List.of("user memory (byte[])", "native buffer (JNI)", "page cache", "disk"), stations(now));
        assertEquals(JvmCopy.JAVA_IO_STREAM.where(), now.arrows().get(0).what());
        assertEquals("after: FileChannel + a reused direct buffer", after.label());
        assertEquals(f.saving().cpuCopiedBytes(), now.cpuCopiedBytes() - after.cpuCopiedBytes());
    }

    @Test
    void tlsPathAgainstSendfileCountsWhatTheCopyModelSays() {
        Finding f = one(Fixtures.analyze("tls-jdk25"), TlsRule.ID);
        CopyPath now = nowAndAfter(f).get(0), after = f.paths().get(1);
        // the costliest part pictured: file data sent, read + encrypt + write against sendfile
        assertEquals(List.of("disk", "page cache", "user memory (plaintext)", "user memory (TLS records)", "socket buffer",
                "NIC"), stations(now));
        assertEquals(CopyModel.tlsPathCopiesPerByte(Operation.TLS_WRAP, true), now.cpuCopiesPerByte());
        assertEquals(CopyModel.plaintextPathCopiesPerByte(Operation.TLS_WRAP, true), after.cpuCopiesPerByte());
        assertEquals(-1, now.syscalls());
        assertTrue(now.line().endsWith("(3 CPU copies/byte)"), now.line());
    }

    @Test
    void tlsReceivedOnlyIsReadAndDecrypt() {
        Report report = new Fixtures.Builder(17).site(1, "com.acme.Tls.read(Tls.java:20)")
                .record(1, "tls.unwrap", "tls-engine", "direct", "tls-engine", "memory", 100, MIB, 0)
                .analyze();
        Finding f = one(report, TlsRule.ID);
        CopyPath now = nowAndAfter(f).get(0), after = f.paths().get(1);
        assertEquals(List.of("NIC", "socket buffer", "user memory (TLS records)", "user memory (plaintext)"), stations(now));
        assertEquals(CopyModel.tlsPathCopiesPerByte(Operation.TLS_UNWRAP, false), now.cpuCopiesPerByte());
        assertEquals(CopyModel.plaintextPathCopiesPerByte(Operation.TLS_UNWRAP, false), after.cpuCopiesPerByte());
    }

    @Test
    void zeroCopyHasOnePictureOfWhatRuns() {
        Finding f17 = one(Fixtures.analyze("transferTo-jdk17"), ZeroCopyRule.ID);
        Finding f25 = one(Fixtures.analyze("transferTo-jdk25"), ZeroCopyRule.ID);
        assertEquals(1, f17.paths().size());
        CopyPath p17 = f17.paths().get(0), p25 = f25.paths().get(0);
        assertEquals("what runs: FileChannel.transferTo = sendfile", p17.label());
        assertEquals(List.of("disk", "page cache", "socket buffer", "NIC"), stations(p17));
        assertEquals(1, p17.syscallsPerChunk());
        assertEquals("what runs: FileChannel.transferTo = copy_file_range(EINVAL)+sendfile", p25.label());
        assertEquals(2, p25.syscallsPerChunk());
        assertEquals(4, p25.modeSwitchesPerChunk());
    }

    @Test
    void findingsAboutCallsOrTheKernelHaveNoPicture() {
        assertTrue(one(Fixtures.analyze("tiny-jdk17"), SmallIoRule.ID).paths().isEmpty());
        for (Finding f : FindingRulesTest.of(Fixtures.analyze("mixed-kernel-jdk17"), KernelCrossCheckRule.ID)) {
            assertTrue(f.paths().isEmpty());
        }
    }

    @Test
    void everyPictureOfTheFixturesFollowsTheModel() {
        for (String name : List.of("mixed-kernel-jdk17", "mixed-jdk17", "netty-chunkedfile-jdk17", "tls-jdk17",
                "filescopy-jdk25", "gather-jdk25")) {
            for (Finding f : Fixtures.analyze(name).findings()) {
                for (CopyPath p : f.paths()) {
                    for (CopyPath.Arrow a : p.arrows()) {
                        assertEquals(a.mover().cpu() ? 1 : 0, a.cpuCopies(), name + " " + p.line());
                        assertTrue(a.bytes() > 0, name + " " + p.line());
                    }
                    assertTrue(p.syscallsPerChunk() >= 0 && p.modeSwitchesPerChunk() == 2 * p.syscallsPerChunk(), p.line());
                }
                String now = f.evidence().get("copies per byte now");
                if (now != null) assertEquals(now.substring(0, 4), Units.ratio(f.paths().get(0).cpuCopiesPerByte()), name);
            }
        }
    }

    @Test
    void findingKeepsItsPicturesThroughEvidenceAndCompatibilityConstructors() {
        CopyPath p = new CopyPath("what runs", 10, List.of(new CopyPath.Station("disk", CopyPath.Space.DEVICE),
                new CopyPath.Station("page cache", CopyPath.Space.KERNEL)),
                List.of(new CopyPath.Arrow(Mover.DMA, 10, 0, "read")), -1, 0, 0, null);
        Finding bare = new Finding("r", FindingKind.GOOD, "t", null, 10, Evidence.NONE, Saving.NONE, "a", "", Confidence.HIGH);
        Finding costed = new Finding("r", FindingKind.LIMITATION, "t", null, 10, Evidence.NONE, Saving.NONE, "a", "",
                Confidence.HIGH, Saving.NONE);
        assertTrue(bare.paths().isEmpty());
        assertTrue(costed.paths().isEmpty());
        Finding pictured = bare.withPaths(List.of(p)).withEvidence("x", "x", Prose.of("y"));
        assertEquals(List.of(p), pictured.paths());
        assertEquals("what runs: disk →DMA→ page cache (0 CPU copies/byte)", p.line());
        assertThrows(IllegalArgumentException.class, () -> new CopyPath.Arrow(Mover.DMA, 1, 1, "a DMA never copies by CPU"));
        assertThrows(IllegalArgumentException.class, () -> new CopyPath("x", 1, p.stations(), List.of(), -1, 0, 0, ""));
    }
}
