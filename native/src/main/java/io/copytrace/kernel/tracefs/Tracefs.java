// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.tracefs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where the kernel publishes tracepoint ids and formats: tracefs, normally at
 * {@code /sys/kernel/tracing}, on older systems only under debugfs at {@code /sys/kernel/debug/tracing}.
 */
public final class Tracefs {
    /** The mount points tried, in order. */
    public static final Path[] MOUNT_POINTS = {Path.of("/sys/kernel/tracing"), Path.of("/sys/kernel/debug/tracing")};

    private final Path root;

    public Tracefs(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /**
     * The first mount point that has {@code events/syscalls}.
     *
     * @throws TracefsUnavailableException with advice when none is usable
     */
    public static Tracefs locate() throws TracefsUnavailableException {
        for (Path mountPoint : MOUNT_POINTS) {
            Path syscalls = mountPoint.resolve("events/syscalls");
            try {
                if (Files.isDirectory(syscalls)) {
                    Files.readAllBytes(syscalls.resolve("sys_enter_write/id"));
                    return new Tracefs(mountPoint);
                }
                if (Files.isDirectory(mountPoint) && !Files.isReadable(mountPoint)) {
                    throw new AccessDeniedException(mountPoint.toString());
                }
            } catch (AccessDeniedException e) {
                throw new TracefsUnavailableException("tracefs at " + mountPoint
                        + " is readable only by root (mode 0700), so the syscall tracepoint ids cannot be read: "
                        + "run as root, or remount it readable for your group (mount -o remount,gid=GROUP,mode=750 "
                        + mountPoint + ")");
            } catch (IOException e) {
                // Try the next mount point.
            }
        }
        return raiseNotMounted();
    }

    private static Tracefs raiseNotMounted() throws TracefsUnavailableException {
        throw new TracefsUnavailableException("tracefs is not mounted (no " + MOUNT_POINTS[0]
                + "/events/syscalls), or the kernel lacks CONFIG_FTRACE_SYSCALLS: as root run "
                + "'mount -t tracefs nodev /sys/kernel/tracing' (add it to /etc/fstab to keep it)");
    }

    /** The id of {@code events/<subsystem>/<event>}, or -1 when the event does not exist. */
    public int eventId(String subsystem, String event) throws IOException {
        try {
            return Integer.parseInt(read(subsystem, event, "id").trim());
        } catch (NoSuchFileException e) {
            return -1;
        }
    }

    /** The parsed format of {@code events/<subsystem>/<event>}. */
    public TracepointFormat format(String subsystem, String event) throws IOException {
        return TracepointFormat.parse(read(subsystem, event, "format"));
    }

    private String read(String subsystem, String event, String file) throws IOException {
        return new String(Files.readAllBytes(root.resolve("events").resolve(subsystem).resolve(event).resolve(file)),
                StandardCharsets.US_ASCII);
    }
}
