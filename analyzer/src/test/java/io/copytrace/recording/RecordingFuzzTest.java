// SPDX-License-Identifier: Apache-2.0
package io.copytrace.recording;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.copytrace.analysis.Analysis;
import io.copytrace.analysis.HostCost;
import io.copytrace.analysis.Report;
import io.copytrace.report.ReportFormatFactory;
import io.copytrace.report.ReportFormatType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Thousands of damaged recordings, made with a fixed seed from real ones: truncated, bytes flipped, values of
 * the wrong type, impossible numbers, deep nesting. Each is either refused with one {@link BadRecording} line
 * naming the file, or read and then analyzed and rendered in every format without an exception: never a crash,
 * a hang or a stack trace for the user.
 */
class RecordingFuzzTest {
    static final String[] FIXTURES = {"heap-jdk17", "netty-chunkedfile-jdk17", "tls-jdk25", "mixed-kernel-jdk17",
        "coldsend-jdk17"};
    static final Pattern NUMBER = Pattern.compile("(?<=[:\\[,] ?)-?\\d+(\\.\\d+)?(?=[,\\]}\\s])");
    static final String[] BAD_NUMBERS = {"-5", "1e400", "-1e400", "99999999999999999999999", "1.5", "\"x\"", "[]", "{}",
        "null", "true", "-0.0"};

    @Test
    void damagedRecordingsAreRefusedInOneLineOrReadAndRenderedWithoutAnException() throws Exception {
        Random random = new Random(20261125);
        HostCost cost = HostCost.fixed(10, 250);
        int refused = 0, read = 0;
        long started = System.nanoTime();
        for (String name : FIXTURES) {
            String text = Files.readString(Path.of("src/test/resources/recordings", name + ".json"));
            for (int i = 0; i < 600; i++) {
                String damaged = mutate(text, random);
                try {
                    Recording r = Recording.parse(damaged, "fuzz-" + name + "-" + i + ".json");
                    Report report = Analysis.analyze(r, cost);
                    for (ReportFormatType t : ReportFormatType.values()) ReportFormatFactory.getInstance(t).render(report);
                    read++;
                } catch (BadRecording bad) {
                    assertTrue(bad.getMessage().startsWith("fuzz-" + name + "-" + i + ".json: "), bad.getMessage());
                    assertTrue(!bad.getMessage().contains("\n"), bad.getMessage());
                    refused++;
                } catch (Throwable t) {
                    fail("mutation " + i + " of " + name + " crashed with " + t + "\n" + snippet(damaged, text), t);
                }
            }
        }
        assertTrue(refused > 100 && read > 100, refused + " refused, " + read + " read");
        assertTrue(System.nanoTime() - started < 120_000_000_000L, "too slow: a hang?");
    }

    private static String mutate(String text, Random random) {
        switch (random.nextInt(6)) {
            case 0: // truncated
                return text.substring(0, random.nextInt(text.length()));
            case 1: { // a few bytes flipped
                char[] c = text.toCharArray();
                for (int k = 1 + random.nextInt(3); k > 0; k--) c[random.nextInt(c.length)] = (char) (32 + random.nextInt(95));
                return new String(c);
            }
            case 2: // a number made impossible or of another type
            case 3: {
                Matcher m = NUMBER.matcher(text);
                int count = 0;
                while (m.find()) count++;
                if (count == 0) return text;
                int pick = random.nextInt(count);
                m.reset();
                for (int k = 0; k <= pick; k++) m.find();
                return text.substring(0, m.start()) + BAD_NUMBERS[random.nextInt(BAD_NUMBERS.length)] + text.substring(m.end());
            }
            case 4: { // a string value swapped for a number, list or object
                int at = text.indexOf(": \"", random.nextInt(text.length()));
                if (at < 0) return text;
                int end = text.indexOf('"', at + 3);
                if (end < 0) return text;
                String[] swaps = {"42", "[]", "{}", "[\"a\", 1]", "null"};
                return text.substring(0, at + 2) + swaps[random.nextInt(swaps.length)] + text.substring(end + 1);
            }
            default: { // deep nesting where a value stands
                int at = text.indexOf(": ", random.nextInt(text.length()));
                if (at < 0) return text;
                int depth = random.nextBoolean() ? 50 : 100_000;
                return text.substring(0, at + 2) + "[".repeat(depth) + "]".repeat(depth) + ", \"_\": " + text.substring(at + 2);
            }
        }
    }

    private static String snippet(String damaged, String original) {
        int i = 0;
        while (i < Math.min(damaged.length(), original.length()) && damaged.charAt(i) == original.charAt(i)) i++;
        return "first difference at " + i + ": ..." + damaged.substring(Math.max(0, i - 40), Math.min(damaged.length(), i + 60));
    }
}
