// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static io.copytrace.agent.RecordingView.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.testing.Jdk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The woven-class cache: a second start takes every hooked class from it (no Byte Buddy), records the
 * same exact numbers, and a damaged or unusable cache costs only time, never a wrong class.
 */
class WovenClassCacheIT {
    private static final long MiB = 1 << 20;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void aSecondStartTakesEveryHookedClassFromTheCache(Jdk jdk) throws Exception {
        Path cache = AgentRun.tempDir("copytrace-cache");

        // when: the same program starts twice with one cache folder (and a third time: the JVM must hand
        // over the same bytes every time, or the cache would keep missing)
        RecordingView first = run(jdk, "cache=" + cache);
        RecordingView second = run(jdk, "cache=" + cache);
        RecordingView third = run(jdk, "cache=" + cache);

        // then: the first start wove every hooked class, the later ones read every one back
        List<?> classes = (List<?>) first.section("agent").get("instrumentedClasses");
        assertTrue(classes.contains("sun.nio.ch.FileChannelImpl") && classes.contains("sun.nio.ch.IOUtil"), classes.toString());
        Map<String, Object> cold = cacheOf(first);
        Map<String, Object> warm = cacheOf(second);
        assertEquals(classes.size(), num(cold, "woven"), cold.toString());
        assertEquals(0, num(cold, "hits"), cold.toString());
        assertEquals(classes, cold.get("wovenClasses"));
        assertEquals(classes, second.section("agent").get("instrumentedClasses"));
        assertEquals(classes.size(), num(warm, "hits"), warm.toString());
        assertEquals(0, num(warm, "woven"), warm.toString());
        assertNull(warm.get("problem"));
        assertTrue(((String) warm.get("dir")).startsWith(cache.toString()), warm.toString());
        assertEquals(warm.get("hits"), cacheOf(third).get("hits"), cacheOf(third).toString());
        // and both recorded the same exact loop
        assertHeapLoop(first);
        assertHeapLoop(second);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void theHookedClassesDoNotDependOnWhetherTheWarmUpRan(Jdk jdk) throws Exception {
        // when: one JVM ends right after its loop, most likely before the agent's warm-up rehearses the close, and
        // another lives on past it (the warm-up's write renames a file: on JDK 17 through a hooked class)
        RecordingView brief = run(jdk, "cache=" + AgentRun.tempDir("copytrace-cache"));
        AgentRun.Result longer = AgentRun.on(jdk).agent("kernel=off,cache=" + AgentRun.tempDir("copytrace-cache"))
                .run("heap-loop-then-idle");
        assertEquals(0, longer.exit(), longer.stderr());

        // then: both hooked the same JDK classes, so a cache one filled serves the other
        assertEquals(brief.section("agent").get("instrumentedClasses"),
                longer.recording().section("agent").get("instrumentedClasses"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void aDamagedCacheFileIsWovenAgain(Jdk jdk) throws Exception {
        Path cache = AgentRun.tempDir("copytrace-cache");
        RecordingView first = run(jdk, "cache=" + cache);

        // given: the cached FileChannelImpl and SocketChannelImpl lost their last bytes, and IOUtil's holds
        // another class's bytes. (SocketChannelImpl is loaded after the agent, so a bad cached copy would
        // reach the JVM's class loading with no second try: only the woven bytes' checksum stops it.)
        Path build = Path.of((String) cacheOf(first).get("dir"));
        byte[] another = Files.readAllBytes(files(build, "java.io.FileInputStream-").get(0));
        for (String truncated : List.of("sun.nio.ch.FileChannelImpl-", "sun.nio.ch.SocketChannelImpl-")) {
            for (Path f : files(build, truncated)) {
                byte[] bytes = Files.readAllBytes(f);
                Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length / 2));
            }
        }
        for (Path ioUtil : files(build, "sun.nio.ch.IOUtil-")) Files.write(ioUtil, another);

        // when: the program starts again
        RecordingView second = run(jdk, "cache=" + cache);

        // then: the files fail their checks (the woven bytes' checksum; the original bytes' checksum) and
        // exactly those classes are woven again, with no error; the numbers stay exact
        Map<String, Object> warm = cacheOf(second);
        assertEquals(List.of("sun.nio.ch.FileChannelImpl", "sun.nio.ch.IOUtil", "sun.nio.ch.SocketChannelImpl"),
                warm.get("wovenClasses"), warm.toString());
        assertEquals(List.of(), second.section("agent").get("errors"));
        assertHeapLoop(second);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void anUnusableCacheFolderIsStatedAndTheAgentWeavesAnyway(Jdk jdk) throws Exception {
        Path notADir = AgentRun.tempDir("copytrace-cache").resolve("a-file");
        Files.writeString(notADir, "not a folder");

        RecordingView rec = run(jdk, "cache=" + notADir.resolve("sub"));

        Map<String, Object> c = cacheOf(rec);
        assertNull(c.get("dir"));
        assertTrue(((String) c.get("problem")).startsWith("cannot use " + notADir.resolve("sub")), c.toString());
        assertEquals(((List<?>) rec.section("agent").get("instrumentedClasses")).size(), num(c, "woven"));
        assertHeapLoop(rec);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void withoutAHomeFolderTheDefaultCacheIsNotPutInTheWorkingDirectory(Jdk jdk) throws Exception {
        // given: a user without a home ("?" is what the JVM says then) and no XDG_CACHE_HOME
        AgentRun.Result run = AgentRun.on(jdk).agent("kernel=off").jvm("-Duser.home=?").run("heap-loop");

        assertEquals(0, run.exit(), run.stderr());
        Map<String, Object> c = cacheOf(run.recording());
        assertNull(c.get("dir"));
        assertTrue(((String) c.get("problem")).startsWith("no absolute home"), c.toString());
        assertTrue(Files.notExists(Path.of("?")), "nothing written to the working directory");
        assertHeapLoop(run.recording());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.copytrace.testing.Jdk#all")
    void cacheOffWeavesEveryStart(Jdk jdk) throws Exception {
        RecordingView rec = run(jdk, "cache=off");

        Map<String, Object> c = cacheOf(rec);
        assertNull(c.get("dir"));
        assertNull(c.get("problem"));
        assertEquals(0, num(c, "hits"));
        assertEquals(((List<?>) rec.section("agent").get("instrumentedClasses")).size(), num(c, "woven"));
        assertHeapLoop(rec);
    }

    private static RecordingView run(Jdk jdk, String options) throws Exception {
        AgentRun.Result run = AgentRun.on(jdk).agent("kernel=off," + options).run("heap-loop");
        assertEquals(0, run.exit(), run.stderr());
        assertEquals("", run.stderr());
        return run.recording();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cacheOf(RecordingView rec) {
        Map<String, Object> c = (Map<String, Object>) rec.section("agent").get("classCache");
        assertNotNull(c, "the recording says where woven classes came from");
        return c;
    }

    private static void assertHeapLoop(RecordingView rec) {
        Map<String, Object> read = rec.one("file.read", "loopRead");
        assertEquals(1025, num(read, "calls"));
        assertEquals(64 * MiB, num(read, "bytesMoved"));
        assertEquals(64 * MiB, num(read, "jvmCopiedBytes"));
        Map<String, Object> write = rec.one("file.write", "loopWrite");
        assertEquals(1024, num(write, "calls"));
        assertEquals(64 * MiB, num(write, "jvmCopiedBytes"));
    }

    /** The cached versions of one class (one per distinct original bytes the JVM handed over). */
    private static List<Path> files(Path dir, String prefix) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> found = s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
            assertTrue(!found.isEmpty(), prefix + " in " + dir);
            return found;
        }
    }
}
