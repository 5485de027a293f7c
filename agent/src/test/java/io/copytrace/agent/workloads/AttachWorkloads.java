// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.workloads;

import java.nio.file.Path;

/** For the dynamic attach: a JVM that has done its I/O long before the agent arrives. */
final class AttachWorkloads {
    private AttachWorkloads() {}

    /**
     * For a dynamic attach: the heap loop three times (so the JDK's I/O methods are loaded, linked and
     * JIT-compiled), then READY and the pid, then, after a line on stdin, the loop once more.
     */
    static void attachLoop(Path dir) throws Exception {
        for (int i = 0; i < 3; i++) FileChannelWorkloads.copyLoop(dir, false);
        System.out.println("READY " + ProcessHandle.current().pid());
        System.out.flush();
        new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
        FileChannelWorkloads.copyLoop(dir, false);
    }
}
