// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.proc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The few process and sysctl facts that decide whether perf may be used, and TCP's default congestion control. */
public final class KernelSettings {
    /** {@code kernel.perf_event_paranoid}. */
    public static final Path PERF_EVENT_PARANOID = Path.of("/proc/sys/kernel/perf_event_paranoid");

    private KernelSettings() {
    }

    /** {@code net.ipv4.tcp_congestion_control}: the congestion control a connection takes unless its route sets one. */
    public static final Path TCP_CONGESTION_CONTROL = Path.of("/proc/sys/net/ipv4/tcp_congestion_control");

    /** The host's default TCP congestion control (this network namespace's), or null when unreadable. */
    public static String tcpCongestionControl() {
        try {
            return ProcSnapshot.readString(TCP_CONGESTION_CONTROL).strip();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The paranoid level, or {@link Integer#MIN_VALUE} when unreadable. */
    public static int perfEventParanoid(Path file) {
        try {
            return Integer.parseInt(ProcSnapshot.readString(file).trim());
        } catch (IOException | RuntimeException e) {
            return Integer.MIN_VALUE;
        }
    }

    /** Whether {@code procPid/status} shows CAP_PERFMON or CAP_SYS_ADMIN in the effective set. */
    public static boolean mayBypassParanoid(Path procPid) {
        try {
            ProcStatus status = ProcStatus.parse(ProcSnapshot.readString(procPid.resolve("status")));
            return status.hasCapability(ProcStatus.CAP_PERFMON) || status.hasCapability(ProcStatus.CAP_SYS_ADMIN);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The thread ids under {@code procPid/task}, ascending; empty when unreadable. Listed as names (java.io), not
     * Paths: the window's end lists them at the JVM's exit, where each object is interpreted work.
     */
    public static List<Integer> taskIds(Path procPid) {
        String[] names;
        try {
            names = procPid.resolve("task").toFile().list();
        } catch (RuntimeException e) {
            return List.of();
        }
        if (names == null) return List.of();
        List<Integer> tids = new ArrayList<>(names.length);
        for (String name : names) {
            try {
                tids.add(Integer.parseInt(name));
            } catch (NumberFormatException e) {
                // Not a task directory.
            }
        }
        Collections.sort(tids);
        return tids;
    }
}
