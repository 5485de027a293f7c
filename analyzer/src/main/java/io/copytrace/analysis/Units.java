// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

/**
 * Human renderings of bytes, counts, times and ratios, identical on every host. Hand-rolled rather than
 * String.format: a report of 10 000 sites formats hundreds of thousands of numbers.
 */
public final class Units {
    private static final String[] BYTE_UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB"};

    private Units() {}

    /** 1536 → "1.5 KiB"; below 1 KiB in bytes. */
    public static String bytes(long n) {
        if (Math.abs(n) < 1024) return n + " B";
        double v = n;
        int i = -1;
        do {
            v /= 1024;
            i++;
        } while (Math.abs(v) >= 1024 && i < BYTE_UNITS.length - 1);
        return decimals(v, 1) + " " + BYTE_UNITS[i];
    }

    /** 10000 → "10,000". */
    public static String count(long n) {
        String digits = Long.toString(Math.abs(n));
        StringBuilder out = new StringBuilder(digits.length() + 8);
        if (n < 0) out.append('-');
        int lead = digits.length() % 3 == 0 ? 3 : digits.length() % 3;
        out.append(digits, 0, lead);
        for (int i = lead; i < digits.length(); i += 3) out.append(',').append(digits, i, i + 3);
        return out.toString();
    }

    /** Nanoseconds as ns, µs, ms or s. */
    public static String nanos(long ns) {
        if (ns < 1_000) return ns + " ns";
        if (ns < 1_000_000) return decimals(ns / 1e3, 1) + " µs";
        if (ns < 1_000_000_000) return decimals(ns / 1e6, 1) + " ms";
        return decimals(ns / 1e9, 2) + " s";
    }

    /** A ratio with two decimals: 2.0 → "2.00". */
    public static String ratio(double r) {
        return decimals(r, 2);
    }

    /** {@code v} rounded half-up to {@code places} (1 or 2) decimals, always showing them. */
    static String decimals(double v, int places) {
        long scale = places == 1 ? 10 : 100;
        long scaled = Math.round(Math.abs(v) * scale);
        String frac = Long.toString(scaled % scale);
        if (frac.length() < places) frac = "0" + frac;
        return (v < 0 && scaled != 0 ? "-" : "") + (scaled / scale) + "." + frac;
    }
}
