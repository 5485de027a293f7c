// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One agent option: its name, what its text may be, its default and its meaning. The parser, the
 * one-line error for a bad value, the help and the table in docs/options.md (checked by a test) all come
 * from these.
 *
 * @param <T> the parsed value
 * @param defaultValue the text used when no value is given (it must parse)
 * @param help what the option does, in a sentence or two
 */
record OptionSpec<T>(String name, OptionType<T> type, String defaultValue, String help) {
    /** The system property that sets it: {@code copytrace.NAME}. */
    String property() {
        return "copytrace." + name;
    }

    /** The environment variable that sets it: {@code COPYTRACE_NAME}, dashes as underscores. */
    String environment() {
        return "COPYTRACE_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** What is allowed, as every message says it. */
    String allowed() {
        return type.allowed();
    }

    /**
     * The value of this option among {@code values} (name to text). A bad one adds its problem line and
     * gives the default's value, so parsing goes on and every problem is said at once.
     */
    T read(Map<String, String> values, List<String> problems) {
        return read(values, problems, "agent disabled");
    }

    /** As {@link #read(Map, List)}, with what a bad value costs said at the end of its line. */
    T read(Map<String, String> values, List<String> problems, String consequence) {
        String text = values.get(name);
        try {
            return type.parse(text);
        } catch (OptionType.BadValue bad) {
            problems.add(AgentOptions.problem(name + "=" + text, bad.getMessage(), allowed(), consequence));
            try {
                return type.parse(defaultValue);
            } catch (OptionType.BadValue impossible) {
                throw new IllegalStateException(name + "'s default does not parse", impossible);
            }
        }
    }
}
