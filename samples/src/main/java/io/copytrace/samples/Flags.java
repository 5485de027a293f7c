// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The samples' one command-line parser: {@code --name=value} flags. Every flag a sample reads is declared
 * by reading it (with its default); unknown flags and bad values are collected and reported together by
 * {@link #done()}, so a typo never runs a different variant than the one asked for.
 */
public final class Flags {
    private final Map<String, String> given = new LinkedHashMap<>();
    private final List<String> known = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    private Flags(String[] args) {
        for (String a : args) {
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 3) {
                problems.add("'" + a + "' is not a --name=value flag");
            } else {
                given.put(a.substring(2, eq), a.substring(eq + 1));
            }
        }
    }

    /** Parses {@code args}; read the flags, then call {@link #done()}. */
    public static Flags parse(String... args) {
        return new Flags(args);
    }

    /** A flag that must be one of {@code allowed}; the first allowed value is the default. */
    public String choice(String name, String... allowed) {
        known.add(name);
        String v = given.getOrDefault(name, allowed[0]);
        if (!List.of(allowed).contains(v)) {
            problems.add("--" + name + "=" + v + ": expected one of " + String.join(", ", allowed));
        }
        return v;
    }

    /** A positive integer flag. */
    public int positive(String name, int dflt) {
        known.add(name);
        String v = given.get(name);
        if (v == null) return dflt;
        try {
            int n = Integer.parseInt(v);
            if (n > 0) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add("--" + name + "=" + v + ": expected a positive integer");
        return dflt;
    }

    /** A free-form string flag (a directory), or {@code dflt} when absent. */
    public String string(String name, String dflt) {
        known.add(name);
        return given.getOrDefault(name, dflt);
    }

    /** Throws {@link IllegalArgumentException} listing every problem, unknown flags included. */
    public void done() {
        for (String name : given.keySet()) {
            if (!known.contains(name)) problems.add("--" + name + " is not a flag of this sample (flags: --"
                    + String.join(", --", known) + ")");
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
    }
}
