// SPDX-License-Identifier: Apache-2.0
package io.copytrace.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonWriterTest {
    @Test
    void lineObjectsOfScalarsAndFlatArraysTakeOneLine() {
        JsonWriter.Line line = new JsonWriter.Line();
        line.put("picture", 0);
        line.put("bytes", 4096L);
        line.put("arrowBytes", List.of(4096L, 8192L));
        line.put("syscalls", null);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("paths", List.of(line));
        assertEquals("{\n  \"paths\": [\n    {\"picture\": 0, \"bytes\": 4096, \"arrowBytes\": [4096, 8192], \"syscalls\": null}\n"
                + "  ]\n}\n", JsonWriter.write(root));
        Map<?, ?> read = (Map<?, ?>) ((List<?>) ((Map<?, ?>) JsonReader.parse(JsonWriter.write(root))).get("paths")).get(0);
        assertEquals(List.of(4096L, 8192L), read.get("arrowBytes"));
        assertEquals(null, read.get("syscalls"));
    }

    @Test
    void lineObjectsHoldingObjectsAreWrittenAsAnyObject() {
        JsonWriter.Line line = new JsonWriter.Line();
        line.put("a", Map.of("b", 1L));
        assertEquals("{\n  \"a\": {\n    \"b\": 1\n  }\n}\n", JsonWriter.write(line));
    }

    @Test
    void aTreeStreamedToAStreamIsTheSameTextInPiecesAndItsLengthIsCounted() throws Exception {
        Map<String, Object> root = new LinkedHashMap<>();
        List<Object> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 5_000; i++) { // ~400 K chars: a dozen pieces
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", (long) i);
            row.put("site", "app.Service.handle(Service.java:" + i + ") \u2192 \"quoted\"");
            row.put("counts", List.of(1L, 2L, (long) i));
            rows.add(row);
        }
        root.put("rows", rows);
        String whole = JsonWriter.write(root);
        class Pieces extends java.io.ByteArrayOutputStream {
            int writes;

            @Override
            public void write(byte[] b) throws java.io.IOException {
                writes++;
                super.write(b);
            }
        }
        Pieces out = new Pieces();
        assertEquals(whole.length(), JsonWriter.write(root, out));
        assertEquals(whole, out.toString(java.nio.charset.StandardCharsets.UTF_8), "the same text, as ASCII bytes");
        org.junit.jupiter.api.Assertions.assertTrue(out.writes > 10, "written in pieces, not at once: " + out.writes);
    }

    @Test
    void aListOfObjectsIsReadOnceWhenWritten() {
        // The agent's recording makes each record as the writer reads it: reading the list twice (once to see
        // whether it is flat) would build every record twice.
        int[] reads = new int[1];
        List<Object> made = new java.util.AbstractList<>() {
            @Override
            public Object get(int i) {
                reads[0]++;
                return Map.of("id", (long) i);
            }

            @Override
            public int size() {
                return 1_000;
            }
        };
        String text = JsonWriter.write(Map.of("records", made));
        assertEquals(1_000, reads[0]);
        org.junit.jupiter.api.Assertions.assertTrue(text.contains("\"id\": 999"), text.substring(0, 80));
    }
}
