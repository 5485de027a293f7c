// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.hooks;

import io.copytrace.boot.Codes;
import io.copytrace.boot.Probe;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code FileInputStream}, {@code FileOutputStream} and {@code RandomAccessFile}: the public byte[] and
 * single-byte methods. The native side copies the array through a stack buffer (a malloc per call
 * above 8 KiB); the probe counts that JNI copy from the bytes moved.
 */
public final class JavaIoHooks {
    private JavaIoHooks() {}

    /** The hooks of these classes. */
    public static List<Hook> hooks() {
        List<Hook> hooks = new ArrayList<>();
        for (String t : new String[] {"java.io.FileInputStream", "java.io.RandomAccessFile"}) {
            hooks.add(new Hook(t, isPublic().and(named("read")).and(takesArguments(0)), ReadByte.class));
            hooks.add(new Hook(t, isPublic().and(named("read")).and(takesArguments(byte[].class)), ReadArray.class));
            hooks.add(new Hook(t, isPublic().and(named("read")).and(takesArguments(byte[].class, int.class, int.class)),
                    ReadRange.class));
        }
        for (String t : new String[] {"java.io.FileOutputStream", "java.io.RandomAccessFile"}) {
            hooks.add(new Hook(t, isPublic().and(named("write")).and(takesArguments(int.class)), WriteByte.class));
            hooks.add(new Hook(t, isPublic().and(named("write")).and(takesArguments(byte[].class)), WriteArray.class));
            hooks.add(new Hook(t, isPublic().and(named("write")).and(takesArguments(byte[].class, int.class, int.class)),
                    WriteRange.class));
        }
        return hooks;
    }

    static final class ReadByte {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.FieldValue("path") String path) {
            return Probe.enterArray(Codes.OP_STREAM_READ, Codes.FORM_SINGLE_BYTE, self, 1, Codes.END_FILE, path);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Return int b, @Advice.Thrown Throwable t) {
            Probe.exit(h, b < 0 ? -1 : 1, t);
        }
    }

    static final class ReadArray {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) byte[] b, @Advice.FieldValue("path") String path) {
            return Probe.enterArray(Codes.OP_STREAM_READ, Codes.FORM_SINGLE, self, b, 0, b.length, Codes.END_FILE, path);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Return int n, @Advice.Thrown Throwable t) {
            Probe.exit(h, n, t);
        }
    }

    static final class ReadRange {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) byte[] b, @Advice.Argument(1) int off,
                         @Advice.Argument(2) int len, @Advice.FieldValue("path") String path) {
            return Probe.enterArray(Codes.OP_STREAM_READ, Codes.FORM_SINGLE, self, b, off, len, Codes.END_FILE, path);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Return int n, @Advice.Thrown Throwable t) {
            Probe.exit(h, n, t);
        }
    }

    static final class WriteByte {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.FieldValue("path") String path) {
            return Probe.enterArray(Codes.OP_STREAM_WRITE, Codes.FORM_SINGLE_BYTE, self, 1, Codes.END_FILE, path);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Thrown Throwable t) {
            Probe.exitVoid(h, t);
        }
    }

    static final class WriteArray {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) byte[] b, @Advice.FieldValue("path") String path) {
            return Probe.enterArray(Codes.OP_STREAM_WRITE, Codes.FORM_SINGLE, self, b, 0, b.length, Codes.END_FILE, path);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Thrown Throwable t) {
            Probe.exitVoid(h, t);
        }
    }

    static final class WriteRange {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) byte[] b, @Advice.Argument(1) int off,
                         @Advice.Argument(2) int len, @Advice.FieldValue("path") String path) {
            return Probe.enterArray(Codes.OP_STREAM_WRITE, Codes.FORM_SINGLE, self, b, off, len, Codes.END_FILE, path);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Thrown Throwable t) {
            Probe.exitVoid(h, t);
        }
    }
}
