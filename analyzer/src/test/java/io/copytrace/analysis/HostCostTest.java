// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The calibrations of a small TCP send, a minor fault and a kernel file copy, and where each figure comes from. */
class HostCostTest {

    @Test
    void aSmallTcpSendIsMeasuredOverLoopback() {
        // when
        OptionalDouble send = SocketSendCost.measure();

        // then: measured (not the typical fallback), a positive and sane CPU time per send
        assertTrue(send.isPresent(), "loopback TCP could not be measured");
        assertTrue(send.getAsDouble() > 20 && send.getAsDouble() < 1_000_000, () -> "ns per send: " + send);
        assertTrue(HostCost.measure().socketSendNanos() > 20);
    }

    @Test
    void aThreadHandOffIsMeasuredPerVoluntarySwitchWithBothThreadsOnOneCpu() {
        // when
        Optional<ContextSwitchCost.Measured> handOff = ContextSwitchCost.measure();

        // then: switches were counted and timed: a positive and sane CPU time per switch (a wake-up and a switch
        // cost microseconds, not nanoseconds and not milliseconds)
        assertTrue(handOff.isPresent(), "no voluntary switch counted while two threads ping-ponged");
        double ns = handOff.get().nanosPerSwitch();
        assertTrue(ns > 100 && ns < 1_000_000, () -> "ns per hand-off: " + handOff);
        // and on Linux with taskset (the build machine) both threads ran pinned to one and the same CPU, as /proc
        // said after the rounds: a figure that silently fell back to the unpinned phase-dependent one fails here
        if (CpuAffinity.allowed().isEmpty() || !CpuAffinity.tasksetAvailable()) {
            assertFalse(handOff.get().pinned(), () -> "pinned without taskset: " + handOff);
            return;
        }
        assertTrue(handOff.get().pinned(), () -> "not pinned: " + handOff);
        assertEquals(1, handOff.get().measuringCpus().size(), () -> "measuring thread: " + handOff);
        assertEquals(handOff.get().measuringCpus(), handOff.get().partnerCpus(), () -> "partner thread: " + handOff);
        // the calibration's threads are its own and gone; the caller's affinity is what it was
        assertEquals(CpuAffinity.allowed(), CpuAffinity.allowed(Path.of("/proc/thread-self/status")));
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("copytrace-calibration-handoff")), "a hand-off thread is left");
    }

    @Test
    void aKernelCpuListIsParsed() {
        assertEquals(List.of(0, 1, 2, 3, 6), CpuAffinity.parseList("0-3,6"));
        assertEquals(List.of(5), CpuAffinity.parseList("5"));
    }

    @Test
    void memoryHandedBetweenCoresIsMeasuredAndItsThreadEnds() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "one CPU");
        // when
        OptionalDouble crossCore = CrossCoreCost.measure();

        // then: a sane figure per KiB (the build machine: 50–110 ns), and the filling thread is gone
        assertTrue(crossCore.isPresent(), "two threads passing buffers could not be timed");
        assertTrue(crossCore.getAsDouble() >= 0 && crossCore.getAsDouble() < 10_000, () -> "ns per KiB: " + crossCore);
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("copytrace-calibration-cross-core")), "the filler thread is left");
    }

    @Test
    void copiesWhoseThreadWasTakenOffItsCpuDoNotInflateMemoryBetweenCores() {
        // given: a round's 1,024 copies each way, 64 KiB each: alone 1.8 µs per fill and 1.3 per use, handed between
        // cores 8.2 and 1.9 (this machine's medians), and three copies that waited out a 4 ms scheduler tick
        long[] fillAlone = times(1_800), useAlone = times(1_300), fill = times(8_200), use = times(1_900);
        fill[10] += 4_000_000;
        fill[500] += 4_000_000;
        use[900] += 4_000_000;

        // when
        double figure = CrossCoreCost.perKib(fill, use, fillAlone, useAlone);

        // then: the copies' own cost, (8.2 + 1.9 - 1.8 - 1.3) µs per 64 KiB; the ticks' sum would add 183 ns per KiB
        assertEquals(7_000 / 64.0, figure, 1e-9);
    }

    private static long[] times(long nanos) {
        long[] t = new long[CrossCoreCost.CHUNKS];
        java.util.Arrays.fill(t, nanos);
        return t;
    }

    @Test
    void aMinorFaultOfAFileMappingIsMeasured(@TempDir Path dir) throws IOException {
        // when
        OptionalDouble fault;
        try (CalibrationFile file = CalibrationFile.create(dir)) {
            fault = PageFaultCost.measure(file);
        }

        // then: faults were counted and timed: a positive and sane CPU time per fault
        assertTrue(fault.isPresent(), "no minor fault counted while touching a fresh mapping");
        assertTrue(fault.getAsDouble() > 20 && fault.getAsDouble() < 10_000_000, () -> "ns per fault: " + fault);
    }

    @Test
    void aKernelFileCopysCostBeyondItsPageCopyIsMeasuredAndItsFilesRemoved(@TempDir Path dir) throws IOException {
        // given
        HostCost copies = HostCost.measureInApp();

        // when
        FileCopyCost.Measured m;
        try (CalibrationFile file = CalibrationFile.create(dir)) {
            m = FileCopyCost.measure(copies, file).orElseThrow(
                    () -> new AssertionError("Files.copy and the loop could not be timed in " + dir));
        }

        // then: both ways timed, positive and sane per KiB; the loop, with one more page copy and two syscalls a
        // chunk, the dearer; the kernel copy's overhead at least 0 (a median may find none) and a part of its cost
        assertTrue(m.kernelNanosPerKib() > 1 && m.kernelNanosPerKib() < 1_000_000, m.toString());
        assertTrue(m.loopNanosPerKib() > m.kernelNanosPerKib(), m.toString());
        assertTrue(m.overheadNanosPerKib() >= 0 && m.overheadNanosPerKib() < m.kernelNanosPerKib(), m.toString());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void aSendCostCanBeMeasuredToAPeerThatDiscards() throws Exception {
        // given: a discarding peer, as the benchmark's sink in a network namespace would be
        try (ServerSocketChannel server = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Thread peer = new Thread(() -> {
                try (SocketChannel in = server.accept()) {
                    ByteBuffer buffer = ByteBuffer.allocateDirect(64 << 10);
                    while (in.read(buffer.clear()) >= 0) {
                        // discard
                    }
                } catch (IOException ignored) {
                    // closed
                }
            });
            peer.start();

            // when
            HostCost cost = HostCost.fixed(10, 250)
                    .withSmallSendMeasuredTo((InetSocketAddress) server.getLocalAddress());
            peer.join(5_000);

            // then: the small send is measured, the given figures stay
            assertTrue(cost.socketSendNanos() > 20 && cost.socketSendNanos() != HostCost.TYPICAL_SOCKET_SEND_NANOS,
                    cost.toString());
            assertEquals(250, cost.syscallNanos());
            assertEquals(HostCost.Calibration.MEASURED, cost.calibration());
        }
        // nobody listening: an error, not a typical figure in disguise
        int closed;
        try (ServerSocketChannel gone = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            closed = ((InetSocketAddress) gone.getLocalAddress()).getPort();
        }
        int port = closed;
        assertThrows(IOException.class, () -> HostCost.fixed(10, 250)
                .withSmallSendMeasuredTo(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
    }

    @Test
    void inTheAppsJvmNoSocketOrFileIsOpenedAndTheFiguresSaySo() {
        // when
        HostCost inApp = HostCost.measureInApp();

        // then: copies in the cache and syscalls measured; copies of memory in no cache (they need a large array),
        // sends and faults the typical figures, and the report says so
        assertEquals(HostCost.Calibration.MEASURED_IN_APP, inApp.calibration());
        assertTrue(inApp.measured());
        assertTrue(inApp.syscallNanos() > 10, inApp.toString());
        assertEquals(HostCost.TYPICAL_MEMCPY_BYTES_PER_NANO, inApp.memcpyBytesPerNano());
        assertEquals(HostCost.TYPICAL_SOCKET_SEND_NANOS, inApp.socketSendNanos());
        assertEquals(HostCost.TYPICAL_MINOR_FAULT_NANOS, inApp.minorFaultNanos());
        assertEquals(HostCost.TYPICAL_FILE_COPY_OVERHEAD_NANOS_PER_KIB, inApp.fileCopyOverheadNanosPerKib());
        assertEquals(HostCost.TYPICAL_CONTEXT_SWITCH_NANOS, inApp.contextSwitchNanos());
        assertEquals(HostCost.TYPICAL_CROSS_CORE_NANOS_PER_KIB, inApp.crossCoreNanosPerKib());
        assertTrue(inApp.calibration().text().contains("copies of memory in no CPU cache, socket sends, page faults,"
                + " kernel file copies, thread hand-offs and memory between cores at typical figures"));
        assertTrue(inApp.calibration().text().contains("no socket, file, thread or large array is made in the app"));
    }
}
