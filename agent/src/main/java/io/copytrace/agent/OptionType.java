// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What an option's text may be: how it becomes a value, and the words that say what is allowed (in the
 * one-line error for a bad value, in the help and in docs/options.md).
 *
 * @param <T> the parsed value
 */
sealed interface OptionType<T> {
    /** What is allowed, as the error line, the help and docs/options.md say it. */
    String allowed();

    /** The value of {@code text}; a bad one throws with what is wrong in a few words. */
    T parse(String text) throws BadValue;

    /** Whether a comma-separated word without {@code =} continues this option's value. */
    default boolean isList() {
        return false;
    }

    /** What is wrong with a value, in a few words ("not a number"). */
    final class BadValue extends Exception {
        private static final long serialVersionUID = 1L;

        BadValue(String what) {
            super(what, null, false, false);
        }
    }

    /** Any text, as given. */
    record Text(String allowed) implements OptionType<String> {
        @Override
        public String parse(String text) {
            return text;
        }
    }

    /** A folder's path. */
    record Folder(String allowed) implements OptionType<Path> {
        @Override
        public Path parse(String text) throws BadValue {
            try {
                return Path.of(text);
            } catch (InvalidPathException e) {
                throw new BadValue("not a path");
            }
        }
    }

    /** Package or class name prefixes, comma-separated. */
    record Prefixes() implements OptionType<List<String>> {
        @Override
        public String allowed() {
            return "comma-separated package or class prefixes";
        }

        @Override
        public List<String> parse(String text) {
            return words(text);
        }

        @Override
        public boolean isList() {
            return true;
        }
    }

    /** Some of {@code names}, comma-separated; none is allowed. */
    record Formats(List<String> names) implements OptionType<List<String>> {
        @Override
        public String allowed() {
            return "comma-separated formats among " + String.join(", ", names) + " (empty = none)";
        }

        @Override
        public List<String> parse(String text) throws BadValue {
            List<String> given = words(text);
            for (String f : given) if (!names.contains(f)) throw new BadValue("'" + f + "' is not a format");
            return given;
        }

        @Override
        public boolean isList() {
            return true;
        }
    }

    /** A whole number from {@code min} to {@code max}. */
    record IntRange(int min, int max) implements OptionType<Integer> {
        @Override
        public String allowed() {
            return "an integer from " + min + " to " + max;
        }

        @Override
        public Integer parse(String text) throws BadValue {
            try {
                int n = Integer.parseInt(text.trim());
                if (n >= min && n <= max) return n;
            } catch (NumberFormatException ignored) {
                // said below
            }
            throw new BadValue("not an integer from " + min + " to " + max);
        }
    }

    /** One of {@code values}, in any case. */
    record Choice(List<String> values) implements OptionType<String> {
        Choice(String... values) {
            this(List.of(values));
        }

        @Override
        public String allowed() {
            return String.join(", ", values.subList(0, values.size() - 1)) + " or " + values.get(values.size() - 1);
        }

        @Override
        public String parse(String text) throws BadValue {
            String v = text.trim().toLowerCase(Locale.ROOT);
            if (values.contains(v)) return v;
            throw new BadValue("not one of the allowed values");
        }
    }

    /**
     * A length of time in one of {@code units} ({@link TimeSuffix}): from {@code min} to {@code max}, or
     * any positive one when both are null.
     *
     * @param noun how the allowed text starts ("an interval")
     * @param examples a few values, for the allowed text
     * @param whenEmpty what no value means (the value is then null), or null when a value is needed
     */
    record Time(String noun, List<TimeSuffix> units, Duration min, Duration max, String examples, String whenEmpty)
            implements OptionType<Duration> {
        @Override
        public String allowed() {
            return noun + (max == null ? "" : " " + range() + ",") + " like " + examples
                    + (whenEmpty == null ? "" : " (empty = " + whenEmpty + ")");
        }

        @Override
        public Duration parse(String text) throws BadValue {
            String t = text.trim().toLowerCase(Locale.ROOT);
            if (t.isEmpty() && whenEmpty != null) return null;
            TimeSuffix unit = TimeSuffix.of(t, units);
            if (unit == null) {
                List<String> suffixes = new ArrayList<>();
                for (TimeSuffix u : units) suffixes.add(u.suffix);
                throw new BadValue("no unit (" + new Choice(suffixes).allowed() + ")");
            }
            long n;
            try {
                n = Long.parseLong(t.substring(0, t.length() - unit.suffix.length()).trim());
            } catch (NumberFormatException x) {
                throw new BadValue("not a number");
            }
            String outOfRange = max == null ? "must be positive" : "not " + range();
            if (n <= 0) throw new BadValue(outOfRange);
            Duration d;
            try {
                d = unit.length.multipliedBy(n);
                d.toNanos(); // callers take it in nanoseconds or milliseconds: over ~292 years is no length
            } catch (ArithmeticException overflow) {
                throw new BadValue(max == null ? "too long" : outOfRange);
            }
            if (min != null && d.compareTo(min) < 0 || max != null && d.compareTo(max) > 0) throw new BadValue(outOfRange);
            return d;
        }

        private String range() {
            return "from " + TimeSuffix.format(min) + " to " + TimeSuffix.format(max);
        }
    }

    /**
     * A bind address and port, {@code HOST:PORT}: a host name, an IPv4 address or a bracketed IPv6 address,
     * kept unresolved (it is resolved when bound, off the option parser).
     */
    record HostPort() implements OptionType<java.net.InetSocketAddress> {
        @Override
        public String allowed() {
            return "HOST:PORT with a port from 1 to 65535, like 127.0.0.1:9404, [::1]:9404 or 0.0.0.0:9404";
        }

        @Override
        public java.net.InetSocketAddress parse(String text) throws BadValue {
            String t = text.trim();
            int colon = t.lastIndexOf(':');
            if (colon < 0) throw new BadValue("no port");
            String host = t.substring(0, colon);
            boolean bracketed = host.startsWith("[") && host.endsWith("]");
            if (bracketed) host = host.substring(1, host.length() - 1);
            if (host.contains(":") && !bracketed) throw new BadValue("an IPv6 address needs brackets");
            if (host.isEmpty() || host.contains("[") || host.contains("]")) throw new BadValue("no host");
            int port;
            try {
                port = Integer.parseInt(t.substring(colon + 1));
            } catch (NumberFormatException x) {
                throw new BadValue("no port");
            }
            if (port < 1 || port > 65535) throw new BadValue("port not from 1 to 65535");
            return java.net.InetSocketAddress.createUnresolved(host, port);
        }
    }

    /** {@code off} (the value is then null), or what {@code type} allows. */
    record OrOff<T>(OptionType<T> type) implements OptionType<T> {
        @Override
        public String allowed() {
            return type.allowed() + ", or off";
        }

        @Override
        public T parse(String text) throws BadValue {
            return text.trim().equalsIgnoreCase("off") ? null : type.parse(text);
        }
    }

    /** The non-blank comma-separated words of {@code text}, trimmed. */
    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String p : text.split(",")) if (!p.isBlank()) out.add(p.trim());
        return out;
    }
}
