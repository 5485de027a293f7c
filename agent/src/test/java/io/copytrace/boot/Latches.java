// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import java.util.concurrent.CountDownLatch;

/** Waiting on a latch inside a test thread's lambda, where a checked exception cannot go. */
final class Latches {
    private Latches() {}

    /** Waits for {@code latch}; an interrupt ends the wait and is kept on the thread. */
    static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
