// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.profile;

import io.copytrace.profile.CopyFrames;

/**
 * async-profiler's flame graph HTML, made to open with the copy frames highlighted: its page ends with
 * {@code search();}, which this replaces with a search for {@link CopyFrames#searchRegex()} (or the regular
 * expression in the URL's {@code #fragment}). The page then shows "Matched: N%", the copy share. When a
 * future async-profiler changes its page, the file is kept as it came.
 */
final class FlameGraphFile {
    private static final String INITIAL_SEARCH = "\nsearch();\n";

    private FlameGraphFile() {}

    /** The page with the copy frames highlighted on open. */
    static String withCopySearch(String html) {
        int at = html.lastIndexOf(INITIAL_SEARCH);
        if (at < 0) return html;
        String search = "\n// copytrace: highlight the copy frames (Esc clears; #regex in the URL searches for regex)\n"
                + "search(location.hash.length > 1 ? decodeURIComponent(location.hash.substring(1)) : "
                + jsString(CopyFrames.searchRegex()) + ");\n";
        return html.substring(0, at) + search + html.substring(at + INITIAL_SEARCH.length());
    }

    private static String jsString(String s) {
        StringBuilder out = new StringBuilder("'");
        for (char c : s.toCharArray()) {
            if (c == '\\' || c == '\'') out.append('\\');
            out.append(c);
        }
        return out.append('\'').toString();
    }
}
