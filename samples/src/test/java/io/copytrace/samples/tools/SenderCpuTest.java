// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SenderCpuTest {
    /**
     * Six samples of a real {@code perf script --ns -F tid,time,ip,sym} run (session 20, sample 02 with
     * {@code --send=transferTo} over veth): one before the timed run (no kernel frames), four inside it (a sendfile's
     * skb allocation, the NET_RX softirq run on the sendfile's way out, a sample on the softirq loop's own frame
     * after a timer interrupt, a timer softirq's TCP pacing), one after it.
     */
    private static final String FIXTURE = "perf-script-sample02-transferTo.txt";

    private static final long RUN_START = 57_959_915_692_378L, RUN_END = 57_960_273_586_043L;

    @Test
    void onlyTheReceiveSoftirqsSamplesLeaveTheSender() throws IOException {
        // when
        List<SenderCpu.Split> splits = SenderCpu.split(fixture(), new long[][] {{RUN_START, RUN_END}});

        // then: 4 samples in the run, 1 of them under net_rx_action; the softirq loop's own and the timer's stay (the
        // softirq loop's ran when tcp_write_xmit switched interrupts on: held off)
        assertEquals(List.of(new SenderCpu.Split(4, 1, Map.of(), 1)), splits);
        assertEquals(3_000_000, splits.get(0).senderNanos());
        assertEquals(4_000_000, splits.get(0).cpuNanos());
    }

    @Test
    void eachSampleCountsInTheRunWhoseWindowHoldsIt() throws IOException {
        // given: the first window ends between the receive sample (…917.78) and the softirq loop's (…924.63)
        long[][] windows = {{57_959_000_000_000L, 57_959_920_000_000L}, {57_959_920_000_000L, 57_961_000_000_000L}};

        // when
        List<SenderCpu.Split> splits = SenderCpu.split(fixture(), windows);

        // then: the sample before the run, the sendfile one and the receive one; then the last three
        assertEquals(List.of(new SenderCpu.Split(3, 1), new SenderCpu.Split(3, 0, Map.of(), 1)), splits);
    }

    @Test
    void theSendersSamplesAreCountedByThreadGroupTooWhenTheScriptNamesTheThreads() throws IOException {
        // given: four samples of a real perf script -F comm,tid,time,ip,sym (sample 09's fixed variant over loopback):
        // the produce thread in the interpreter, C2 compiling, the fetch thread's sendfile once in the NET_RX softirq
        // it ran on its way out and once not
        BufferedReader script = new BufferedReader(new InputStreamReader(
                SenderCpuTest.class.getResourceAsStream("perf-script-sample09-threads.txt"), StandardCharsets.UTF_8));

        // when
        List<SenderCpu.Split> splits = SenderCpu.split(script, new long[][] {{0, Long.MAX_VALUE}});

        // then: the receive sample is no thread's; a name with a blank is one group; trailing digits go
        assertEquals(4, splits.get(0).samples());
        assertEquals(1, splits.get(0).receiveSamples());
        assertEquals(Map.of("broker-produce-", 1L, "C2 CompilerThre", 1L, "broker-fetch-", 1L),
                splits.get(0).senderByThreads());
        assertEquals("GC Thread#", SenderCpu.threadGroup("GC Thread#1"));
    }

    @Test
    void theSendersSamplesWhereTcpWriteXmitSwitchedInterruptsOnAreCountedApart() throws IOException {
        // given: three samples of a real perf script -F comm,tid,time,ip,sym (session 23: sendfile over veth to a
        // receiver on the other CPU): one on the unlock tcp_write_xmit called, one on the softirqs a timer interrupt
        // ran when that unlock switched interrupts on, one on an unlock of the page cache's LRU
        BufferedReader script = new BufferedReader(new InputStreamReader(
                SenderCpuTest.class.getResourceAsStream("perf-script-held-off.txt"), StandardCharsets.UTF_8));

        // when
        List<SenderCpu.Split> splits = SenderCpu.split(script, new long[][] {{0, Long.MAX_VALUE}});

        // then: the first two, still the sender's
        assertEquals(new SenderCpu.Split(3, 0, Map.of("java", 3L), 2), splits.get(0));
        assertEquals(2_000_000, splits.get(0).heldOffNanos());
    }

    @Test
    void aSampleInTheReceiveProcessingIsNotTheSendersHeldOffOne() throws IOException {
        // given: the receive processing's own transmit (an ACK) switching interrupts on, under net_rx_action
        BufferedReader script = new BufferedReader(new StringReader("""
                java 1 1.000000001:
                \tffffffff82203249 _raw_spin_unlock_irqrestore
                \tffffffff8202a23b tcp_write_xmit
                \tffffffff81e5a0b1 net_rx_action

                """));

        // when
        List<SenderCpu.Split> splits = SenderCpu.split(script, new long[][] {{0, Long.MAX_VALUE}});

        // then
        assertEquals(new SenderCpu.Split(1, 1), splits.get(0));
    }

    @Test
    void aSampleWithoutItsTimeIsAnError() {
        BufferedReader script = new BufferedReader(new StringReader("21419 57959.915182599\n\tffff net_rx_action\n"));

        assertThrows(IllegalArgumentException.class, () -> SenderCpu.split(script, new long[][] {{0, Long.MAX_VALUE}}));
    }

    @Test
    void aRunWithoutItsWindowIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> SenderCpu.measure(java.nio.file.Path.of("/nonexistent"),
                List.of(Map.of("time.cpu-ns", 1L))));
    }

    @Test
    void perfRecordWrapsTheCommandWithOneSamplePerMillisecondOfCpu() {
        List<String> cmd = SenderCpu.wrap(List.of("java", "-version"), java.nio.file.Path.of("/tmp/x.data"));

        assertEquals(List.of("perf", "record", "-q", "-e", "cpu-clock", "-c", "1000000", "-g", "--kernel-callchains",
                "--clockid", "monotonic", "-o", "/tmp/x.data", "--", "java", "-version"), cmd);
    }

    private static BufferedReader fixture() {
        return new BufferedReader(new InputStreamReader(SenderCpuTest.class.getResourceAsStream(FIXTURE),
                StandardCharsets.UTF_8));
    }
}
