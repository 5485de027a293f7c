// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.kernel.proc.KernelSettings;
import io.copytrace.testing.ForkedJvm;
import io.copytrace.testing.Jdk;
import io.copytrace.testing.WorkFolders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The /proc path: forced with kernel=proc, and for real when the kernel refuses an unprivileged user. */
class ProcFallbackIT {
    private static final long WRITES = 10_000;
    private static final long WRITE_BYTES = WRITES * 4096;

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("io.copytrace.testing.Jdk#all")
    void forcedProcModeCountsTheWorkload(Jdk jdk) throws Exception {
        // when
        ChildJvm child = ChildJvm.run(ChildJvm.command(jdk, ChildJvm.classpath(), List.of(), "mode=proc",
                "dir=" + dir), dir);

        // then
        assertEquals("proc", child.report().get("source"));
        assertEquals("kernel=proc was requested; perf was not tried", child.report().get("fallbackReason"));
        assertTrue(child.number("proc.syscw") >= WRITES, "one write() per 4 KiB block is one syscw");
        assertTrue(child.number("proc.wchar") >= WRITE_BYTES, "wchar counts every byte passed to write()");
        // The 64 MiB transferTo is a sendfile: the kernel accounts it as a read of the file and a write to the socket.
        assertTrue(child.number("proc.rchar") >= 64L << 20, "sendfile's bytes count in rchar");
        assertTrue(child.number("proc.threadsAtStart") > 5, "a JVM has many threads");
        assertFalse(child.report().containsKey("syscalls.write"), "no syscall counts without perf");
        assertEquals("false", child.report().get("samples.enabled"));
    }

    @ParameterizedTest
    @MethodSource("io.copytrace.testing.Jdk#all")
    void unprivilegedUserIsRefusedAndToldWhatToDo(Jdk jdk) throws Exception {
        int paranoid = KernelSettings.perfEventParanoid(KernelSettings.PERF_EVENT_PARANOID);
        assertTrue(paranoid >= 2, "this test needs kernel.perf_event_paranoid >= 2 (the machine's default), is "
                + paranoid);
        Path shared = worldReadableCopyOfClasspath();
        ForkedJvm command = ChildJvm.command(jdk, List.of(shared.resolve("cp").toString() + "/*",
                        shared.resolve("cp/classes").toString(), shared.resolve("cp/test-classes").toString()),
                List.of("-Djna.tmpdir=" + shared.resolve("tmp"), "-Djava.io.tmpdir=" + shared.resolve("tmp")),
                "mode=perf", "samples=true", "dir=" + shared.resolve("work"))
                .under(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));

        // when
        ChildJvm child = ChildJvm.run(command, dir);

        // then
        assertEquals("proc", child.report().get("source"));
        assertEquals("perf_event_open(software context-switches) failed with EACCES (13): kernel.perf_event_paranoid="
                + paranoid + " and no CAP_PERFMON: run as root, grant CAP_PERFMON (setcap cap_perfmon+ep on the java "
                + "binary, or --cap-add PERFMON for a container), or sysctl kernel.perf_event_paranoid=1; using /proc "
                + "counters instead", child.report().get("fallbackReason"));
        assertTrue(child.number("proc.syscw") >= WRITES);
        assertTrue(child.number("proc.wchar") >= WRITE_BYTES);
        assertEquals("false", child.report().get("samples.enabled"));
        assertTrue(child.report().get("samples.reason").startsWith("sampling needs perf: perf_event_open"));
    }

    /** nobody cannot read /root/.m2 or the build directory: copy what the child needs to /tmp. */
    private static Path worldReadableCopyOfClasspath() throws IOException {
        Path root = WorkFolders.create("copytrace-unprivileged");
        Path cp = Files.createDirectories(root.resolve("cp"));
        for (String entry : ChildJvm.classpath()) {
            Path source = Path.of(entry);
            if (Files.isDirectory(source)) {
                Path target = cp.resolve(source.getFileName());
                try (Stream<Path> files = Files.walk(source)) {
                    for (Path file : (Iterable<Path>) files::iterator) {
                        Files.copy(file, target.resolve(source.relativize(file).toString()),
                                StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            } else {
                Files.copy(source, cp.resolve(source.getFileName()));
            }
        }
        Files.createDirectories(root.resolve("tmp"));
        Files.createDirectories(root.resolve("work"));
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(
                        Files.isDirectory(file) ? "rwxrwxrwx" : "rw-r--r--"));
            }
        }
        return root;
    }
}
