// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import io.copytrace.cli.CopytraceCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code copytrace attach PID [OPTIONS]}: loads the agent into a running JVM with the Attach API. The options
 * are checked here first, so a typo is reported on the user's terminal instead of the app's stderr; a
 * relative {@code out=} (and the default one) is taken from this command's working directory, not the
 * app's. The agent leaves the outcome in the JVM's agent properties, and this command prints it.
 */
@Command(name = "attach", description = "Load the agent into a running JVM (JDK 21+: start it with "
        + "-XX:+EnableDynamicAgentLoading to keep the JDK's warning off its stderr).")
final class AttachCommand implements Callable<Integer> {
    private final Path agentJar;

    @Parameters(index = "0", description = "the JVM's process id")
    String pid;

    @Parameters(index = "1", arity = "0..1", defaultValue = "",
            description = "agent options, as after -javaagent:copytrace.jar= (e.g. duration=30s,report=html)")
    String options;

    @Option(names = "--wait", description = "wait for the recording (the window's duration, or the JVM's exit), "
            + "then print its summary")
    boolean await;

    AttachCommand(Path agentJar) {
        this.agentJar = agentJar;
    }

    @Override
    public Integer call() throws Exception {
        if (!pid.matches("[0-9]+")) {
            System.err.println("copytrace: '" + pid + "' is not a process id");
            return CopytraceCli.EXIT_BAD_INPUT;
        }
        String args;
        Path out;
        try {
            out = AgentOptions.parse(options, new Properties(), Map.of()).out.toAbsolutePath().normalize();
            args = withOut(options, out);
        } catch (AgentOptions.Invalid bad) {
            bad.lines().forEach(l -> System.err.println(l.replace("; agent disabled", "; nothing attached")));
            return CopytraceCli.EXIT_BAD_INPUT;
        }
        String status;
        try {
            VirtualMachine vm = VirtualMachine.attach(pid);
            try {
                vm.loadAgent(agentJar.toString(), args);
                status = vm.getAgentProperties().getProperty(AgentMain.STATUS);
            } finally {
                vm.detach();
            }
        } catch (AttachNotSupportedException | IOException e) {
            System.err.println("copytrace: cannot attach to " + pid + ": " + e.getMessage()
                    + " (is it a running JVM of this user, started without -XX:+DisableAttachMechanism?)");
            return CopytraceCli.EXIT_BAD_INPUT;
        } catch (AgentLoadException | AgentInitializationException e) {
            System.err.println("copytrace: the JVM " + pid + " could not load " + agentJar + ": " + e.getMessage());
            return CopytraceCli.EXIT_BAD_INPUT;
        }
        if (status == null || !status.startsWith("recording to ")) {
            System.err.println(status == null ? "copytrace: the agent in " + pid + " said nothing" : status);
            return CopytraceCli.EXIT_BAD_INPUT;
        }
        System.out.println("copytrace: attached to " + pid + ", " + status);
        return await ? awaitRecording(out.resolve("recording-" + pid + ".json")) : 0;
    }

    /** The options with their {@code out=} (if any) replaced by {@code out}. */
    static String withOut(String options, Path out) {
        List<String> kept = new ArrayList<>();
        for (String token : options.split(",")) {
            if (!token.isBlank() && !token.trim().startsWith("out=")) kept.add(token.trim());
        }
        kept.add("out=" + out);
        return String.join(",", kept);
    }

    private int awaitRecording(Path recording) throws InterruptedException {
        ProcessHandle jvm = ProcessHandle.of(Long.parseLong(pid)).orElse(null);
        while (!Files.exists(recording)) {
            if (jvm == null || !jvm.isAlive()) {
                // The JVM ended: its shutdown hook wrote the recording, or it was killed before it could.
                if (Files.exists(recording)) break;
                System.err.println("copytrace: " + pid + " ended without writing " + recording);
                return CopytraceCli.EXIT_BAD_INPUT;
            }
            Thread.sleep(100);
        }
        System.out.println("copytrace: wrote " + recording);
        return CopytraceCli.run(new String[] {"summary", recording.toString()});
    }
}
