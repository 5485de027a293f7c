// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.nic;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.copytrace.kernel.perf.JnaStart;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the two interface offloads sendfile's cost depends on with the {@code SIOCETHTOOL} ioctl (the legacy
 * get commands {@code ETHTOOL_GSG} and {@code ETHTOOL_GTXCSUM}, which current kernels still answer from the
 * active feature bits), on a throwaway datagram socket: no {@code ethtool} binary, no privilege. Memory comes
 * from {@code malloc}, not JNA's {@code Memory}, so nothing waits on JNA's cleaner.
 */
public final class Ethtool {
    /** {@code <linux/sockios.h>} */
    static final long SIOCETHTOOL = 0x8946;
    static final int ETHTOOL_GTXCSUM = 0x16;
    static final int ETHTOOL_GSG = 0x18;
    /** {@code IFNAMSIZ}: an interface name and its NUL fit in 16 bytes. */
    static final int IFNAMSIZ = 16;
    /** At most this many interfaces are read per window (containers may have hundreds of veths). */
    public static final int MAX_INTERFACES = 64;

    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    // struct ifreq is 40 bytes on LP64: the name, then the union whose ifr_data points at the command.
    private static final int IFREQ_DATA = IFNAMSIZ;
    private static final int IFREQ_SIZE = 40;
    // struct ethtool_value { __u32 cmd; __u32 data; } placed right after the ifreq
    private static final int VALUE = IFREQ_SIZE;

    /** The libc calls the ioctl needs. */
    interface Libc extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        int ioctl(int fd, long request, long arg) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private Ethtool() {}

    /** Every interface of {@code /sys/class/net}, by name, at most {@link #MAX_INTERFACES}. */
    public static List<Offloads> readAll() {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/sys/class/net"))) {
            s.map(p -> p.getFileName().toString()).sorted().limit(MAX_INTERFACES).forEach(names::add);
        } catch (IOException | RuntimeException x) {
            return List.of(Offloads.unreadable("*", "cannot list /sys/class/net: " + x.getMessage()));
        }
        return read(names);
    }

    /** The features of the named interfaces, one socket for all; never throws. */
    public static List<Offloads> read(List<String> names) {
        List<Offloads> out = new ArrayList<>();
        Libc c;
        int fd;
        try {
            JnaStart.init();
            c = Native.load("c", Libc.class);
            fd = c.socket(AF_INET, SOCK_DGRAM, 0);
        } catch (Throwable t) {
            for (String n : names) out.add(Offloads.unreadable(n, "no ioctl: " + t.getMessage()));
            return out;
        }
        long mem = Native.malloc(IFREQ_SIZE + 8);
        try {
            if (mem == 0) throw new OutOfMemoryError("malloc");
            for (String n : names) out.add(read(c, fd, mem, n));
        } catch (Throwable t) {
            for (int i = out.size(); i < names.size(); i++) out.add(Offloads.unreadable(names.get(i), t.toString()));
        } finally {
            if (mem != 0) Native.free(mem);
            try {
                c.close(fd);
            } catch (LastErrorException ignored) {
                // a close that fails leaves nothing to undo
            }
        }
        return out;
    }

    private static Offloads read(Libc c, int fd, long mem, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length == 0 || bytes.length >= IFNAMSIZ) return Offloads.unreadable(name, "not an interface name");
        try {
            return new Offloads(name, get(c, fd, mem, bytes, ETHTOOL_GSG), get(c, fd, mem, bytes, ETHTOOL_GTXCSUM), null);
        } catch (LastErrorException x) {
            return Offloads.unreadable(name, "SIOCETHTOOL: " + errno(x.getErrorCode()));
        }
    }

    private static Boolean get(Libc c, int fd, long mem, byte[] name, int cmd) {
        Pointer p = new Pointer(mem);
        p.clear(IFREQ_SIZE + 8);
        p.write(0, name, 0, name.length);
        p.setLong(IFREQ_DATA, mem + VALUE);
        p.setInt(VALUE, cmd);
        try {
            c.ioctl(fd, SIOCETHTOOL, mem);
        } catch (LastErrorException x) {
            if (x.getErrorCode() == 95) return null; // EOPNOTSUPP: this one feature is not reported
            throw x;
        }
        return p.getInt(VALUE + 4) != 0;
    }

    private static String errno(int code) {
        return switch (code) {
            case 19 -> "no such device (ENODEV)";
            case 95 -> "not supported by the driver (EOPNOTSUPP)";
            case 1, 13 -> "not permitted (EPERM/EACCES)";
            default -> "errno " + code;
        };
    }
}
