// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.perf;

import com.sun.jna.NativeLibrary;

/**
 * Initialises JNA's library search without its {@code ldconfig -p} subprocess (~35 ms of start-up): the
 * bridge only loads libc, which the process has already mapped. JNA skips that search when the system
 * property {@code jna.platform.library.path} exists, and sets the property itself otherwise; here it is
 * set empty just for our JNA's class initialisation and then restored, so an application that uses JNA
 * too sees exactly what it would have seen without copytrace.
 */
public final class JnaStart {
    private static final String PLATFORM_PATH = "jna.platform.library.path";
    private static boolean done;

    private JnaStart() {
    }

    /** Runs JNA's {@code NativeLibrary} initialisation once, before the first {@code Native.load}. */
    public static synchronized void init() {
        if (done) {
            return;
        }
        done = true;
        String before = System.getProperty(PLATFORM_PATH);
        if (before != null) {
            forceInit();
            return;
        }
        System.setProperty(PLATFORM_PATH, "");
        try {
            forceInit();
        } finally {
            System.clearProperty(PLATFORM_PATH);
        }
    }

    private static void forceInit() {
        try {
            Class.forName(NativeLibrary.class.getName(), true, JnaStart.class.getClassLoader());
        } catch (ClassNotFoundException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
