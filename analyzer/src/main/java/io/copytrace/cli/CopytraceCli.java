// SPDX-License-Identifier: Apache-2.0
package io.copytrace.cli;

import io.copytrace.recording.BadRecording;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code copytrace} command line: {@code java -jar copytrace.jar <command> ...}.
 * Exit status: 0 success, 1 a {@code check} budget was exceeded, 2 bad usage or an unreadable recording.
 */
@Command(name = "copytrace", mixinStandardHelpOptions = true, version = "copytrace 0.1.0",
        description = "Finds every byte a JVM service copies that it did not need to copy.",
        subcommands = {SummaryCommand.class, ReportCommand.class, DiffCommand.class, CheckCommand.class,
                MergeCommand.class})
public final class CopytraceCli implements Callable<Integer> {
    /** A budget was exceeded ({@code check}). */
    public static final int EXIT_OVER_BUDGET = 1;
    /** Bad usage, or a missing, truncated, corrupt or too new recording. */
    public static final int EXIT_BAD_INPUT = 2;

    /** Runs the command line and returns the exit status. */
    public static int run(String[] args) {
        return run(args, java.util.Map.of());
    }

    /**
     * Runs the command line with more subcommands (the agent jar adds {@code attach}, which needs the agent's
     * classes) and returns the exit status.
     */
    public static int run(String[] args, java.util.Map<String, Object> moreCommands) {
        CommandLine cl = new CommandLine(new CopytraceCli());
        moreCommands.forEach(cl::addSubcommand);
        // One line per problem; the stack only with COPYTRACE_DEBUG=1, for bugs in copytrace itself.
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof BadRecording) {
                err.println("copytrace: " + ex.getMessage());
            } else if (ex instanceof java.io.IOException) {
                err.println("copytrace: " + ex);
            } else {
                err.println("copytrace: internal error: " + ex + " (set COPYTRACE_DEBUG=1 for the stack trace)");
            }
            if ("1".equals(System.getenv("COPYTRACE_DEBUG"))) ex.printStackTrace(err);
            err.flush();
            return EXIT_BAD_INPUT;
        });
        return cl.execute(args);
    }

    /** Entry point when the analyzer runs on its own. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return EXIT_BAD_INPUT;
    }
}
