// SPDX-License-Identifier: Apache-2.0
package io.copytrace.cli;

import io.copytrace.files.AtomicFile;
import io.copytrace.json.JsonWriter;
import io.copytrace.recording.BadRecording;
import io.copytrace.recording.FleetMerge;
import io.copytrace.recording.Recording;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code copytrace merge OUT IN...}: one recording of a fleet, from the recordings of its JVMs. */
@Command(name = "merge", description = "Merge recordings of many JVMs of one service into one recording"
        + " (records summed, per-JVM totals kept); report, diff and check read it like any recording.")
final class MergeCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "the merged recording to write")
    Path out;

    @Parameters(index = "1..*", arity = "1..*", description = "the recordings to merge (merged ones too)")
    List<Path> inputs;

    @Override
    public Integer call() throws BadRecording, IOException {
        for (Path in : inputs) {
            if (in.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
                System.err.println("copytrace: " + out + " is also an input: write the merge to another file");
                return CopytraceCli.EXIT_BAD_INPUT;
            }
        }
        String text = JsonWriter.write(FleetMerge.merge(inputs));
        Recording merged = Recording.parse(text, out.toString()); // never write a file copytrace could not read
        AtomicFile.write(out, text);
        System.err.println("copytrace: merged " + inputs.size() + " recordings ("
                + merged.fleet().map(f -> f.members().size()).orElse(0) + " JVMs, " + merged.records().size()
                + " records) into " + out);
        return 0;
    }
}
