// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** One positive and at least one negative case per finding rule, on real recordings where possible. */
class FindingRulesTest {
    static final long MIB = 1 << 20;

    static List<Finding> of(Report report, String rule) {
        return report.findings().stream().filter(f -> f.rule().equals(rule)).toList();
    }

    static List<Finding> at(Report report, String rule, String method) {
        return of(report, rule).stream().filter(f -> f.site() != null && f.site().method().equals(method)).toList();
    }

    @Nested
    class ReadWriteLoop {
        @Test
        void heapFileToSocketLoopIsFoundWithFourCopiesPerByte() {
            // when
            Report report = Fixtures.analyze("heap-jdk17");
            // then
            List<Finding> loop = at(report, ReadWriteLoopRule.ID, "Prog.heapLoop");
            assertEquals(1, loop.size());
            Finding f = loop.get(0);
            assertEquals(FindingKind.OPPORTUNITY, f.kind());
            assertTrue(f.title().contains("transferTo"), f.title());
            assertTrue(f.evidence().get("copies per byte now").startsWith("4.00"));
            assertEquals(12 * MIB, f.saving().cpuCopiedBytes()); // 4 copies/byte down to sendfile's 1
            assertEquals(Confidence.HIGH, f.confidence());
            // the heap buffers of the loop are part of this finding, not reported twice
            assertTrue(at(report, HeapBufferRule.ID, "Prog.heapLoop").isEmpty());
        }

        @Test
        void heapLoopPricesItsJvmCopiesAtTheCachedRate() {
            // given: copies streaming at 10 GB/s, in cache at 40 GB/s (make bench-samples: pricing the cached JVM
            // copies at the streaming rate over-predicted the sender's saving of a heap loop by half)
            HostCost cost = new HostCost(10, 250, 40, 600, 5_000, HostCost.TYPICAL_FILE_COPY_OVERHEAD_NANOS_PER_KIB,
                    HostCost.TYPICAL_CONTEXT_SWITCH_NANOS, HostCost.TYPICAL_CROSS_CORE_NANOS_PER_KIB, null,
                    HostCost.Calibration.GIVEN);

            // when
            Finding f = at(Analysis.analyze(Fixtures.load("heap-jdk17"), cost), ReadWriteLoopRule.ID, "Prog.heapLoop").get(0);

            // then: 12 MiB saved, 8 MiB of it the JVM's copies of 8 KiB chunks (4 MiB read + 4 MiB written)
            long syscalls = f.saving().syscalls();
            assertEquals(12 * MIB, f.saving().cpuCopiedBytes());
            assertEquals(Math.round(4 * MIB / 10.0 + 8 * MIB / 40.0 + syscalls * 250.0), f.saving().estimatedNanos());
            // one rate for both when costs are given: the streaming rate prices every byte
            Finding fixed = at(Fixtures.analyze("heap-jdk17"), ReadWriteLoopRule.ID, "Prog.heapLoop").get(0);
            assertEquals(Math.round(12 * MIB / 10.0 + syscalls * 250.0), fixed.saving().estimatedNanos());
        }

        @Test
        void fileToFileLoopsSuggestCopyFileRange() {
            for (String name : List.of("filefile-jdk25", "streams-jdk17")) {
                Report report = Fixtures.analyze(name);
                List<Finding> loop = of(report, ReadWriteLoopRule.ID);
                assertEquals(1, loop.size(), name);
                assertTrue(loop.get(0).title().contains("file → file"), name);
                assertTrue(loop.get(0).fix().contains("Files.copy"), name);
            }
        }

        @Test
        void aFileToFileLoopsSavingIsLessWhatTheKernelCopyCostsBeyondItsPageCopy() {
            // given: a kernel file copy that costs nothing beyond its one page copy, and one that costs 100 ns per KiB
            HostCost free = HostCost.fixed(10, 250, 450, 4_000, 0);
            HostCost splice = HostCost.fixed(10, 250, 450, 4_000, 100);

            // when: a java.io stream copy file -> file
            Finding asIf = of(Analysis.analyze(Fixtures.load("streams-jdk17"), free), ReadWriteLoopRule.ID).get(0);
            Finding f = of(Analysis.analyze(Fixtures.load("streams-jdk17"), splice), ReadWriteLoopRule.ID).get(0);

            // then: the same copies and syscalls saved; the estimate prices them, less 100 ns per KiB moved
            assertEquals(asIf.saving().cpuCopiedBytes(), f.saving().cpuCopiedBytes());
            assertEquals(asIf.saving().syscalls(), f.saving().syscalls());
            long priced = Math.round(f.saving().cpuCopiedBytes() / 10.0 + f.saving().syscalls() * 250.0);
            long fixCost = Math.round(f.bytes() / 1024.0 * 100);
            assertEquals(priced, asIf.saving().estimatedNanos());
            assertEquals(priced - fixCost, f.saving().estimatedNanos());
            assertTrue(f.evidence().get("the fix's own cost").startsWith(Units.nanos(fixCost) + ": the kernel copy's work"
                    + " beyond its one page copy"), f.evidence().toString());
            assertTrue(f.evidence().get("the fix's own cost").contains("100 ns per KiB"), f.evidence().toString());
            // a fix that costs more than it saves saves no CPU time, but still the copies
            Finding dear = of(Analysis.analyze(Fixtures.load("streams-jdk17"), HostCost.fixed(10, 250, 450, 4_000, 1e9)),
                    ReadWriteLoopRule.ID).get(0);
            assertEquals(0, dear.saving().estimatedNanos());
            assertEquals(f.saving().cpuCopiedBytes(), dear.saving().cpuCopiedBytes());
        }

        @Test
        void aFileToSocketLoopsSavingHasNoFileCopyCost() {
            Finding free = at(Analysis.analyze(Fixtures.load("heap-jdk17"), HostCost.fixed(10, 250, 450, 4_000, 0)),
                    ReadWriteLoopRule.ID, "Prog.heapLoop").get(0);
            Finding dear = at(Analysis.analyze(Fixtures.load("heap-jdk17"), HostCost.fixed(10, 250, 450, 4_000, 100)),
                    ReadWriteLoopRule.ID, "Prog.heapLoop").get(0);

            assertEquals(free.saving(), dear.saving());
            assertTrue(!dear.evidence().toString().contains("the fix's own cost"), dear.evidence().toString());
        }

        @Test
        void directBufferLoopStillSavesOneCopyPerByte() {
            Finding f = at(Fixtures.analyze("direct-jdk17"), ReadWriteLoopRule.ID, "Prog.directLoop").get(0);
            assertEquals(4 * MIB, f.saving().cpuCopiedBytes());
        }

        @Test
        void transferToAndUnrelatedReadsAndWritesAreNotLoops() {
            assertTrue(of(Fixtures.analyze("transferTo-jdk17"), ReadWriteLoopRule.ID).isEmpty());
            assertTrue(of(Fixtures.analyze("tiny-jdk17"), ReadWriteLoopRule.ID).isEmpty());
            // reads 8 MiB, writes 1 MiB in the same method: not one stream of bytes
            Report report = new Fixtures.Builder(17).site(1, "com.acme.Index.build(Index.java:20)")
                    .record(1, "file.read", "syscall", "heap", "file", "memory", 128, 8 * MIB, 8 * MIB)
                    .record(1, "socket.write", "syscall", "heap", "memory", "socket", 16, MIB, MIB)
                    .analyze();
            assertTrue(of(report, ReadWriteLoopRule.ID).isEmpty());
        }

        @Test
        void loopSplitOverTwoMethodsIsFoundAtTheirCommonCaller() {
            // given: readChunk reads the file, writeChunk sends it, both called from copy()
            Report report = splitLoop("com.acme.Copier.copy(Copier.java:30)", "com.acme.Copier.copy(Copier.java:31)")
                    .analyze();
            // then: one loop, not two heap-buffer findings
            List<Finding> loop = of(report, ReadWriteLoopRule.ID);
            assertEquals(1, loop.size());
            Finding f = loop.get(0);
            assertEquals("com.acme.Copier.copy (calls both the read and the write method)", f.evidence().get("loop in"));
            assertTrue(f.evidence().containsKey("read  com.acme.Copier.readChunk(Copier.java:40)"), f.evidence().toString());
            assertTrue(f.evidence().containsKey("write com.acme.Copier.writeChunk(Copier.java:50)"), f.evidence().toString());
            assertEquals(12 * MIB, f.saving().cpuCopiedBytes()); // 4 copies/byte down to sendfile's 1
            assertEquals(Confidence.MEDIUM, f.confidence(), "inferred from the caller");
            assertTrue(f.advice().startsWith("com.acme.Copier.copy calls a method that reads 4.0 MiB from /data/in.bin "
                    + "and one that writes 4.0 MiB to a socket"), f.advice());
            assertTrue(of(report, HeapBufferRule.ID).isEmpty());
        }

        @Test
        void methodsWithDifferentCallersOrACallerOfMoreMethodsAreNotOneLoop() {
            // different callers
            Report apart = splitLoop("com.acme.Copier.copy(Copier.java:30)", "com.acme.Sender.send(Sender.java:9)").analyze();
            assertTrue(of(apart, ReadWriteLoopRule.ID).isEmpty());
            assertEquals(2, of(apart, HeapBufferRule.ID).size());
            // one caller (a dispatcher) of a third method with traffic too: which read goes with which write is unknown
            Report dispatcher = splitLoop("com.acme.Copier.copy(Copier.java:30)", "com.acme.Copier.copy(Copier.java:31)")
                    .siteCalledFrom(3, "com.acme.Copier.audit(Copier.java:60)", "com.acme.Copier.copy(Copier.java:32)")
                    .record(3, "file.write", "syscall", "heap", "memory", "file", 16, MIB, MIB)
                    .analyze();
            assertTrue(of(dispatcher, ReadWriteLoopRule.ID).isEmpty());
        }

        /** A 4 MiB file read in readChunk and a 4 MiB socket write in writeChunk, called from the given frames. */
        private Fixtures.Builder splitLoop(String readCaller, String writeCaller) {
            return new Fixtures.Builder(17)
                    .siteCalledFrom(1, "com.acme.Copier.readChunk(Copier.java:40)", readCaller, "com.acme.Main.main(Main.java:1)")
                    .siteCalledFrom(2, "com.acme.Copier.writeChunk(Copier.java:50)", writeCaller, "com.acme.Main.main(Main.java:1)")
                    .record(1, "file.read", "syscall", "heap", "file", "memory", 64, 4 * MIB, 4 * MIB)
                    .record(2, "socket.write", "syscall", "heap", "memory", "socket", 64, 4 * MIB, 4 * MIB);
        }
    }

    @Nested
    class HeapBuffer {
        @Test
        void heapWritesWithPartialRetriesAndNativeAllocationsAreExplained() {
            Report report = new Fixtures.Builder(17).site(1, "com.acme.Net.send(Net.java:40)")
                    .record(1, "socket.write", "syscall", "heap", "memory", "socket", 400, 8 * MIB, 11 * MIB)
                    .with("partialCalls", 150L).with("nativeAllocations", 400L).with("bytesRequested", 11 * MIB)
                    .analyze();
            List<Finding> heap = of(report, HeapBufferRule.ID);
            assertEquals(1, heap.size());
            Finding f = heap.get(0);
            assertTrue(f.evidence().get("re-copied after partial writes").startsWith("3.0 MiB"), f.evidence().toString());
            assertTrue(f.evidence().containsKey("native allocations"));
            assertEquals(11 * MIB, f.saving().cpuCopiedBytes());
            assertEquals(800, f.saving().syscalls()); // mmap + munmap per temporary buffer
            assertTrue(f.fix().contains("allocateDirect"));
        }

        @Test
        void heapReadsIntoANewBufferPerCallSaveTheirAllocationToo() {
            Fixtures.Builder perCall = new Fixtures.Builder(17).site(1, "com.acme.Net.receive(Net.java:40)")
                    .record(1, "socket.read", "syscall", "heap", "socket", "memory", 400, 8 * MIB, 8 * MIB)
                    .with("freshArrays", 400L).with("freshArrayBytes", 400 * 64 * 1024L);
            Fixtures.Builder pooled = new Fixtures.Builder(17).site(1, "com.acme.Net.receive(Net.java:40)")
                    .record(1, "socket.read", "syscall", "heap", "socket", "memory", 400, 8 * MIB, 8 * MIB)
                    .with("freshArrays", 150L).with("freshArrayBytes", 150 * 64 * 1024L); // a buffer per connection
            Finding fresh = of(perCall.analyze(), HeapBufferRule.ID).get(0);
            Finding kept = of(pooled.analyze(), HeapBufferRule.ID).get(0);
            // 400 × 64 KiB zeroed at the given 10 GB/s: what a reused direct buffer also saves
            assertEquals(kept.saving().estimatedNanos() + Math.round(400 * 64 * 1024 / 10.0), fresh.saving().estimatedNanos());
            assertTrue(fresh.evidence().get("fresh buffers").contains("400 calls"), fresh.evidence().toString());
            assertFalse(kept.evidence().containsKey("fresh buffers"), "fewer than half the calls: not a buffer per call");
        }

        @Test
        void socketReadsSayHowToAllocateTheirBufferWhereThisHostCopiesSlowlyJustAheadOfTheSource() {
            Fixtures.Builder reads = new Fixtures.Builder(17).site(1, "com.acme.Net.receive(Net.java:40)")
                    .record(1, "socket.read", "syscall", "heap", "socket", "memory", 400, 8 * MIB, 8 * MIB);
            Fixtures.Builder writes = new Fixtures.Builder(17).site(1, "com.acme.Net.send(Net.java:40)")
                    .record(1, "socket.write", "syscall", "heap", "memory", "socket", 400, 8 * MIB, 8 * MIB);
            Fixtures.Builder fileReads = new Fixtures.Builder(17).site(1, "com.acme.Blob.load(Blob.java:7)")
                    .record(1, "file.read", "syscall", "heap", "file", "memory", 400, 8 * MIB, 8 * MIB);
            HostCost slow = Fixtures.COST.withShortDistanceCopy(new ShortDistanceCopy.Measured(340, 55)); // the build machine's
            HostCost even = Fixtures.COST.withShortDistanceCopy(new ShortDistanceCopy.Measured(60, 55));

            String line = of(reads.analyze(slow), HeapBufferRule.ID).get(0).evidence().get("receive buffer");
            assertTrue(line != null && line.contains("alignedSlice(4096)") && line.contains("340 ns per KiB against 55"),
                    String.valueOf(line));
            // no slow copy here, none measured (given costs), or no socket receive: no line
            assertFalse(of(reads.analyze(even), HeapBufferRule.ID).get(0).evidence().containsKey("receive buffer"));
            assertFalse(of(reads.analyze(), HeapBufferRule.ID).get(0).evidence().containsKey("receive buffer"));
            assertFalse(of(writes.analyze(slow), HeapBufferRule.ID).get(0).evidence().containsKey("receive buffer"));
            assertFalse(of(fileReads.analyze(slow), HeapBufferRule.ID).get(0).evidence().containsKey("receive buffer"));
            // advice, not a saving: the estimate is the same either way
            assertEquals(of(reads.analyze(even), HeapBufferRule.ID).get(0).saving(),
                    of(reads.analyze(slow), HeapBufferRule.ID).get(0).saving());
        }

        @Test
        void largeHeapRequestsWarnAboutCachedNativeMemory() {
            Report report = new Fixtures.Builder(21).site(1, "com.acme.Blob.load(Blob.java:7)")
                    .record(1, "file.read", "syscall", "heap", "file", "memory", 4, 32 * MIB, 32 * MIB).analyze();
            assertTrue(of(report, HeapBufferRule.ID).get(0).evidence().containsKey("native memory"));
        }

        @Test
        void directBuffersAreNotFlagged() {
            Report report = Fixtures.analyze("direct-jdk17");
            assertTrue(at(report, HeapBufferRule.ID, "Prog.directLoop").isEmpty());
            assertTrue(at(report, HeapBufferRule.ID, "Prog.drain").isEmpty());
        }
    }

    @Nested
    class TransferFallback {
        @Test
        void wrapperTargetLoopsAndSaysWhy() {
            for (String name : List.of("wrapper-jdk17", "wrapper-jdk25")) {
                List<Finding> f = of(Fixtures.analyze(name), TransferFallbackRule.ID);
                assertEquals(1, f.size(), name);
                assertTrue(f.get(0).evidence().get("reason").startsWith("target-type"), name);
                assertTrue(f.get(0).advice().contains("Channels.newChannel"), name);
                assertTrue(f.get(0).saving().cpuCopiedBytes() > 0, name);
            }
        }

        @Test
        void appendTargetFallsBackToMapped() {
            Finding f = of(Fixtures.analyze("append-jdk17"), TransferFallbackRule.ID).get(0);
            assertTrue(f.title().contains("mapped"), f.title());
            assertTrue(f.advice().contains("APPEND"));
            assertTrue(f.advice().contains("rest of the JVM's life"));
        }

        @Test
        void stickyFlagPointsAtTheEarlierRefusal() {
            Report report = new Fixtures.Builder(17)
                    .site(1, "com.acme.Log.roll(Log.java:9)").site(2, "com.acme.Seg.copy(Seg.java:30)")
                    .record(1, "file.transferTo", "mapped", "none", "file", "file", 1, MIB, 0).with("reason", "append-target")
                    .record(2, "file.transferTo", "mapped", "none", "file", "file", 10, 64 * MIB, 0).with("reason", "sticky-flag")
                    .analyze();
            Finding sticky = at(report, TransferFallbackRule.ID, "com.acme.Seg.copy").get(0);
            assertTrue(sticky.evidence().get("earlier refusal").contains("com.acme.Log.roll"), sticky.evidence().toString());
        }

        @Test
        void directTransfersAreNotFallbacks() {
            assertTrue(of(Fixtures.analyze("transferTo-jdk17"), TransferFallbackRule.ID).isEmpty());
            assertTrue(of(Fixtures.analyze("transferTo-jdk25"), TransferFallbackRule.ID).isEmpty());
            assertTrue(of(Fixtures.analyze("filescopy-jdk25"), TransferFallbackRule.ID).isEmpty());
        }
    }

    @Nested
    class MappedSend {
        @Test
        void largeMappedSocketWriteSuggestsTransferTo() {
            List<Finding> f = of(Fixtures.analyze("mapped-jdk17"), MappedSendRule.ID);
            assertEquals(1, f.size());
            assertTrue(f.get(0).fix().contains("transferTo"));
            assertTrue(f.get(0).advice().contains("small random reads"));
        }

        @Test
        void theWritesOwnPageFaultsAndLoadsAreEvidence() {
            Fixtures.Builder b = new Fixtures.Builder(17).site(1, "com.acme.Idx.serve(Idx.java:3)")
                    .site(2, "com.acme.Idx.serve(Idx.java:9)").site(3, "com.acme.Idx.warm(Idx.java:20)");
            Report cold = b.record(1, "socket.write", "syscall", "mapped", "memory", "socket", 4, 32 * MIB, 0)
                    .with("pageFaultCalls", 4L).with("pageFaultsMinor", 410L).with("pageFaultsMajor", 6L)
                    .record(3, "mapped.load", "map", "none", "file", "memory", 1, 8 * MIB, 0).analyze();
            Finding f = of(cold, MappedSendRule.ID).get(0);
            assertEquals("410 minor, 6 major (read from storage), taken inside 4 of the 4 write calls by the writing"
                    + " threads; sendfile takes none: the minor ones are in the saving (the major ones read storage"
                    + " either way)", f.evidence().get("page faults in these writes"));
            assertEquals("0 MappedByteBuffer.load calls at this method (1 in the recording): the writes fault the pages"
                    + " in (the JDK's only madvise is load's MADV_WILLNEED)", f.evidence().get("load"));

            Report loaded = b.record(2, "mapped.load", "map", "none", "file", "memory", 2, 32 * MIB, 0)
                    .with("pageFaultCalls", 2L).with("pageFaultsMinor", 400L).with("pageFaultsMajor", 0L).analyze();
            assertEquals("2 MappedByteBuffer.load calls at this method (3 in the recording), which took 400 minor and"
                    + " 0 major page faults", of(loaded, MappedSendRule.ID).get(0).evidence().get("load"));
        }

        @Test
        void theMinorFaultsTheWritesMeasuredArePricedInTheSaving() {
            // given: mapped writes whose own minor faults were measured (make bench-samples: the copy-heavy mapped
            // send cost more than its copies), and the same writes unmeasured (kernel=off)
            Fixtures.Builder b = new Fixtures.Builder(17).site(1, "com.acme.Idx.serve(Idx.java:3)");
            Report measured = b.record(1, "socket.write", "syscall", "mapped", "memory", "socket", 4, 32 * MIB, 0)
                    .with("pageFaultCalls", 3L).with("pageFaultsMinor", 410L).with("pageFaultsMajor", 6L).analyze();
            Report unmeasured = new Fixtures.Builder(17).site(1, "com.acme.Idx.serve(Idx.java:3)")
                    .record(1, "socket.write", "syscall", "mapped", "memory", "socket", 4, 32 * MIB, 0).analyze();

            // when
            Saving with = of(measured, MappedSendRule.ID).get(0).saving();
            Saving without = of(unmeasured, MappedSendRule.ID).get(0).saving();

            // then: the 410 measured minor faults at the fixed 4,000 ns each, on top of the same copies and syscalls;
            // the major faults (storage reads) and the unmeasured call are not priced
            assertEquals(410, with.pageFaults());
            assertEquals(0, without.pageFaults());
            assertEquals(without.syscalls(), with.syscalls());
            assertEquals(Math.round(without.cpuCopiedBytes() / 10.0 + without.syscalls() * 250.0), without.estimatedNanos());
            assertEquals(without.estimatedNanos() + 410 * 4_000L, with.estimatedNanos());
            assertEquals("page faults in these writes: not measured (kernel=off, or an older agent): the mapping's page"
                    + " faults are not in the saving", "page faults in these writes: "
                    + of(unmeasured, MappedSendRule.ID).get(0).evidence().get("page faults in these writes"));
        }

        @Test
        void aLargeMappingsCopyIntoTheSocketIsPricedAtTheStreamingRateAlone() {
            // given: 256 MiB written from one mapping of 256 MiB (sample 06 maps its whole file), and from four
            // mappings of 8 MiB (they may well sit in a CPU cache), tied by flows to their map calls; sendfile through
            // lo would copy none of it (scatter-gather on). Until session 24 the large one added a "copy from no
            // cache" figure on top: the streaming rate already is a copy from no cache (sample 06 over-predicted)
            Report large = new Fixtures.Builder(17).loopbackOffload(true).site(1, "com.acme.Idx.map(Idx.java:3)")
                    .site(2, "com.acme.Idx.serve(Idx.java:9)")
                    .record(1, "file.map", "map", "none", "file", "memory", 1, 256 * MIB, 0)
                    .record(2, "socket.write", "syscall", "mapped", "memory", "socket", 256, 256 * MIB, 0)
                    .flow(0, 1, 256 * MIB, 256, false, false).analyze();
            Report small = new Fixtures.Builder(17).loopbackOffload(true).site(1, "com.acme.Idx.map(Idx.java:3)")
                    .site(2, "com.acme.Idx.serve(Idx.java:9)")
                    .record(1, "file.map", "map", "none", "file", "memory", 4, 32 * MIB, 0)
                    .record(2, "socket.write", "syscall", "mapped", "memory", "socket", 32, 32 * MIB, 0)
                    .flow(0, 1, 32 * MIB, 32, false, false).analyze();

            // when
            Finding big = of(large, MappedSendRule.ID).get(0);
            Finding cached = of(small, MappedSendRule.ID).get(0);

            // then: both copies are priced at the streaming rate (10 GB/s given) and their syscalls, nothing more
            assertEquals(256 * MIB, big.saving().cpuCopiedBytes());
            assertEquals(Math.round(256 * MIB / 10.0 + big.saving().syscalls() * 250.0), big.saving().estimatedNanos());
            assertEquals(Math.round(32 * MIB / 10.0 + cached.saving().syscalls() * 250.0), cached.saving().estimatedNanos());
            assertNull(big.evidence().get("copy from no cache"));
        }

        @Test
        void smallMappedSendsAreLeftAlone() {
            Report report = new Fixtures.Builder(17).site(1, "com.acme.Idx.serve(Idx.java:3)")
                    .record(1, "socket.write", "syscall", "mapped", "memory", "socket", 2_000, 2_000 * 512, 0).analyze();
            assertTrue(of(report, MappedSendRule.ID).isEmpty());
            assertTrue(of(Fixtures.analyze("transferTo-jdk17"), MappedSendRule.ID).isEmpty());
        }
    }

    @Nested
    class SmallIo {
        /** The socket peer hand-built socket writes go to. */
        static final String PEER = "/10.0.0.2:9092";
        static final String KAFKA_READ = "org.apache.kafka.common.network.PlaintextTransportLayer.read";
        static final String KAFKA_WRITE = "org.apache.kafka.common.network.PlaintextTransportLayer.write";

        @Test
        void tenThousandTinyWritesAreFoundWithModeSwitches() {
            List<Finding> f = of(Fixtures.analyze("tiny-jdk17"), SmallIoRule.ID);
            assertEquals(1, f.size()); // the writer, not the reader that received the small pieces
            assertEquals("Prog.tinyWrites", f.get(0).site().method());
            assertEquals(9_997, f.get(0).saving().syscalls());
            assertEquals(19_994, f.get(0).saving().modeSwitches());
            assertTrue(f.get(0).fix().contains("write(batch)"));
            assertTrue(f.get(0).advice().startsWith("Writing a few bytes per call"), f.get(0).advice());
        }

        @Test
        void savedSmallSocketSendsArePricedAsSmallSendsOtherCallsAsSyscalls() {
            // given: 20 000 writes of 128 B each to a socket and to a file; a small send at 1,500 ns, a syscall at 250
            // (make bench-samples: a 16-112 byte TCP send costs the sender ~1.5 us over veth, a /dev/null write 0.3)
            HostCost cost = HostCost.fixed(10, 250, 1_500, 4_000, HostCost.TYPICAL_FILE_COPY_OVERHEAD_NANOS_PER_KIB);
            Report report = new Fixtures.Builder(17).site(1, "com.acme.Chat.send(Chat.java:7)")
                    .site(2, "com.acme.Log.append(Log.java:9)")
                    .record(1, "socket.write", "syscall", "direct", "memory", "socket", 20_000, 20_000 * 128L, 0)
                    .record(2, "file.write", "syscall", "direct", "memory", "file", 20_000, 20_000 * 128L, 0)
                    .analyze(cost);

            // when
            Finding socket = at(report, SmallIoRule.ID, "com.acme.Chat.send").get(0);
            Finding file = at(report, SmallIoRule.ID, "com.acme.Log.append").get(0);

            // then: 20 000 - 40 (64 KiB chunks) calls saved on each; the socket's at the small-send cost
            assertEquals(19_960, socket.saving().syscalls());
            assertEquals(19_960 * 1_500L, socket.saving().estimatedNanos());
            assertEquals(19_960, file.saving().syscalls());
            assertEquals(19_960 * 250L, file.saving().estimatedNanos());
            assertTrue(socket.evidence().get("syscalls now / needed").endsWith("priced at a small send's cost, not a bare"
                    + " syscall's"), socket.evidence().toString());
            assertFalse(file.evidence().get("syscalls now / needed").contains("small send"), file.evidence().toString());
        }

        @Test
        void oneGatheringWriteIsNotSmallIo() {
            assertTrue(of(Fixtures.analyze("gather-jdk17"), SmallIoRule.ID).isEmpty());
            assertTrue(of(Fixtures.analyze("gather-jdk25"), SmallIoRule.ID).isEmpty());
        }

        @Test
        void oneGatheringWritePerResponseIsProtocolTraffic() {
            // given: a Kafka broker's connections: 100 000 responses of ~120 B, one gathering write each
            Report report = kafkaConnections(100_000, 0, 1).analyze();
            // then
            assertTrue(at(report, SmallIoRule.ID, KAFKA_WRITE).isEmpty(), () -> of(report, SmallIoRule.ID).toString());
            // large produce requests arriving in pieces: many reads per exchange, still one write each
            Report pieces = kafkaConnections(100_000, 900_000, 1).analyze();
            assertTrue(at(pieces, SmallIoRule.ID, KAFKA_WRITE).isEmpty(), () -> of(pieces, SmallIoRule.ID).toString());
        }

        @Test
        void aLengthPrefixReadApartFromItsBodyIsOneReadPerRequestTooMany() {
            // given: Kafka reads each request's 4-byte size, then its body: two complete reads per exchange
            Report report = kafkaConnections(200_000, 0, 1).analyze();
            // then: one read per exchange would do, 100 000 fewer
            Finding f = at(report, SmallIoRule.ID, KAFKA_READ).get(0);
            assertEquals(100_000, f.saving().syscalls());
            assertTrue(f.advice().startsWith("Each request takes more than one read"), f.advice());
            assertTrue(f.evidence().get("request/response").startsWith("100,000 socket.write calls to the same peer"),
                    f.evidence().toString());
            // one read per request is the protocol's pace; reads arriving in pieces are not complete reads
            assertTrue(of(kafkaConnections(100_000, 0, 1).analyze(), SmallIoRule.ID).isEmpty());
            assertTrue(of(kafkaConnections(100_000, 900_000, 1).analyze(), SmallIoRule.ID).isEmpty());
        }

        @Test
        void oneWritePerRequestIsProtocolTrafficForPlainWritesToo() {
            // given: an 8-byte ack per produce request, written by the method that reads the requests
            Report acks = new Fixtures.Builder(17)
                    .siteCalledFrom(1, "com.acme.Broker.readBatch(Broker.java:176)", "com.acme.Broker.serve(Broker.java:150)")
                    .siteCalledFrom(2, "com.acme.Broker.serve(Broker.java:160)", "com.acme.Broker.lambda$listen$0(Broker.java:120)")
                    .record(1, "socket.read", "syscall", "heap", "socket", "memory", 30_000, 30_000 * 65_536L, 30_000 * 65_536L)
                    .with("source", Fixtures.endpoint("socket", PEER, "/10.0.0.8:40120"))
                    .record(2, "socket.write", "syscall", "heap", "memory", "socket", 30_000, 30_000 * 8L, 30_000 * 8L)
                    .with("target", Fixtures.endpoint("socket", "/10.0.0.8:40120", PEER))
                    .analyze();
            assertTrue(of(acks, SmallIoRule.ID).isEmpty(), () -> of(acks, SmallIoRule.ID).toString());
            // java.net.Socket streams: a request/response server reading and answering in one class
            Report streams = new Fixtures.Builder(17)
                    .site(1, "com.acme.Rpc.readRequest(Rpc.java:30)").site(2, "com.acme.Rpc.writeResponse(Rpc.java:50)")
                    .record(1, "socket.stream.read", "syscall", "byte[]", "socket", "memory", 5_000, 5_000 * 200L, 5_000 * 200L)
                    .with("source", Fixtures.endpoint("socket", PEER))
                    .record(2, "socket.stream.write", "syscall", "byte[]", "memory", "socket", 5_000, 5_000 * 40L, 5_000 * 40L)
                    .analyze();
            assertTrue(of(streams, SmallIoRule.ID).isEmpty(), () -> of(streams, SmallIoRule.ID).toString());
        }

        @Test
        void tinyWritesBesideFewReadsFromTheSamePeerAreStillALoop() {
            // given: 10 000 tiny writes to a peer the same code reads from only 100 times
            Report report = new Fixtures.Builder(17)
                    .site(1, "com.acme.Feed.poll(Feed.java:10)").site(2, "com.acme.Feed.push(Feed.java:20)")
                    .record(1, "socket.read", "syscall", "direct", "socket", "memory", 100, 100 * 64L, 0)
                    .with("source", Fixtures.endpoint("socket", PEER))
                    .record(2, "socket.write", "syscall", "direct", "memory", "socket", 10_000, 160_000, 0)
                    .analyze();
            // then: at best one write per read: 9 900 syscalls to save
            Finding f = at(report, SmallIoRule.ID, "com.acme.Feed.push").get(0);
            assertEquals(9_900, f.saving().syscalls());
            assertTrue(f.evidence().get("request/response").startsWith("100 socket.read calls from the same peer"),
                    f.evidence().toString());
            assertTrue(f.advice().startsWith("Each response here takes more than one write"), f.advice());
        }

        @Test
        void comparableReadsElsewhereDoNotMakeALoopProtocolTraffic() {
            // a peer read as often, but by unrelated code (another class, another caller): a writer pumping tiny messages
            Report unrelated = new Fixtures.Builder(17)
                    .siteCalledFrom(1, "com.acme.Inbox.read(Inbox.java:10)", "com.acme.Inbox.run(Inbox.java:5)")
                    .siteCalledFrom(2, "com.acme.Pump.send(Pump.java:20)", "com.acme.Pump.run(Pump.java:8)")
                    .record(1, "socket.read", "syscall", "direct", "socket", "memory", 10_000, 160_000, 0)
                    .with("source", Fixtures.endpoint("socket", PEER)).with("bytesRequested", 10_000 * 65_536L)
                    .record(2, "socket.write", "syscall", "direct", "memory", "socket", 10_000, 160_000, 0)
                    .analyze();
            assertEquals(List.of("com.acme.Pump.send"), methods(of(unrelated, SmallIoRule.ID)));
            // related code, but reading another peer (a relay): the writes are not its answers
            Report otherPeer = new Fixtures.Builder(17)
                    .site(1, "com.acme.Relay.read(Relay.java:10)").site(2, "com.acme.Relay.write(Relay.java:20)")
                    .record(1, "socket.read", "syscall", "direct", "socket", "memory", 10_000, 160_000, 0)
                    .with("source", Fixtures.endpoint("socket", "/10.0.0.3:6000")).with("bytesRequested", 10_000 * 65_536L)
                    .record(2, "socket.write", "syscall", "direct", "memory", "socket", 10_000, 160_000, 0)
                    .analyze();
            assertEquals(List.of("com.acme.Relay.write"), methods(of(otherPeer, SmallIoRule.ID)));
            // without peer names nothing ties a read to a write
            Report noNames = new Fixtures.Builder(17)
                    .site(1, "com.acme.Rpc.read(Rpc.java:10)").site(2, "com.acme.Rpc.write(Rpc.java:20)")
                    .record(1, "socket.read", "syscall", "direct", "socket", "memory", 10_000, 160_000, 0)
                    .with("bytesRequested", 10_000 * 65_536L)
                    .record(2, "socket.write", "syscall", "direct", "memory", "socket", 10_000, 160_000, 0)
                    .with("target", Fixtures.endpoint("socket"))
                    .analyze();
            assertEquals(List.of("com.acme.Rpc.write"), methods(of(noNames, SmallIoRule.ID)));
        }

        @Test
        void aResponseWrittenInTwoCallsCanBeGatheredIntoOne() {
            // given: per request one read, then a header write and a body write
            Report report = new Fixtures.Builder(17)
                    .site(1, "com.acme.Http.read(Http.java:10)")
                    .site(2, "com.acme.Http.writeHeader(Http.java:20)").site(3, "com.acme.Http.writeBody(Http.java:30)")
                    .record(1, "socket.read", "syscall", "direct", "socket", "memory", 10_000, 10_000 * 300L, 0)
                    .with("source", Fixtures.endpoint("socket", PEER)).with("bytesRequested", 10_000 * 65_536L)
                    .with("partialCalls", 10_000L)
                    .record(2, "socket.write", "syscall", "direct", "memory", "socket", 10_000, 10_000 * 60L, 0)
                    .record(3, "socket.write", "syscall", "direct", "memory", "socket", 10_000, 10_000 * 900L, 0)
                    .analyze();
            // then: one write per exchange saves 10 000 syscalls, shared by the two writes
            List<Finding> f = of(report, SmallIoRule.ID);
            assertEquals(List.of("com.acme.Http.writeBody", "com.acme.Http.writeHeader"), methods(f).stream().sorted().toList());
            assertEquals(10_000, f.stream().mapToLong(x -> x.saving().syscalls()).sum());
            for (Finding x : f) {
                assertTrue(x.advice().contains("Gather a response's pieces into one write(ByteBuffer[])"), x.advice());
                assertTrue(x.fix().contains("one writev per exchange"), x.fix());
            }
        }

        @Test
        void gatheringWritesAreNeverToldToGather() {
            // two gathering writes per response (more than one per exchange), and gathering writes with no reads at all
            Report twoPerResponse = kafkaConnections(50_000, 0, 2).analyze();
            Report noReads = new Fixtures.Builder(17).site(1, "com.acme.Push.flush(Push.java:40)")
                    .record(1, "socket.write", "syscall", "direct", "memory", "socket", 5_000, 5_000 * 100L, 0)
                    .with("form", "gather").analyze();
            for (Report report : List.of(twoPerResponse, noReads)) {
                List<Finding> f = of(report, SmallIoRule.ID);
                assertEquals(1, f.size(), f.toString());
                assertFalse(f.get(0).advice().contains("Gather"), f.get(0).advice());
                assertTrue(f.get(0).title().contains("(gathering)"), f.get(0).title());
            }
            Finding alone = of(noReads, SmallIoRule.ID).get(0);
            assertTrue(alone.advice().startsWith("Each call is already one gathering write (writev)"), alone.advice());
            assertEquals(Confidence.MEDIUM, alone.confidence(), "whether messages are ready together is not recorded");
            Finding two = of(twoPerResponse, SmallIoRule.ID).get(0);
            assertTrue(two.advice().contains("Put all of a response's pieces in one write(ByteBuffer[])"), two.advice());
            assertEquals(50_000, two.saving().syscalls());
        }

        /**
         * Kafka broker connections: PlaintextTransportLayer reads {@code reads} complete calls plus {@code pieces}
         * partial ones, and writes 100 000 gathering writes of ~120 B, {@code writesPerResponse} per response.
         */
        private Fixtures.Builder kafkaConnections(long reads, long pieces, int writesPerResponse) {
            long writes = 100_000;
            return new Fixtures.Builder(17)
                    .siteCalledFrom(1, KAFKA_READ + "(PlaintextTransportLayer.java:118)",
                            "org.apache.kafka.common.network.NetworkReceive.readFrom(NetworkReceive.java:103)")
                    .siteCalledFrom(2, KAFKA_WRITE + "(PlaintextTransportLayer.java:160)",
                            "org.apache.kafka.common.network.ByteBufferSend.writeTo(ByteBufferSend.java:62)")
                    .record(1, "socket.read", "syscall", "heap", "socket", "memory", reads + pieces,
                            writes / writesPerResponse * 1_024, writes / writesPerResponse * 1_024)
                    .with("partialCalls", pieces).with("bytesRequested", writes / writesPerResponse * 1_024 + pieces * 512)
                    .with("source", Fixtures.endpoint("socket", "/10.0.0.7:51000", PEER))
                    .record(2, "socket.write", "syscall", "heap", "memory", "socket", writes, writes * 120, writes * 120)
                    .with("form", "gather")
                    .with("target", Fixtures.endpoint("socket", PEER, "/10.0.0.7:51000"));
        }

        private static List<String> methods(List<Finding> findings) {
            return findings.stream().map(f -> f.site().method()).toList();
        }

        @Test
        void singleByteStreamReadsSuggestBuffering() {
            Report report = new Fixtures.Builder(17).site(1, "com.acme.Conf.parse(Conf.java:12)")
                    .record(1, "stream.read", "syscall", "byte[]", "file", "memory", 50_000, 50_000, 50_000)
                    .with("form", "single-byte").analyze();
            Finding f = of(report, SmallIoRule.ID).get(0);
            assertTrue(f.fix().contains("BufferedInputStream"));
        }
    }

    @Nested
    class StreamIo {
        @Test
        void socketStreamBulkWritesAreFound() {
            Report report = new Fixtures.Builder(17).site(1, "com.acme.Http.send(Http.java:88)")
                    .record(1, "socket.stream.write", "syscall", "byte[]", "memory", "socket", 256, 32 * MIB, 32 * MIB)
                    .analyze();
            List<Finding> f = of(report, StreamIoRule.ID);
            assertEquals(1, f.size());
            assertEquals(32 * MIB, f.get(0).saving().cpuCopiedBytes());
            assertTrue(f.get(0).fix().contains("SocketChannel"));
        }

        @Test
        void fileStreamMallocPerCallIsEvidence() {
            Report report = new Fixtures.Builder(17).site(1, "com.acme.Dump.write(Dump.java:5)")
                    .record(1, "stream.write", "syscall", "byte[]", "memory", "file", 64, 4 * MIB, 4 * MIB)
                    .with("nativeAllocations", 64L).analyze();
            assertTrue(of(report, StreamIoRule.ID).get(0).evidence().containsKey("malloc per call"));
        }

        @Test
        void streamsInsideAFileCopyLoopAreReportedOnceAsTheLoop() {
            Report report = Fixtures.analyze("streams-jdk17");
            assertTrue(at(report, StreamIoRule.ID, "Prog.streamCopy").isEmpty());
            assertEquals(1, at(report, ReadWriteLoopRule.ID, "Prog.streamCopy").size());
            assertTrue(of(Fixtures.analyze("direct-jdk17"), StreamIoRule.ID).isEmpty());
        }
    }

    @Nested
    class Tls {
        @Test
        void tlsIsALimitationWithBytesAffectedAndWhatItCosts() {
            for (String name : List.of("tls-jdk17", "tls-jdk25")) {
                List<Finding> f = of(Fixtures.analyze(name), TlsRule.ID);
                assertEquals(1, f.size(), name); // the handshake's few bytes are not a finding
                assertEquals(FindingKind.LIMITATION, f.get(0).kind());
                assertTrue(f.get(0).saving().isNone(), "not a saving the JDK can give");
                assertTrue(f.get(0).advice().contains("kTLS"));
                assertTrue(f.get(0).advice().contains("0 user-space copies for sendfile-able data"), f.get(0).advice());
                assertTrue(f.get(0).advice().contains("The JDK has no kTLS"), f.get(0).advice());
                assertTrue(f.get(0).evidence().get("file data encrypted").startsWith("4.0 MiB read from files in the same method"));
                // 4 MiB of file data encrypted (3 copies/byte where sendfile makes 1) and 4 MiB decrypted (2 where a read makes 1)
                assertEquals(2 * 4 * MIB + 4_204_070, f.get(0).cost().cpuCopiedBytes(), name);
                assertEquals(Fixtures.COST.nanos(f.get(0).cost().cpuCopiedBytes(), 0), f.get(0).cost().estimatedNanos());
                assertTrue(f.get(0).evidence().get("CPU copies per byte").startsWith("file data sent 3 through the TLS path "
                        + "(read into user memory, encrypt, write) vs 1 without TLS (sendfile"), f.get(0).evidence().toString());
            }
        }

        @Test
        void tlsRanksByWhatItCostsAmongTheOpportunities() {
            // 12 MiB of copies TLS adds outrank the two 4 MiB heap-buffer savings
            Report report = Fixtures.analyze("tls-jdk25");
            assertEquals(TlsRule.ID, report.findings().get(0).rule());
            assertEquals(8 * MIB, report.totalSaving().cpuCopiedBytes(), "a cost is not a saving");
            // 512 KiB of memory encrypted costs 512 KiB: below a 4 MiB heap-buffer saving, above the unexplained and good
            Report small = new Fixtures.Builder(17)
                    .site(1, "com.acme.Api.respond(Api.java:40)").site(2, "com.acme.Net.send(Net.java:9)")
                    .site(3, "com.acme.Files.serve(Files.java:5)")
                    .record(1, "tls.wrap", "tls-engine", "heap", "memory", "tls-engine", 64, 512 * 1024, 0)
                    .record(2, "socket.write", "syscall", "heap", "memory", "socket", 64, 4 * MIB, 4 * MIB)
                    .record(3, "file.transferTo", "direct", "none", "file", "socket", 4, 4 * MIB, 0)
                    .kernel(Fixtures.perfKernel(Map.of("write", 90_000L)))
                    .analyze();
            assertEquals(List.of("heap-buffer", "tls", "kernel-unexplained", "zero-copy"),
                    small.findings().stream().map(Finding::rule).toList());
            Finding tls = of(small, TlsRule.ID).get(0);
            assertEquals(512 * 1024, tls.cost().cpuCopiedBytes()); // encrypt + write where a write alone does
            assertTrue(tls.evidence().get("CPU copies per byte").startsWith("sent 2 through the TLS path (encrypt, write) "
                    + "vs 1 without TLS (write)"), tls.evidence().toString());
            assertFalse(tls.evidence().containsKey("file data encrypted"));
        }

        @Test
        void brokerShapedTlsFetchShowsTheSendfilePathItLostPerListenerAndPeer() {
            // given: LogBroker.transferFrom reads a segment chunk (LogSegment.read) and hands it to TlsChannel.write,
            // which wraps it and flushes the ciphertext to the consumer's socket from a heap buffer
            String transferFromRead = "com.acme.LogBroker.transferFrom(LogBroker.java:260)";
            String transferFromWrite = "com.acme.LogBroker.transferFrom(LogBroker.java:262)";
            String serve = "com.acme.LogBroker.serveTlsConsumer(LogBroker.java:250)";
            String run = "java.lang.Thread.run(Thread.java:840)";
            Report report = new Fixtures.Builder(17)
                    .siteCalledFrom(1, "com.acme.LogSegment.read(LogSegment.java:50)", transferFromRead, serve, run)
                    .siteCalledFrom(2, "com.acme.TlsChannel.wrap(TlsChannel.java:70)", "com.acme.TlsChannel.write(TlsChannel.java:62)",
                            transferFromWrite, serve, run)
                    .siteCalledFrom(3, "com.acme.TlsChannel.flush(TlsChannel.java:78)", "com.acme.TlsChannel.wrap(TlsChannel.java:73)",
                            "com.acme.TlsChannel.write(TlsChannel.java:62)", transferFromWrite, serve, run)
                    .siteCalledFrom(4, "com.acme.Config.load(Config.java:12)", "com.acme.Main.start(Main.java:30)", run)
                    .record(1, "file.read", "syscall", "direct", "file", "memory", 512, 16 * MIB, 0)
                    .record(2, "tls.wrap", "tls-engine", "direct", "memory", "tls-engine", 1_024, 16 * MIB, 0)
                    .with("threads", List.of("broker-fetch-tls-#"))
                    .record(2, "tls.wrap", "tls-engine", "heap", "memory", "tls-engine", 24, 288, 0)
                    .with("threads", List.of("broker-fetch-tls-#", "pool-#-thread-#"))
                    .record(3, "socket.write", "syscall", "heap", "memory", "socket", 1_024, 16 * MIB + 30_000, 16 * MIB + 30_000)
                    .with("target", Fixtures.endpoint("socket", "/127.0.0.1:40001", "/127.0.0.1:40002"))
                    .record(4, "file.read", "syscall", "heap", "file", "memory", 8, 2 * MIB, 2 * MIB)
                    .analyze();
            // then
            Finding f = at(report, TlsRule.ID, "com.acme.TlsChannel.wrap").get(0);
            assertEquals("16.0 MiB read from files by code that goes on to encrypt (from the stacks): with plaintext this "
                    + "could be sendfile", f.evidence().get("file data encrypted"), "the segment read, not the configuration");
            assertEquals(2 * 16 * MIB + 288, f.cost().cpuCopiedBytes()); // 2 more per file byte, 1 per other byte
            assertEquals("broker-fetch-tls-#: 16.0 MiB encrypted, 0 B decrypted; broker-fetch-tls-# + pool-#-thread-#: "
                    + "288 B encrypted, 0 B decrypted", f.evidence().get("by thread group (listener)"));
            String flush = f.evidence().get("socket.write com.acme.TlsChannel.flush(TlsChannel.java:78) (heap buffer)");
            assertTrue(flush != null && flush.endsWith("to socket /127.0.0.1:40001, /127.0.0.1:40002")
                    && flush.contains("2.00 CPU copies/byte"), f.evidence().toString());
            // ranked first: 32 MiB of copies TLS adds, above the 16 MiB heap copy of the flush
            assertEquals(TlsRule.ID, report.findings().get(0).rule());
            assertEquals(HeapBufferRule.ID, report.findings().get(1).rule());
        }

        @Test
        void noTlsRecordsNoTlsFinding() {
            assertTrue(of(Fixtures.analyze("heap-jdk17"), TlsRule.ID).isEmpty());
        }
    }

    @Nested
    class KernelCrossCheck {
        @Test
        void kernelWritesFarAboveTheRecordsAreUnexplained() {
            Report report = Analysis.analyze(Fixtures.withKernel("heap-jdk17",
                    Fixtures.perfKernel(Map.of("write", 50_000L, "read", 300L, "sendfile64", 25L))), Fixtures.COST);
            List<Finding> f = of(report, KernelCrossCheckRule.ID);
            assertEquals(2, f.size(), f.toString());
            assertTrue(f.stream().anyMatch(x -> x.title().contains("write family")));
            assertTrue(f.stream().anyMatch(x -> x.title().contains("sendfile") && x.confidence() == Confidence.MEDIUM));
            assertTrue(f.stream().allMatch(x -> x.kind() == FindingKind.UNEXPLAINED));
        }

        @Test
        void kernelCountsTheRecordsExplainRaiseNothing() {
            Report report = Analysis.analyze(Fixtures.withKernel("heap-jdk17",
                    Fixtures.perfKernel(Map.of("write", 700L, "read", 400L, "mmap", 900L))), Fixtures.COST);
            assertTrue(of(report, KernelCrossCheckRule.ID).isEmpty());
            assertTrue(report.crossCheck().available());
        }

        @Test
        void procCountsAreComparedToo() {
            Map<String, Object> kernel = new java.util.LinkedHashMap<>(Fixtures.perfKernel(Map.of()));
            kernel.put("source", "proc");
            kernel.put("fallbackReason", "perf_event_open: EACCES");
            kernel.put("proc", Map.of("rchar", 1L, "wchar", 1L, "syscr", 200L, "syscw", 90_000L));
            Report report = Analysis.analyze(Fixtures.withKernel("heap-jdk17", kernel), Fixtures.COST);
            assertTrue(report.crossCheck().note().contains("EACCES"));
            assertEquals(1, of(report, KernelCrossCheckRule.ID).size());
        }

        @Test
        void withoutAKernelSectionTheRuleIsSilentAndTheReportSaysSo() {
            Report report = Analysis.analyze(Fixtures.withKernel("heap-jdk17", null), Fixtures.COST);
            assertTrue(of(report, KernelCrossCheckRule.ID).isEmpty());
            assertFalse(report.crossCheck().available());
            assertTrue(report.crossCheck().note().startsWith("unavailable"));
            Map<String, Object> off = new java.util.LinkedHashMap<>();
            off.put("source", "off");
            off.put("fallbackReason", "kernel=off");
            Report offReport = Analysis.analyze(Fixtures.withKernel("heap-jdk17", off), Fixtures.COST);
            assertFalse(offReport.crossCheck().available());
            assertTrue(offReport.crossCheck().note().contains("kernel=off"));
        }
    }

    @Nested
    class ZeroCopy {
        @Test
        void directTransfersAreGoodWithTheirVolume() {
            for (String name : List.of("transferTo-jdk17", "transferTo-jdk25", "filescopy-jdk17", "filescopy-jdk25")) {
                Report report = Fixtures.analyze(name);
                List<Finding> good = of(report, ZeroCopyRule.ID);
                assertEquals(1, good.size(), name);
                assertEquals(4 * MIB, good.get(0).bytes(), name);
                // no false alarm at the same site
                String method = good.get(0).site().method();
                assertTrue(report.findings(FindingKind.OPPORTUNITY).stream()
                        .noneMatch(f -> f.site() != null && f.site().method().equals(method)), name);
            }
            Finding jdk25 = of(Fixtures.analyze("transferTo-jdk25"), ZeroCopyRule.ID).get(0);
            assertTrue(jdk25.evidence().get("mechanism").contains("copy_file_range(EINVAL)+sendfile"));
        }

        @Test
        void noDirectPathNoGoodFinding() {
            assertTrue(of(Fixtures.analyze("heap-jdk17"), ZeroCopyRule.ID).isEmpty());
        }
    }
}
