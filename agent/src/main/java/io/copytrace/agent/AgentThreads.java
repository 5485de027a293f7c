// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import io.copytrace.boot.Probe;

/** The agent's own threads: daemons whose I/O is never recorded (each tells the probe so before its work). */
final class AgentThreads {
    private AgentThreads() {}

    /** A daemon thread named {@code name} that runs {@code body} unrecorded; not started. */
    static Thread named(String name, Runnable body) {
        Thread t = new Thread(() -> {
            Probe.suppressCurrentThread();
            body.run();
        }, name);
        t.setDaemon(true);
        return t;
    }

    /** A thread for the native bridge (its thread factory). */
    static Thread kernel(Runnable body) {
        return named("copytrace-kernel", body);
    }
}
