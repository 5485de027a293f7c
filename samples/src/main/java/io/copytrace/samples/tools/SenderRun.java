// SPDX-License-Identifier: Apache-2.0
package io.copytrace.samples.tools;

import io.copytrace.samples.Totals;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One sending JVM of the benchmark: runs a sample's {@code run(String...)} {@code warmup} times unmeasured,
 * then {@code runs} times, and prints each measured run's totals on one line, {@code RUN key=value ...}
 * ({@code time.cpu-ns} is this JVM's process CPU during the sample's timed I/O). With
 * {@code -Dcopytrace.sink=host:port} the receiving side is in another process, so that CPU is the sender's.
 *
 * <pre>
 * java -Dcopytrace.sink=10.213.0.2:40000 -cp samples/target/classes:analyzer/target/classes \
 *      io.copytrace.samples.tools.SenderRun io.copytrace.samples.Sample02HeapBufferSend 2 3 --mib=1024
 * </pre>
 */
public final class SenderRun {
    static final String PREFIX = "RUN ";

    private SenderRun() {}

    public static void main(String[] args) throws Exception {
        Method run = Class.forName(args[0]).getMethod("run", String[].class);
        int warmup = Integer.parseInt(args[1]);
        int runs = Integer.parseInt(args[2]);
        String[] sampleArgs = Arrays.copyOfRange(args, 3, args.length);
        for (int i = 0; i < warmup; i++) run.invoke(null, (Object) sampleArgs);
        for (int i = 0; i < runs; i++) System.out.println(line(((Totals) run.invoke(null, (Object) sampleArgs)).asMap()));
    }

    /** A measured run's totals as one {@code RUN} line. */
    static String line(Map<String, Long> totals) {
        return PREFIX + totals.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    /** The totals of every {@code RUN} line in a sending JVM's output, in order; other lines are ignored. */
    static List<Map<String, Long>> parse(String stdout) {
        return stdout.lines().filter(l -> l.startsWith(PREFIX)).map(SenderRun::totals).toList();
    }

    private static Map<String, Long> totals(String line) {
        Map<String, Long> totals = new LinkedHashMap<>();
        for (String pair : line.substring(PREFIX.length()).trim().split(" +")) {
            int eq = pair.indexOf('=');
            if (eq < 1) throw new IllegalArgumentException("not key=value: '" + pair + "' in " + line);
            totals.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
        }
        return totals;
    }
}
