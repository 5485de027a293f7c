// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.tracefs;

import java.util.ArrayList;
import java.util.List;

/**
 * A tracepoint's {@code format} file: where each field sits in a {@code PERF_SAMPLE_RAW} record.
 * Offsets come from the running kernel, never from a table compiled into copytrace.
 *
 * @param name e.g. "sys_enter_write"
 * @param id the tracepoint id (also the {@code common_type} of its raw records)
 * @param fields every field, common ones included, in file order
 */
public record TracepointFormat(String name, int id, List<Field> fields) {

    /** One {@code field:TYPE NAME; offset:N; size:N; signed:N;} line. */
    public record Field(String type, String name, int offset, int size, boolean signed) {
        /** Reads this field from a little-endian raw record (x86-64 and aarch64 are little-endian). */
        public long read(java.nio.ByteBuffer raw, int rawStart) {
            int at = rawStart + offset;
            switch (size) {
                case 1:
                    return signed ? raw.get(at) : raw.get(at) & 0xffL;
                case 2:
                    return signed ? raw.getShort(at) : raw.getShort(at) & 0xffffL;
                case 4:
                    return signed ? raw.getInt(at) : raw.getInt(at) & 0xffffffffL;
                case 8:
                    return raw.getLong(at);
                default:
                    throw new IllegalStateException("field " + name + " has size " + size);
            }
        }
    }

    /** The field called {@code fieldName}, or null. */
    public Field field(String fieldName) {
        for (Field field : fields) {
            if (field.name.equals(fieldName)) {
                return field;
            }
        }
        return null;
    }

    /** Parses the text of a format file. */
    public static TracepointFormat parse(String text) {
        String name = "";
        int id = -1;
        List<Field> fields = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.trim();
            if (line.startsWith("name:")) {
                name = line.substring(5).trim();
            } else if (line.startsWith("ID:")) {
                id = Integer.parseInt(line.substring(3).trim());
            } else if (line.startsWith("field:")) {
                fields.add(parseField(line));
            }
        }
        return new TracepointFormat(name, id, List.copyOf(fields));
    }

    private static Field parseField(String line) {
        String declaration = null;
        int offset = -1;
        int size = -1;
        boolean signed = false;
        for (String part : line.split(";")) {
            String item = part.trim();
            if (item.startsWith("field:")) {
                declaration = item.substring(6).trim();
            } else if (item.startsWith("offset:")) {
                offset = Integer.parseInt(item.substring(7).trim());
            } else if (item.startsWith("size:")) {
                size = Integer.parseInt(item.substring(5).trim());
            } else if (item.startsWith("signed:")) {
                signed = item.substring(7).trim().equals("1");
            }
        }
        if (declaration == null || offset < 0 || size < 0) {
            throw new IllegalArgumentException("not a tracepoint field: " + line);
        }
        // "const char * buf" or "unsigned long args[6]": the name is the last word, minus any array suffix.
        String declarator = declaration.substring(declaration.lastIndexOf(' ') + 1).replace("*", "");
        int bracket = declarator.indexOf('[');
        String fieldName = bracket < 0 ? declarator : declarator.substring(0, bracket);
        String type = declaration.substring(0, declaration.length() - declarator.length()).trim();
        return new Field(type, fieldName, offset, size, signed);
    }
}
