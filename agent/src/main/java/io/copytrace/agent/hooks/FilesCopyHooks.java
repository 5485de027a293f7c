// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.hooks;

import io.copytrace.boot.Codes;
import io.copytrace.boot.Probe;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code Files.copy}: path to path, and path to stream or stream to path. Each is one composite copy that
 * folds the JDK operations it runs; path to path also reports its inner step (kernel copy or buffered
 * loop), done by different classes per JDK.
 */
public final class FilesCopyHooks {
    private FilesCopyHooks() {}

    /** The hooks of these classes. */
    public static List<Hook> hooks() {
        return List.of(
            // Files.copy(Path, Path): JDK 17 copies in UnixCopyFile (native sendfile); 21+ in UnixFileSystem
            // (copy_file_range via directCopy, else bufferedCopy).
            new Hook("sun.nio.fs.UnixCopyFile", isStatic().and(named("copyFile")).and(takesArguments(5)),
                    CopyFile17.class),
            new Hook("sun.nio.fs.UnixFileSystem", named("copyFile").and(takesArguments(5)), CopyFile.class),
            new Hook("sun.nio.fs.LinuxFileSystem", named("directCopy").and(returns(int.class)), DirectCopy.class),
            new Hook("sun.nio.fs.LinuxFileSystem", named("bufferedCopy"), BufferedCopy.class),
            new Hook("sun.nio.fs.UnixFileSystem", named("bufferedCopy"), BufferedCopy.class),
            new Hook("java.nio.file.Files", isStatic().and(named("copy"))
                    .and(takesArguments(Path.class, OutputStream.class)), StreamCopy.class),
            new Hook("java.nio.file.Files", isStatic().and(named("copy")).and(takesArguments(3))
                    .and(takesArgument(0, InputStream.class)).and(takesArgument(1, Path.class)), StreamCopy.class));
    }

    static final class CopyFile17 {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.Argument(0) Object source, @Advice.Argument(2) Object target) {
            return Probe.enterComposite(Codes.OP_FILES_COPY, source, target);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Argument(1) Object attrs, @Advice.Thrown Throwable t) {
            long size = ((BasicFileAttributes) attrs).size();
            if (t == null) Probe.compositePath(Codes.PATH_DIRECT); // JDK 17 copies with native sendfile
            Probe.exitSized(h, size, t == null ? size : 0, t);
        }
    }

    static final class CopyFile {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.Argument(0) Object source, @Advice.Argument(2) Object target) {
            return Probe.enterComposite(Codes.OP_FILES_COPY, source, target);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Argument(1) Object attrs, @Advice.Thrown Throwable t) {
            long size = ((BasicFileAttributes) attrs).size();
            Probe.exitSized(h, size, t == null ? size : 0, t);
        }
    }

    static final class DirectCopy {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Return int rc, @Advice.Thrown Throwable t) {
            if (t == null && rc == 0) Probe.compositePath(Codes.PATH_DIRECT);
        }
    }

    static final class BufferedCopy {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Thrown Throwable t) {
            if (t == null) Probe.compositePath(Codes.PATH_LOOP);
        }
    }

    /** Files.copy between a path and a stream, either way: a read/write loop in the JDK. */
    static final class StreamCopy {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.Argument(0) Object from, @Advice.Argument(1) Object to) {
            return Probe.enterComposite(Codes.OP_FILES_COPY, from, to);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Return long n, @Advice.Thrown Throwable t) {
            Probe.exitSized(h, n, n, t);
        }
    }
}
