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

    /** The {@code class.method} that called the site, or null when the stack stops at the site frame. */
    public String callerMethod() {
        return stack.size() < 2 ? null : methodOf(stack.get(1));
    }

    /**
     * True when two sites belong to one piece of code: the same class, the same caller, or one site's method
     * calls the other's. With a socket peer in common, it ties a request's reads to the writes that answer it.
     */
    public boolean isRelatedTo(Site other) {
        String myCaller = callerMethod();
        return classOf(method()).equals(classOf(other.method())) || myCaller != null && myCaller.equals(other.callerMethod())
                || isNextTo(other);
    }

    /** True when two sites are in the same method, or one site's method calls the other's directly. */
    public boolean isNextTo(Site other) {
        String mine = method(), theirs = other.method();
        return mine.equals(theirs) || mine.equals(other.callerMethod()) || theirs.equals(callerMethod());
    }

    /** {@code class.method} of any stack frame: the frame without {@code (File.java:line)}. */
    public static String methodOf(String frame) {
        int paren = frame.indexOf('(');
        return paren < 0 ? frame : frame.substring(0, paren);
    }

    /** The class of a {@code class.method}. */
    private static String classOf(String method) {
        int dot = method.lastIndexOf('.');
        return dot < 0 ? method : method.substring(0, dot);
    }
}
