// SPDX-License-Identifier: Apache-2.0
package io.copytrace.cli;

import io.copytrace.analysis.HostCost;
import picocli.CommandLine.Option;

/** How to price saved copies and syscalls: calibrate on this host, or use the given figures. */
final class CostOptions {
    @Option(names = "--memcpy-gbps", paramLabel = "GB/s",
            description = "memcpy bandwidth for CPU-time estimates (default: measured at report time)")
    Double memcpyGbps;

    @Option(names = "--syscall-ns", paramLabel = "NS",
            description = "cost of one syscall in ns for CPU-time estimates (default: measured at report time)")
    Double syscallNs;

    HostCost hostCost() {
        if (memcpyGbps != null && syscallNs != null) return HostCost.fixed(memcpyGbps, syscallNs);
        HostCost measured = HostCost.measure();
        // a given memcpy rate is the rate of every copy; the measured ones keep their cached rate
        return new HostCost(memcpyGbps != null ? memcpyGbps : measured.memcpyBytesPerNano(),
                syscallNs != null ? syscallNs : measured.syscallNanos(), memcpyGbps == null || syscallNs == null,
                memcpyGbps != null ? memcpyGbps : measured.cachedCopyBytesPerNano());
    }
}
