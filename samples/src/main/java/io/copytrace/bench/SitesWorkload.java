// SPDX-License-Identifier: Apache-2.0
package io.copytrace.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import javax.tools.ToolProvider;

/**
 * Makes and runs a class with {@code n} distinct call sites (one FileChannel write each), then reports
 * heap used after a GC and the resident set size, 2 s later (the agent has built its recording once):
 * {@code MEM heapUsed=B rss=B}.
 */
public final class SitesWorkload {
    private SitesWorkload() {}

    /** Writes and compiles {@code Sites.java} with {@code n} write lines in 100-line methods; returns the class dir. */
    static Path compile(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        StringBuilder src = new StringBuilder("public final class Sites {\n");
        int methods = (n + 99) / 100;
        for (int m = 0; m < methods; m++) {
            src.append("  static void m").append(m).append("(java.nio.channels.FileChannel c, java.nio.ByteBuffer b)"
                    + " throws java.io.IOException {\n");
            for (int i = 0; i < 100 && m * 100 + i < n; i++) src.append("    b.clear(); c.write(b);\n");
            src.append("  }\n");
        }
        src.append("  public static void run(java.nio.channels.FileChannel c, java.nio.ByteBuffer b) throws java.io.IOException {\n");
        for (int m = 0; m < methods; m++) src.append("    m").append(m).append("(c, b);\n");
        src.append("  }\n}\n");
        Path file = dir.resolve("Sites.java");
        Files.writeString(file, src);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(), file.toString());
        if (rc != 0) throw new IOException("javac failed on " + file);
        return dir;
    }

    public static void main(String[] args) throws Exception {
        try (FileChannel ch = FileChannel.open(Path.of("/dev/null"), StandardOpenOption.WRITE)) {
            Class.forName("Sites").getMethod("run", FileChannel.class, ByteBuffer.class)
                    .invoke(null, ch, ByteBuffer.allocateDirect(16));
        }
        // The agent's footprint once it has built its recording (its warm-up rehearses the close a quarter of a
        // second after start; every checkpoint and the close build it again): measured before that, as until session
        // 15, the heap and compiler memory its tree leaves resident were missed (+20.8 MiB read, ~+80 after it).
        Thread.sleep(2000);
        System.gc();
        Thread.sleep(200);
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long rss = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
        System.out.println("MEM heapUsed=" + heap + " rss=" + rss);
    }
}
