// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/options.md says what {@link AgentOptions#SPECS} says, so neither can drift from the other. */
class OptionsDocTest {
    private static final Path DOC = Path.of("..", "docs", "options.md"); // tests run in agent/

    /** The option table's rows by option name: property, environment, default, allowed, meaning. */
    private static Map<String, List<String>> rows() throws IOException {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DOC)) {
            if (!line.startsWith("| `")) continue;
            List<String> cells = new ArrayList<>();
            for (String cell : line.substring(1, line.length() - 1).split("\\|")) cells.add(cell.replace("`", "").trim());
            assertEquals(6, cells.size(), line);
            assertEquals(null, rows.put(cells.get(0), cells.subList(1, 6)), "documented twice: " + cells.get(0));
        }
        return rows;
    }

    @Test
    void everyOptionIsDocumentedWithItsNamesDefaultAndAllowedValues() throws IOException {
        Map<String, List<String>> rows = rows();
        for (OptionSpec<?> s : AgentOptions.SPECS) {
            List<String> row = rows.get(s.name());
            assertNotNull(row, s.name() + " is an option but docs/options.md has no row for it");
            assertEquals(s.property(), row.get(0), s.name() + ": property");
            assertEquals(s.environment(), row.get(1), s.name() + ": environment variable");
            assertEquals(s.defaultValue().isEmpty() ? "–" : s.defaultValue(), row.get(2), s.name() + ": default");
            assertEquals(s.allowed(), row.get(3), s.name() + ": allowed values");
            assertTrue(!row.get(4).isBlank(), s.name() + ": meaning");
        }
    }

    @Test
    void everyDocumentedOptionExists() throws IOException {
        for (String name : rows().keySet()) {
            assertNotNull(AgentOptions.spec(name), "docs/options.md documents '" + name + "', which is no option");
        }
    }

    @Test
    void theListOptionsAreTheOnesTheDocNames() throws IOException {
        Matcher m = Pattern.compile("For list\\s+options \\(([^)]*)\\)").matcher(Files.readString(DOC));
        assertTrue(m.find(), "docs/options.md names the list options");
        List<String> documented = new ArrayList<>();
        for (String name : m.group(1).split(",")) documented.add(name.replace("`", "").trim());
        List<String> lists = new ArrayList<>();
        for (OptionSpec<?> s : AgentOptions.SPECS) if (s.type().isList()) lists.add(s.name());
        assertEquals(lists, documented);
    }
}
