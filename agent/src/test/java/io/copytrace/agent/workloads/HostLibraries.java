// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.workloads;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;

/**
 * An application that brings its own JNA and Byte Buddy (older versions than the agent's, put on the class
 * path by the test): it calls libc through its JNA, makes a class with its Byte Buddy, says which jars they
 * came from, and writes 100 × 4 KiB through a heap buffer for the agent to record.
 */
final class HostLibraries {
    private HostLibraries() {}

    /** The app's own binding of libc. */
    public interface CLib extends Library {
        int getpid();
    }

    static void run(Path dir) throws Exception {
        CLib libc = Native.load("c", CLib.class);
        System.out.println("JNA " + jar(Native.class));
        System.out.println("GETPID " + libc.getpid() + " " + ProcessHandle.current().pid());
        // An explicit class file version: this Byte Buddy predates JDK 25.
        Class<?> made = new ByteBuddy(ClassFileVersion.JAVA_V17).subclass(Object.class).name("app.Made").make()
                .load(HostLibraries.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER).getLoaded();
        System.out.println("BYTEBUDDY " + jar(ByteBuddy.class) + " made " + made.getName());
        try (FileChannel ch = FileChannel.open(dir.resolve("out"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.allocate(4096);
            for (int i = 0; i < 100; i++) {
                buf.clear();
                hostWrite(ch, buf);
            }
        }
    }

    static int hostWrite(FileChannel ch, ByteBuffer buf) throws Exception {
        return ch.write(buf);
    }

    private static String jar(Class<?> c) {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().getPath()).getFileName().toString();
    }
}
