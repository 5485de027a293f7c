// SPDX-License-Identifier: Apache-2.0
package io.copytrace.cli;

import io.copytrace.json.JsonReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The {@code copytrace} command line: {@code java -jar copytrace.jar <command> ...}. */
@Command(name = "copytrace", mixinStandardHelpOptions = true, version = "copytrace 0.1.0",
        description = "Finds every byte a JVM service copies that it did not need to copy.",
        subcommands = {CopytraceCli.Summary.class})
public final class CopytraceCli implements Callable<Integer> {
    /** Runs the command line and returns the exit status. */
    public static int run(String[] args) {
        return new CommandLine(new CopytraceCli()).execute(args);
    }

    /** Entry point when the analyzer runs on its own. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 2;
    }

    /** Prints the heaviest records of a recording. */
    @Command(name = "summary", description = "Print the heaviest copy records of a recording.")
    static final class Summary implements Callable<Integer> {
        @Parameters(index = "0", description = "the recording (recording-PID.json)")
        Path recording;

        @CommandLine.Option(names = "--top", defaultValue = "10", description = "records to show (default 10)")
        int top;

        @Override
        @SuppressWarnings("unchecked")
        public Integer call() {
            Map<String, Object> root;
            try {
                root = RecordingFile.read(recording);
            } catch (RecordingFile.BadRecording bad) {
                System.err.println("copytrace: " + bad.getMessage());
                return 1;
            }
            PrintWriter out = new PrintWriter(System.out, true);
            Map<String, Object> totals = (Map<String, Object>) root.get("totals");
            Map<String, Object> jvm = (Map<String, Object>) root.get("jvm");
            out.printf("copytrace recording of %s (Java %s)%n", jvm.get("mainCommand"), jvm.get("javaVersion"));
            out.printf("application: %,d calls, %,d bytes moved, %,d bytes CPU-copied (%,d by the JVM itself)%n",
                    totals.get("calls"), totals.get("bytesMoved"), totals.get("cpuCopiedBytes"),
                    totals.get("jvmCopiedBytes"));
            out.printf("%-18s %-8s %-7s %14s %14s %7s  %s%n", "operation", "path", "buffer", "bytes moved",
                    "CPU-copied", "copies", "call site");
            List<Map<String, Object>> records = (List<Map<String, Object>>) root.get("records");
            Map<Object, String> frames = new java.util.HashMap<>();
            for (Map<String, Object> s : (List<Map<String, Object>>) root.get("sites")) frames.put(s.get("id"), (String) s.get("frame"));
            int shown = 0;
            for (Map<String, Object> r : records) {
                if (shown++ >= top) break;
                out.printf("%-18s %-8s %-7s %,14d %,14d %7.2f  %s%n", r.get("operation"), r.get("path"), r.get("buffer"),
                        r.get("bytesMoved"), r.get("cpuCopiedBytes"), ((Number) r.get("cpuCopiesPerByte")).doubleValue(),
                        frames.get(r.get("site")));
            }
            return 0;
        }
    }

    /** Reads and checks a recording file. */
    static final class RecordingFile {
        static final int SUPPORTED_VERSION = 1;

        /** A recording that cannot be read, with a message naming the file and the problem. */
        static final class BadRecording extends Exception {
            private static final long serialVersionUID = 1L;

            BadRecording(String message) {
                super(message);
            }
        }

        @SuppressWarnings("unchecked")
        static Map<String, Object> read(Path file) throws BadRecording {
            String text;
            try {
                text = Files.readString(file);
            } catch (NoSuchFileException x) {
                throw new BadRecording(file + ": no such file");
            } catch (IOException x) {
                throw new BadRecording(file + ": cannot read it: " + x.getMessage());
            }
            Object tree;
            try {
                tree = JsonReader.parse(text);
            } catch (JsonReader.JsonException x) {
                throw new BadRecording(file + ": not a valid recording: " + x.getMessage());
            }
            if (!(tree instanceof Map<?, ?> m) || !"copytrace-recording".equals(m.get("format"))) {
                throw new BadRecording(file + ": not a copytrace recording (no \"format\": \"copytrace-recording\")");
            }
            Object v = m.get("version");
            if (!(v instanceof Long version) || version > SUPPORTED_VERSION) {
                throw new BadRecording(file + ": recording format version " + v + " is newer than this copytrace reads ("
                        + SUPPORTED_VERSION + "): use a newer copytrace");
            }
            return (Map<String, Object>) m;
        }
    }
}
