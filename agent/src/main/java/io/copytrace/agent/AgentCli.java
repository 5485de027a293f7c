// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import io.copytrace.cli.CopytraceCli;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/** {@code java -jar copytrace.jar ...}: the analyzer's commands plus {@code attach}, which needs this jar. */
public final class AgentCli {
    private AgentCli() {}

    /** Runs the command line; {@code agentJar} is the jar it runs from. Returns the exit status. */
    public static int run(String[] args, Path agentJar) {
        CommandLine attach = new CommandLine(new AttachCommand(agentJar));
        // attach --help lists the agent options; picocli formats footers, so a '%' in them must stay one.
        attach.getCommandSpec().addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        attach.getCommandSpec().usageMessage().footer("%nAgent options:%n" + AgentOptions.help().replace("%", "%%"));
        return CopytraceCli.run(args, Map.of("attach", attach));
    }
}
