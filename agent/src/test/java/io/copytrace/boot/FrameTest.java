// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A frame's reset clears its rare facts only when one was set ({@link Frame#rare}): a call must never see the rare
 * facts of the call before it on the same frame.
 */
class FrameTest {
    @Test
    void aResetAfterARareFactLeavesTheFrameAsNew() throws Exception {
        Frame fresh = new Frame(null, 0);
        fresh.reset(Codes.OP_FILE_WRITE);
        Frame used = dirty();
        used.rare = true;
        used.reset(Codes.OP_FILE_WRITE);
        for (Field f : rareFacts()) assertEquals(f.get(fresh), f.get(used), f.getName());
        assertFalse(used.rare);
        // what no reset clears is set by each enter before it is read, dropped by clearRefs, or read only after
        // faultsSet was set
        Frame any = dirty();
        any.rare = true;
        any.reset(Codes.OP_FILE_WRITE);
        java.util.Set<String> kept = new java.util.TreeSet<>();
        for (Field f : fields()) {
            if (!f.getName().equals("rare") && java.util.Objects.equals(f.get(any), f.get(dirty()))) kept.add(f.getName());
        }
        assertEquals(new java.util.TreeSet<>(List.of("bufOff", "bufs", "faultsMajor", "faultsMinor", "memArray",
                "memBase", "other", "positions", "result", "self")), kept);
    }

    @Test
    void everyRareFactIsWrittenThroughRare() throws Exception {
        List<Field> rare = rareFacts();
        assertTrue(rare.size() >= 12, "the rare facts found: " + rare);
        StringBuilder names = new StringBuilder();
        for (Field f : rare) names.append(names.length() == 0 ? "" : "|").append(f.getName());
        // a store to a rare fact: `x.fact = `, `+=`, `|=`, `++`; the expression before the dot must end in rare()
        Pattern store = Pattern.compile("([\\w.()\\[\\]]+)\\.(" + names + ")\\s*(=(?!=)|\\+=|\\|=|-=|\\+\\+)");
        List<String> bare = new ArrayList<>();
        int stores = 0;
        try (Stream<Path> files = Files.list(Path.of("src/main/java/io/copytrace/boot"))) {
            for (Path p : files.toList()) {
                if (p.getFileName().toString().equals("Frame.java")) continue;
                Matcher m = store.matcher(Files.readString(p));
                while (m.find()) {
                    stores++;
                    if (!m.group(1).endsWith("rare()")) bare.add(p.getFileName() + ": " + m.group());
                }
            }
        }
        assertTrue(stores >= 15, "stores to rare facts found: " + stores); // the scan itself still finds them
        assertEquals(List.of(), bare, "rare facts stored without marking the frame");
    }

    /** The fields a reset clears only when the frame is marked rare. */
    private static List<Field> rareFacts() throws Exception {
        Frame plain = dirty();
        plain.reset(Codes.OP_FILE_WRITE); // not marked: the rare facts stay as they were
        Frame marked = dirty();
        marked.rare = true;
        marked.reset(Codes.OP_FILE_WRITE);
        List<Field> rare = new ArrayList<>();
        for (Field f : fields()) {
            if (f.getName().equals("rare")) continue;
            Object before = f.get(dirty());
            if (before.equals(f.get(plain)) && !before.equals(f.get(marked))) rare.add(f);
        }
        return rare;
    }

    private static final byte[] BYTES = new byte[1];
    private static final int[] INTS = new int[1];
    private static final java.nio.ByteBuffer[] BUFFERS = new java.nio.ByteBuffer[1];

    /** A frame with every field but {@code rare} holding a value no reset gives it. */
    private static Frame dirty() throws Exception {
        Frame d = new Frame(null, 0);
        for (Field f : fields()) {
            Class<?> t = f.getType();
            if (f.getName().equals("rare")) continue;
            if (t == int.class) f.setInt(d, 7);
            else if (t == long.class) f.setLong(d, 7);
            else if (t == boolean.class) f.setBoolean(d, true);
            else if (t == byte[].class) f.set(d, BYTES);
            else if (t == int[].class) f.set(d, INTS);
            else if (t == java.nio.ByteBuffer[].class) f.set(d, BUFFERS);
            else f.set(d, "x");
        }
        return d;
    }

    private static List<Field> fields() {
        List<Field> all = new ArrayList<>();
        for (Field f : Frame.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || Modifier.isFinal(f.getModifiers())) continue;
            if (f.getType() == ThreadState.class) continue;
            f.setAccessible(true);
            all.add(f);
        }
        return all;
    }
}
