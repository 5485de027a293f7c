// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only: a JSON-ready tree as {@code path=value} lines ({@code samples.byDescriptor[0].name=/tmp/x}),
 * so a child JVM can report a window on stdout without a JSON library.
 */
final class FlatJson {
    private FlatJson() {
    }

    static Map<String, String> flatten(Map<String, Object> tree) {
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", tree, flat);
        return flat;
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String path, Object value, Map<String, String> flat) {
        if (value instanceof Map) {
            for (Map.Entry<String, Object> entry : ((Map<String, Object>) value).entrySet()) {
                flatten(path.isEmpty() ? entry.getKey() : path + "." + entry.getKey(), entry.getValue(), flat);
            }
        } else if (value instanceof List) {
            List<Object> list = (List<Object>) value;
            flat.put(path + ".size", Integer.toString(list.size()));
            for (int i = 0; i < list.size(); i++) {
                flatten(path + "[" + i + "]", list.get(i), flat);
            }
        } else {
            flat.put(path, String.valueOf(value).replace('\n', ' '));
        }
    }
}
