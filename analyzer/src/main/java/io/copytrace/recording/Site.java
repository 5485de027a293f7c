// SPDX-License-Identifier: Apache-2.0
package io.copytrace.recording;

import java.util.List;

/**
 * A call site: the first application frame of the calls it stands for ({@code class.method(File.java:line)}),
 * or a folded bucket (id &lt; 0).
 *
 * @param id    the recording's site id
 * @param kind  {@code app}, {@code jdk-internal}, {@code other} or {@code excluded}
 * @param frame the site frame or a bucket label
 * @param stack frames from the site outwards (at least the site frame)
 */
public record Site(long id, String kind, String frame, List<String> stack) {
    /** True for real application call sites. */
    public boolean isApp() {
        return "app".equals(kind);
    }

    /** {@code class.method} without the file and line: the unit a read/write loop lives in. */
    public String method() {
        return methodOf(frame);
    }

    /** {@code class.method} of any stack frame: the frame without {@code (File.java:line)}. */
    public static String methodOf(String frame) {
        int paren = frame.indexOf('(');
        return paren < 0 ? frame : frame.substring(0, paren);
    }
}
