// SPDX-License-Identifier: Apache-2.0
package io.copytrace.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {
    @Test
    void readsEveryValueKindInTheWritersShapes() {
        Object tree = JsonReader.parse(" {\"a\": [1, -2, 0, 1.5, -2e3, true, false, null], \"b\": {}, \"c\": [], \"d\": \"x\"}\n");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", new ArrayList<>(Arrays.asList(1L, -2L, 0L, 1.5, -2000.0, true, false, null)));
        expected.put("b", new LinkedHashMap<>());
        expected.put("c", new ArrayList<>());
        expected.put("d", "x");
        assertEquals(expected, tree);
        assertEquals(List.of("a", "b", "c", "d"), new ArrayList<>(((Map<?, ?>) tree).keySet()), "key order kept");
    }

    @Test
    void integersAreExactLongsUpToTheEdges() {
        assertEquals(Long.MAX_VALUE, JsonReader.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, JsonReader.parse("-9223372036854775808"));
        assertEquals(123456789012345678L, JsonReader.parse("123456789012345678"));
        assertEquals(1234567890123456789L, JsonReader.parse("1234567890123456789"));
        assertThrows(JsonReader.JsonException.class, () -> JsonReader.parse("9223372036854775808"));
    }

    @Test
    void decodesEscapes() {
        assertEquals("a\"b\\c/d\ne\rf\tg\bh\fi\u2192j", JsonReader.parse("\"a\\\"b\\\\c\\/d\\ne\\rf\\tg\\bh\\fi\\u2192j\""));
        assertEquals("caf\u00e9 \u2192", JsonReader.parse("\"caf\u00e9 \u2192\""), "non-ASCII text as is");
    }

    @Test
    void readsWhatTheWriterWrites() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("text", "line 1\nline \"2\" \u0001 \u2192");
        tree.put("numbers", new ArrayList<>(List.of(0L, -1L, Long.MAX_VALUE, 0.25)));
        tree.put("nested", new ArrayList<>(List.of(new LinkedHashMap<>(Map.of("k", "v")))));
        assertEquals(tree, JsonReader.parse(JsonWriter.write(tree)));
    }

    @Test
    void theWriterWritesAsciiOnly() {
        String json = JsonWriter.write(Map.of("title", "file \u2192 socket, caf\u00e9 \u007f"));
        assertEquals("{\n  \"title\": \"file \\u2192 socket, caf\\u00e9 \\u007f\"\n}\n", json);
        assertTrue(json.chars().allMatch(c -> c < 0x7f), json);
    }

    @Test
    void namesTheOffsetOfTheFirstProblem() {
        assertMessage("{\"a\": 1,", "unexpected end at offset 8 (the text ends early: truncated?)");
        assertMessage("{\"a\": 1} x", "unexpected text after the JSON value at offset 9");
        assertMessage("[1, 2 3]", "expected ',' or ']' at offset 7");
        assertMessage("{\"a\" 1}", "expected ':' at offset 5");
        assertMessage("[1.2.x]", "bad number '1.2.' at offset 1");
        assertMessage("[-]", "bad number '-' at offset 1");
        assertMessage("\"abc", "unterminated string at offset 4 (the text ends early: truncated?)");
        assertMessage("\"\\x\"", "bad escape \\x at offset 3");
        assertMessage("\"\\u12g4\"", "bad \\u escape at offset 3");
        assertMessage("[tru]", "expected true at offset 1");
        assertMessage("\u000b1", "unexpected character '\u000b' at offset 0");
    }

    private static void assertMessage(String text, String message) {
        JsonReader.JsonException x = assertThrows(JsonReader.JsonException.class, () -> JsonReader.parse(text));
        assertEquals(message, x.getMessage());
        assertTrue(x.getMessage().contains("offset"));
    }
}
