// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import io.copytrace.cli.CopytraceCli;
import java.nio.file.Path;
import java.util.Map;

/** {@code java -jar copytrace.jar ...}: the analyzer's commands plus {@code attach}, which needs this jar. */
public final class AgentCli {
    private AgentCli() {}

    /** Runs the command line; {@code agentJar} is the jar it runs from. Returns the exit status. */
    public static int run(String[] args, Path agentJar) {
        return CopytraceCli.run(args, Map.of("attach", new AttachCommand(agentJar)));
    }
}
