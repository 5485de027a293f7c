// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SendPriceTest {
    @Test
    void aSmallSendIsTheMedianRoundsCpuPerSend() {
        List<Map<String, Long>> rounds = List.of(send(150_000_000), send(170_000_000), send(160_000_000));

        assertEquals(1_600.0, SendPrice.nanosPerSend(rounds), 1e-9);
    }

    private static Map<String, Long> send(long senderNanos) {
        return Map.of("sends", 100_000L, "time.sender-cpu-ns", senderNanos);
    }
}
