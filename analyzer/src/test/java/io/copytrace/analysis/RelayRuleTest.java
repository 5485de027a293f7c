// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The relay rule on hand-built recordings with flows: what is a relay, what is not, and what it saves. */
class RelayRuleTest {
    static final long MiB = 1 << 20;

    private static List<Finding> relays(Report report) {
        return report.findings().stream().filter(f -> f.rule().equals(RelayRule.ID)).toList();
    }

    /** A file read at one site (record 0) and a socket write at another (record 1), 16 MiB each. */
    private static Fixtures.Builder fileToSocket(String buffer, long jvmCopied) {
        return new Fixtures.Builder(17)
                .site(1, "com.acme.files.ChunkReader.readChunk(ChunkReader.java:50)")
                .site(2, "com.acme.net.ChunkWriter.writeChunk(ChunkWriter.java:41)")
                .record(1, "file.read", "syscall", buffer, "file", "memory", 256, 16 * MiB, jvmCopied)
                .with("form", "positional")
                .record(2, "socket.write", "syscall", buffer, "memory", "socket", 256, 16 * MiB, jvmCopied);
    }

    @Test
    void aReadAndAWriteInDifferentClassesLinkedByMemoryAreOneRelay() {
        Report report = fileToSocket("direct", 0).flow(0, 1, 16 * MiB, 256, true, false).analyze();

        List<Finding> relays = relays(report);
        assertEquals(1, relays.size(), report.findings().toString());
        Finding relay = relays.get(0);
        assertEquals(FindingKind.OPPORTUNITY, relay.kind());
        assertEquals(16 * MiB, relay.bytes());
        assertTrue(relay.where().startsWith("com.acme.files.ChunkReader.readChunk("), relay.where());
        assertTrue(relay.title().contains("transferTo"), relay.title());
        assertEquals(16 * MiB, relay.saving().cpuCopiedBytes()); // 2 -> 1 copy per byte
        assertEquals(256, relay.saving().syscalls()); // the reads go; one transfer per write stays
        assertTrue(relay.evidence().get("threads").contains("handed"), relay.evidence().toString());
        assertEquals(Confidence.HIGH, relay.confidence());
    }

    /** A proc kernel section whose per-thread view lists these groups: name, voluntary switches, syscr + syscw. */
    private static Map<String, Object> threadView(Object[]... groups) {
        List<Object> rows = new java.util.ArrayList<>();
        for (Object[] g : groups) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("group", g[0]);
            row.put("own", false);
            row.put("threads", 1L);
            row.put("syscr", g[2]);
            row.put("syscw", 0L);
            row.put("voluntaryContextSwitches", g[1]);
            rows.add(row);
        }
        return Map.of("source", "proc", "threads", Map.of("threadsAtStart", 20L, "threadsAtEnd", 22L, "byGroup", rows));
    }

    /** The file → socket relay with the reader's and the writer's thread groups named on its records. */
    private static Fixtures.Builder handedOff() {
        return new Fixtures.Builder(17)
                .site(1, "com.acme.files.ChunkReader.readChunk(ChunkReader.java:50)")
                .site(2, "com.acme.net.ChunkWriter.writeChunk(ChunkWriter.java:41)")
                .record(1, "file.read", "syscall", "direct", "file", "memory", 256, 16 * MiB, 0)
                .with("form", "positional").with("threads", List.of("chunk-reader"))
                .record(2, "socket.write", "syscall", "direct", "memory", "socket", 256, 16 * MiB, 0)
                .with("threads", List.of("chunk-writer"))
                .flow(0, 1, 16 * MiB, 256, true, false);
    }

    @Test
    void handOffsArePricedFromTheRelaysThreadsVoluntarySwitches() {
        // given: the reader's and the writer's groups, each doing only the relay's 256 calls, 300 + 100 switches
        HostCost cost = HostCost.fixed(10, 250, 450, 4_000, 15, 3_000);
        Fixtures.Builder relay = handedOff().kernel(threadView(new Object[] {"chunk-reader", 300L, 256L},
                new Object[] {"chunk-writer", 100L, 256L}, new Object[] {"C# CompilerThre", 5_000L, 44L}));

        // when
        Finding f = relays(relay.analyze(cost)).get(0);

        // then: copies and syscalls as before, the 16 MiB between cores at the typical 80 ns per KiB, plus 400
        // hand-offs at 3,000 ns; the compiler's switches not counted
        long copiesAndCalls = Math.round(16 * MiB / 10.0 + 256 * 250.0) + CROSS_CORE;
        assertEquals(copiesAndCalls + 400 * 3_000, f.saving().estimatedNanos());
        String line = f.evidence().get("hand-offs");
        assertTrue(line.contains("chunk-reader 300") && line.contains("chunk-writer 100"), line);
        assertTrue(line.contains("400 hand-offs at 3,000 ns each"), line);
        assertTrue(line.contains("An estimate: the counts are exact"), line);

        // and threads that do other I/O too: the relay's share of their calls prices its share of their switches
        Finding busy = relays(handedOff().kernel(threadView(new Object[] {"chunk-reader", 300L, 1_024L},
                new Object[] {"chunk-writer", 100L, 1_024L})).analyze(cost)).get(0);
        assertEquals(copiesAndCalls + 100 * 3_000, busy.saving().estimatedNanos()); // 512 of 2,048 calls: a quarter
    }

    /** 16 MiB handed between threads at the typical 80 ns per KiB. */
    private static final long CROSS_CORE = Math.round(16 * 1024 * HostCost.TYPICAL_CROSS_CORE_NANOS_PER_KIB);

    @Test
    void bytesHandedToAnotherThreadArePricedForTheirTripBetweenCoresWhenTheFixRunsOnOneThread() {
        // given: the same relay read and written on one thread, and handed from the reader to the writer
        Finding same = relays(fileToSocket("direct", 0).flow(0, 1, 16 * MiB, 256, false, false).analyze()).get(0);
        Finding handed = relays(handedOff().analyze()).get(0);

        // then: the handed-off 16 MiB at the host's figure (80 ns per KiB given), said in its own line
        assertEquals(same.saving().estimatedNanos() + 16 * 1024 * 80, handed.saving().estimatedNanos());
        assertTrue(handed.evidence().get("between cores").startsWith("16.0 MiB filled by one thread and used by"
                + " another"), handed.evidence().toString());
        assertFalse(same.evidence().containsKey("between cores"));

        // a fix that keeps the threads (socket → file: direct buffers, reader and writer as they are) keeps the trip
        Finding kept = relays(new Fixtures.Builder(17)
                .site(1, "com.acme.Broker.receive(Broker.java:10)").site(2, "com.acme.Log.append(Log.java:20)")
                .record(1, "socket.read", "syscall", "heap", "socket", "memory", 100, 8 * MiB, 8 * MiB)
                .record(2, "file.write", "syscall", "heap", "memory", "file", 100, 8 * MiB, 8 * MiB)
                .flow(0, 1, 8 * MiB, 100, true, false).analyze()).get(0);
        assertFalse(kept.evidence().containsKey("between cores"), kept.evidence().toString());
    }

    @Test
    void withoutTheThreadsCountsTheHandOffsAreNotPricedAndTheFindingSaysWhy() {
        long copiesAndCalls = Math.round(16 * MiB / 10.0 + 256 * 250.0) + CROSS_CORE;
        // no kernel view (kernel=off)
        Finding off = relays(handedOff().analyze()).get(0);
        assertEquals(copiesAndCalls, off.saving().estimatedNanos());
        assertTrue(off.evidence().get("hand-offs").contains("not in the saving: the recording has no per-thread kernel"
                + " view"), off.evidence().toString());
        // the writer's group not in the view (it ended before a reading)
        Finding ended = relays(handedOff().kernel(threadView(new Object[] {"chunk-reader", 300L, 256L})).analyze()).get(0);
        assertEquals(copiesAndCalls, ended.saving().estimatedNanos());
        assertTrue(ended.evidence().get("hand-offs").contains("no context switches for chunk-writer"), ended.evidence().toString());
        // read and written on one thread: no hand-off to price, no line, nothing between cores
        Finding same = relays(fileToSocket("direct", 0).flow(0, 1, 16 * MiB, 256, false, false)
                .kernel(threadView(new Object[] {"chunk-reader", 300L, 256L})).analyze()).get(0);
        assertEquals(copiesAndCalls - CROSS_CORE, same.saving().estimatedNanos());
        assertTrue(!same.evidence().containsKey("hand-offs"), same.evidence().toString());
    }

    @Test
    void heapBuffersOnBothSidesAreExplainedByTheRelayNotTwice() {
        Report report = fileToSocket("heap", 16 * MiB).flow(0, 1, 16 * MiB, 256, false, false).analyze();

        assertEquals(1, relays(report).size());
        assertEquals(48 * MiB, relays(report).get(0).saving().cpuCopiedBytes()); // 4 -> 1
        assertTrue(report.findings().stream().noneMatch(f -> f.rule().equals("heap-buffer")), report.findings().toString());
        assertEquals(48 * MiB, report.totalSaving().cpuCopiedBytes());
    }

    @Test
    void aFileToFileRelaysSavingIsLessWhatTheKernelCopyCostsBeyondItsPageCopy() {
        // given: a file read at one site and a file write at another, linked by memory, 16 MiB
        Fixtures.Builder fileToFile = new Fixtures.Builder(17)
                .site(1, "com.acme.files.ChunkReader.readChunk(ChunkReader.java:50)")
                .site(2, "com.acme.files.ChunkStore.store(ChunkStore.java:41)")
                .record(1, "file.read", "syscall", "direct", "file", "memory", 256, 16 * MiB, 0)
                .with("form", "positional")
                .record(2, "file.write", "syscall", "direct", "memory", "file", 256, 16 * MiB, 0)
                .flow(0, 1, 16 * MiB, 256, true, false);

        // when: a kernel file copy free beyond its page copy, and one at 100 ns per KiB beyond it
        Finding free = relays(fileToFile.analyze(HostCost.fixed(10, 250, 450, 4_000, 0))).get(0);
        Finding dear = relays(fileToFile.analyze(HostCost.fixed(10, 250, 450, 4_000, 100))).get(0);

        // then: 2 -> 1 copy per byte and the reads saved either way (and the bytes' trip between the reading and the
        // writing thread's cores); 16 Ki KiB x 100 ns off the estimate
        assertEquals(16 * MiB, dear.saving().cpuCopiedBytes());
        assertEquals(Math.round(16 * MiB / 10.0 + 256 * 250.0) + CROSS_CORE, free.saving().estimatedNanos());
        assertEquals(Math.round(16 * MiB / 10.0 + 256 * 250.0) + CROSS_CORE - 16 * 1024 * 100, dear.saving().estimatedNanos());
        assertTrue(dear.evidence().get("the fix's own cost").contains("100 ns per KiB"), dear.evidence().toString());
    }

    @Test
    void memoryReadOnceAndWrittenManyTimesIsACacheNotARelay() {
        Report report = new Fixtures.Builder(17)
                .site(1, "com.acme.Cache.load(Cache.java:10)")
                .site(2, "com.acme.Server.send(Server.java:20)")
                .record(1, "file.read", "syscall", "direct", "file", "memory", 1, 4 * MiB, 0)
                .record(2, "socket.write", "syscall", "direct", "memory", "socket", 400, 16 * MiB, 0)
                .flow(0, 1, 16 * MiB, 400, true, false)
                .analyze();

        assertEquals(List.of(), relays(report));
    }

    @Test
    void withoutFlowsNothingIsLinked() {
        assertEquals(List.of(), relays(fileToSocket("direct", 0).analyze()));
    }

    @Test
    void writesOfUnknownSourceAreNoRelay() {
        assertEquals(List.of(), relays(fileToSocket("direct", 0).flow(null, 1, 16 * MiB, 256, false, false).analyze()));
    }

    @Test
    void aFrameworkCopyOnTheWayIsOneMoreCopyPerByte() {
        Report report = new Fixtures.Builder(17)
                .site(1, "io.netty.handler.stream.ChunkedFile.readChunk(ChunkedFile.java:149)")
                .site(2, "io.netty.channel.nio.AbstractNioChannel.newDirectBuffer(AbstractNioChannel.java:470)")
                .site(3, "io.netty.channel.socket.nio.NioSocketChannel.doWrite(NioSocketChannel.java:414)")
                .record(1, "stream.read", "syscall", "byte[]", "file", "memory", 2048, 16 * MiB, 16 * MiB)
                .record(2, "framework.copy", "none", "heap", "memory", "memory", 2048, 16 * MiB, 16 * MiB)
                .record(3, "socket.write", "syscall", "direct", "memory", "socket", 2048, 16 * MiB, 0)
                .flow(0, 2, 16 * MiB, 2048, false, true)
                .analyze();

        Finding relay = relays(report).get(0);
        assertTrue(relay.title().contains("DefaultFileRegion instead of ChunkedFile"), relay.title());
        assertTrue(relay.evidence().get("copies per byte now").startsWith("4.00"), relay.evidence().toString());
        assertEquals(48 * MiB, relay.saving().cpuCopiedBytes());
        // the JNI copy and Netty's copy are the relay's: no stream-io finding saves them again
        assertEquals(1, report.findings().stream().filter(f -> f.kind() == FindingKind.OPPORTUNITY).count(),
                report.findings().toString());
    }

    @Test
    void socketToFileWithDirectBuffersIsNoFindingWithHeapBuffersTheJvmCopiesGo() {
        Fixtures.Builder direct = new Fixtures.Builder(17)
                .site(1, "com.acme.Broker.receive(Broker.java:10)").site(2, "com.acme.Log.append(Log.java:20)")
                .record(1, "socket.read", "syscall", "direct", "socket", "memory", 100, 8 * MiB, 0)
                .record(2, "file.write", "syscall", "direct", "memory", "file", 100, 8 * MiB, 0)
                .flow(0, 1, 8 * MiB, 100, true, false);
        assertEquals(List.of(), relays(direct.analyze()));

        Report heap = new Fixtures.Builder(17)
                .site(1, "com.acme.Broker.receive(Broker.java:10)").site(2, "com.acme.Log.append(Log.java:20)")
                .record(1, "socket.read", "syscall", "heap", "socket", "memory", 100, 8 * MiB, 8 * MiB)
                .record(2, "file.write", "syscall", "heap", "memory", "file", 100, 8 * MiB, 8 * MiB)
                .flow(0, 1, 8 * MiB, 100, true, false)
                .analyze();
        assertEquals(1, relays(heap).size());
        assertEquals(16 * MiB, relays(heap).get(0).saving().cpuCopiedBytes()); // 4 -> 2
    }

    @Test
    void aHeapBufferAllocatedPerReadIsInTheSavingAReusedOneIsNot() {
        // given: the broker's produce path (sample 09): a socket → file relay through a new heap buffer per request
        Report perCall = brokerRelay(100, 100 * 80 * 1024).analyze();
        Report reused = brokerRelay(1, 80 * 1024).analyze();
        Report uncounted = new Fixtures.Builder(17)
                .site(1, "com.acme.Broker.receive(Broker.java:10)").site(2, "com.acme.Log.append(Log.java:20)")
                .record(1, "socket.read", "syscall", "heap", "socket", "memory", 100, 8 * MiB, 8 * MiB)
                .record(2, "file.write", "syscall", "heap", "memory", "file", 100, 8 * MiB, 8 * MiB)
                .flow(0, 1, 8 * MiB, 100, true, false).analyze();

        // then: 100 fresh arrays for 100 reads: zeroing their 8,000 KiB at the copy rate (10 GB/s given) is saved
        Finding fresh = relays(perCall).get(0);
        long base = relays(uncounted).get(0).saving().estimatedNanos();
        assertEquals(base + Math.round(100 * 80 * 1024 / 10.0), fresh.saving().estimatedNanos());
        assertTrue(fresh.evidence().get("fresh buffers").startsWith("100 heap arrays (7.8 MiB)"),
                fresh.evidence().toString());
        assertEquals(fresh.saving().cpuCopiedBytes(), relays(uncounted).get(0).saving().cpuCopiedBytes());
        // one buffer for all the reads: the fix allocates its own too, nothing saved, nothing said
        Finding once = relays(reused).get(0);
        assertEquals(base, once.saving().estimatedNanos());
        assertFalse(once.evidence().containsKey("fresh buffers"));
    }

    @Test
    void aSocketRelayThatKeepsItsReadsSaysHowToAllocateTheirBufferWhereThisHostNeedsIt() {
        HostCost slow = Fixtures.COST.withShortDistanceCopy(new ShortDistanceCopy.Measured(340, 55));
        // the broker's produce path: socket → file, fixed with direct buffers, so its reads stay
        Finding produce = relays(brokerRelay(1, 80 * 1024).analyze(slow)).get(0);
        assertTrue(produce.evidence().containsKey("receive buffer"), produce.evidence().toString());
        assertFalse(relays(brokerRelay(1, 80 * 1024).analyze()).get(0).evidence().containsKey("receive buffer"));
    }

    private static Fixtures.Builder brokerRelay(long freshArrays, long freshBytes) {
        return new Fixtures.Builder(17)
                .site(1, "com.acme.Broker.receive(Broker.java:10)").site(2, "com.acme.Log.append(Log.java:20)")
                .record(1, "socket.read", "syscall", "heap", "socket", "memory", 100, 8 * MiB, 8 * MiB)
                .with("freshArrays", freshArrays).with("freshArrayBytes", freshBytes)
                .record(2, "file.write", "syscall", "heap", "memory", "file", 100, 8 * MiB, 8 * MiB)
                .flow(0, 1, 8 * MiB, 100, true, false);
    }

    @Test
    void aRelayThatIsASmallPartOfBusyHeapRecordsLeavesTheirCopiesToTheHeapBufferFindings() {
        // 2 MiB of 8 MiB read and written: the heap-buffer findings keep the records and save their copies
        Report report = new Fixtures.Builder(17)
                .site(1, "com.acme.Broker.receive(Broker.java:10)").site(2, "com.acme.Log.append(Log.java:20)")
                .record(1, "socket.read", "syscall", "heap", "socket", "memory", 100, 8 * MiB, 8 * MiB)
                .record(2, "file.write", "syscall", "heap", "memory", "file", 100, 8 * MiB, 8 * MiB)
                .flow(0, 1, 2 * MiB, 25, true, false)
                .analyze();
        assertEquals(List.of(), relays(report));
        assertEquals(2, report.findings().stream().filter(f -> f.rule().equals("heap-buffer")).count());
        assertEquals(16 * MiB, report.totalSaving().cpuCopiedBytes());
    }

    @Test
    void aProxyIsALimitationTheJdkHasNoSplice() {
        Report report = new Fixtures.Builder(17)
                .site(1, "com.acme.Proxy.in(Proxy.java:10)").site(2, "com.acme.Proxy.out(Proxy.java:20)")
                .record(1, "socket.read", "syscall", "direct", "socket", "memory", 100, 8 * MiB, 0)
                .record(2, "socket.write", "syscall", "direct", "memory", "socket", 100, 8 * MiB, 0)
                .flow(0, 1, 8 * MiB, 100, true, false)
                .analyze();
        Finding relay = relays(report).get(0);
        assertEquals(FindingKind.LIMITATION, relay.kind());
        assertTrue(relay.advice().contains("splice"), relay.advice());
        assertTrue(relay.saving().isNone());
        // a proxy reading into a new heap buffer per request: nothing said to be "in the saving" of a limitation
        Finding heapProxy = relays(new Fixtures.Builder(17)
                .site(1, "com.acme.Proxy.in(Proxy.java:10)").site(2, "com.acme.Proxy.out(Proxy.java:20)")
                .record(1, "socket.read", "syscall", "heap", "socket", "memory", 100, 8 * MiB, 8 * MiB)
                .with("freshArrays", 100L).with("freshArrayBytes", 8 * MiB)
                .record(2, "socket.write", "syscall", "heap", "memory", "socket", 100, 8 * MiB, 8 * MiB)
                .flow(0, 1, 8 * MiB, 100, true, false).analyze()).get(0);
        assertEquals(FindingKind.LIMITATION, heapProxy.kind());
        assertFalse(heapProxy.evidence().containsKey("fresh buffers"), heapProxy.evidence().toString());
        assertFalse(heapProxy.evidence().containsKey("between cores"), heapProxy.evidence().toString());
    }

    @Test
    void aReadWriteLoopInOneMethodStaysALoop() {
        Report report = new Fixtures.Builder(17)
                .site(1, "com.acme.Copy.copy(Copy.java:10)").site(2, "com.acme.Copy.copy(Copy.java:12)")
                .record(1, "file.read", "syscall", "direct", "file", "memory", 256, 16 * MiB, 0)
                .record(2, "socket.write", "syscall", "direct", "memory", "socket", 256, 16 * MiB, 0)
                .flow(0, 1, 16 * MiB, 256, false, false)
                .analyze();
        assertEquals(List.of(), relays(report));
        assertEquals(1, report.findings().stream().filter(f -> f.rule().equals("read-write-loop")).count());
    }
}
