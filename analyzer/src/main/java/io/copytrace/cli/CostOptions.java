// SPDX-License-Identifier: Apache-2.0
package io.copytrace.cli;

import io.copytrace.analysis.HostCost;
import io.copytrace.analysis.ShortDistanceCopy;
import java.io.IOException;
import java.net.InetSocketAddress;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * How to price saved copies, syscalls, small sends, page faults, kernel file copies and thread hand-offs: calibrate
 * on this host, or use the given figures.
 */
final class CostOptions {
    @Option(names = "--memcpy-gbps", paramLabel = "GB/s",
            description = "memcpy bandwidth for CPU-time estimates (default: measured at report time)")
    Double memcpyGbps;

    @Option(names = "--syscall-ns", paramLabel = "NS",
            description = "cost of one syscall in ns for CPU-time estimates (default: measured at report time)")
    Double syscallNs;

    @Option(names = "--socket-send-ns", paramLabel = "NS",
            description = "sender's cost of one small TCP send in ns (default: measured at report time on loopback;"
                    + " typical figure when --memcpy-gbps and --syscall-ns are given)")
    Double socketSendNs;

    @Option(names = "--minor-fault-ns", paramLabel = "NS",
            description = "cost of one minor page fault on a file mapping in ns (default: measured at report time;"
                    + " typical figure when --memcpy-gbps and --syscall-ns are given)")
    Double minorFaultNs;

    @Option(names = "--file-copy-overhead-ns", paramLabel = "NS",
            description = "CPU per KiB of a kernel file copy (Files.copy) beyond its one page copy, in ns (default:"
                    + " measured at report time; typical figure when --memcpy-gbps and --syscall-ns are given)")
    Double fileCopyOverheadNs;

    @Option(names = "--context-switch-ns", paramLabel = "NS",
            description = "CPU of one thread hand-off (a voluntary context switch and the wake-up that ends it) in ns"
                    + " (default: measured at report time; typical figure when --memcpy-gbps and --syscall-ns are given)")
    Double contextSwitchNs;

    @Option(names = "--cross-core-ns-per-kib", paramLabel = "NS",
            description = "CPU per KiB that one thread fills and another uses (the memory moving between the cores'"
                    + " caches, both sides), in ns (default: measured at report time; typical figure when --memcpy-gbps"
                    + " and --syscall-ns are given)")
    Double crossCoreNsPerKib;

    @Option(names = "--short-distance-copy-ns-per-kib", paramLabel = "AHEAD,APART", converter = ShortDistance.class,
            description = "the kernel's copy into user memory 1-15 bytes ahead of its source's page offset, and the same"
                    + " 64 bytes apart, in ns per KiB; where the first is 1.5x the second or more, socket-read findings"
                    + " say to page-align their buffers (default: measured at report time; none when --memcpy-gbps and"
                    + " --syscall-ns are given)")
    ShortDistanceCopy.Measured shortDistanceCopy;

    @Option(names = "--socket-send-peer", paramLabel = "HOST:PORT", converter = Peer.class,
            description = "measure the small TCP send's cost by sending to this peer, which must discard what it"
                    + " receives, instead of over loopback: the path whose sends are priced")
    InetSocketAddress socketSendPeer;

    HostCost hostCost() throws IOException {
        try {
            return given();
        } catch (IOException e) { // only the sends to --socket-send-peer throw
            throw new IOException("--socket-send-peer " + socketSendPeer + ": " + e.getMessage(), e);
        }
    }

    /** AHEAD,APART: two positive numbers of ns per KiB. */
    static final class ShortDistance implements ITypeConverter<ShortDistanceCopy.Measured> {
        @Override
        public ShortDistanceCopy.Measured convert(String value) {
            String[] parts = value.split(",");
            try {
                if (parts.length == 2) {
                    double ahead = Double.parseDouble(parts[0].trim()), apart = Double.parseDouble(parts[1].trim());
                    if (ahead > 0 && apart > 0) return new ShortDistanceCopy.Measured(ahead, apart);
                }
            } catch (NumberFormatException bad) {
                // below
            }
            throw new TypeConversionException("expected AHEAD,APART (two positive ns per KiB), got '" + value + "'");
        }
    }

    /** HOST:PORT, as an unresolved-if-need-be socket address. */
    static final class Peer implements ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String value) {
            int colon = value.lastIndexOf(':');
            try {
                if (colon > 0) return new InetSocketAddress(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
            } catch (IllegalArgumentException bad) {
                // below
            }
            throw new TypeConversionException("expected HOST:PORT, got '" + value + "'");
        }
    }

    private HostCost given() throws IOException {
        if (memcpyGbps != null && syscallNs != null) {
            HostCost fixed = HostCost.fixed(memcpyGbps, syscallNs, or(socketSendNs, HostCost.TYPICAL_SOCKET_SEND_NANOS),
                    or(minorFaultNs, HostCost.TYPICAL_MINOR_FAULT_NANOS),
                    or(fileCopyOverheadNs, HostCost.TYPICAL_FILE_COPY_OVERHEAD_NANOS_PER_KIB),
                    or(contextSwitchNs, HostCost.TYPICAL_CONTEXT_SWITCH_NANOS),
                    or(crossCoreNsPerKib, HostCost.TYPICAL_CROSS_CORE_NANOS_PER_KIB));
            if (shortDistanceCopy != null) fixed = fixed.withShortDistanceCopy(shortDistanceCopy);
            // a peer measures the small send when it is not given; the others stay as given
            return socketSendPeer == null || socketSendNs != null ? fixed
                    : fixed.withSmallSendMeasuredTo(socketSendPeer);
        }
        // with a peer the sends are measured to it only, not over loopback first
        HostCost measured = socketSendPeer == null ? HostCost.measure() : HostCost.measureSendingTo(socketSendPeer);
        // a given memcpy rate is the rate of every copy; the measured ones keep their cached rate
        return new HostCost(or(memcpyGbps, measured.memcpyBytesPerNano()), or(syscallNs, measured.syscallNanos()),
                or(memcpyGbps, measured.cachedCopyBytesPerNano()), or(socketSendNs, measured.socketSendNanos()),
                or(minorFaultNs, measured.minorFaultNanos()),
                or(fileCopyOverheadNs, measured.fileCopyOverheadNanosPerKib()),
                or(contextSwitchNs, measured.contextSwitchNanos()),
                or(crossCoreNsPerKib, measured.crossCoreNanosPerKib()),
                shortDistanceCopy != null ? shortDistanceCopy : measured.shortDistanceCopy(), measured.calibration());
    }

    private static double or(Double given, double otherwise) {
        return given != null ? given : otherwise;
    }
}
