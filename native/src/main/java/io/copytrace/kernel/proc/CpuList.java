// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.proc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The kernel's CPU list syntax ({@code 0-3,8,10-11}), as in {@code /sys/devices/system/cpu/online}. */
public final class CpuList {
    /** CPUs that can run tasks now; per-CPU ring buffers are opened for each. */
    public static final Path ONLINE = Path.of("/sys/devices/system/cpu/online");

    private CpuList() {
    }

    public static List<Integer> parse(String text) {
        List<Integer> cpus = new ArrayList<>();
        for (String part : text.trim().split(",")) {
            if (part.isEmpty()) {
                continue;
            }
            int dash = part.indexOf('-');
            if (dash < 0) {
                cpus.add(Integer.parseInt(part.trim()));
            } else {
                int from = Integer.parseInt(part.substring(0, dash).trim());
                int to = Integer.parseInt(part.substring(dash + 1).trim());
                for (int cpu = from; cpu <= to; cpu++) {
                    cpus.add(cpu);
                }
            }
        }
        return cpus;
    }

    /** Online CPUs; falls back to {@code 0..availableProcessors-1} when the file is unreadable. */
    public static List<Integer> online() {
        try {
            return parse(ProcSnapshot.readString(ONLINE));
        } catch (IOException | RuntimeException e) {
            List<Integer> cpus = new ArrayList<>();
            for (int cpu = 0; cpu < Runtime.getRuntime().availableProcessors(); cpu++) {
                cpus.add(cpu);
            }
            return cpus;
        }
    }
}
