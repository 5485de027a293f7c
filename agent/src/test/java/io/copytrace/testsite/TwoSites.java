// SPDX-License-Identifier: Apache-2.0
package io.copytrace.testsite;

/** Two (and a third) call sites outside the probe's package, for tests that need a stack walk to tell calls apart. */
public final class TwoSites {
    private TwoSites() {}

    /** Runs {@code call} from the first site. */
    public static void first(Runnable call) {
        call.run();
    }

    /** Runs {@code call} from the second site. */
    public static void second(Runnable call) {
        call.run();
    }

    /** Runs {@code call} from a third site. */
    public static void third(Runnable call) {
        call.run();
    }
}
