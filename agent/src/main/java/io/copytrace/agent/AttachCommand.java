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
 * {@code copytrace attach PID stop} ends the open window early and prints the recording it wrote.
 */
@Command(name = "attach", description = "Open a recording window in a running JVM, or end it with 'stop'; a JVM"
        + " may have any number of windows, one at a time (JDK 21+: start it with -XX:+EnableDynamicAgentLoading to"
        + " keep the JDK's warning off its stderr).")
final class AttachCommand implements Callable<Integer> {
    private final Path agentJar;

    @Parameters(index = "0", description = "the JVM's process id")
    String pid;

    @Parameters(index = "1", arity = "0..1", defaultValue = "",
            description = "agent options, as after -javaagent:copytrace.jar= (e.g. duration=30s,report=html); or "
                    + "'stop': end the open window now (writes its recording, takes the hooks out)")
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
        if (options.trim().equals(AgentMain.STOP)) return stop();
        String args;
        Path out;
        try {
            out = AgentOptions.parse(options, new Properties(), Map.of()).out.toAbsolutePath().normalize();
            args = withOut(options, out);
        } catch (AgentOptions.Invalid bad) {
            bad.lines().forEach(l -> System.err.println(l.replace("; agent disabled", "; nothing attached")));
            return CopytraceCli.EXIT_BAD_INPUT;
        }
        String status = load(args);
        if (status == null) return CopytraceCli.EXIT_BAD_INPUT;
        java.util.regex.Matcher opened = OPENED.matcher(status);
        if (!opened.lookingAt()) {
            System.err.println(status);
            return CopytraceCli.EXIT_BAD_INPUT;
        }
        System.out.println("copytrace: attached to " + pid + ", " + status);
        return await ? awaitRecording(Path.of(opened.group(1))) : 0;
    }

    /** A window's opening line, and its recording file (recording-PID.json, or recording-PID-N.json). */
    private static final java.util.regex.Pattern OPENED =
            java.util.regex.Pattern.compile("recording to (.*recording-[0-9]+(?:-[0-9]+)?\\.json)");

    /** {@code copytrace attach PID stop}: ends the open window, and says which recording it wrote. */
    private int stop() {
        String status = load(AgentMain.STOP);
        if (status == null) return CopytraceCli.EXIT_BAD_INPUT;
        if (!status.startsWith(Bootstrap.STOPPED)) {
            System.err.println(status);
            return CopytraceCli.EXIT_BAD_INPUT;
        }
        System.out.println("copytrace: " + pid + ": " + status);
        return 0;
    }

    /**
     * Loads the agent into the JVM with {@code args} and returns what it said, or null when it could not be
     * loaded (said on stderr).
     */
    private String load(String args) {
        try {
            VirtualMachine vm = VirtualMachine.attach(pid);
            try {
                vm.loadAgent(agentJar.toString(), args);
                String status = vm.getAgentProperties().getProperty(AgentMain.STATUS);
                return status == null ? "copytrace: the agent in " + pid + " said nothing" : status;
            } finally {
                vm.detach();
            }
        } catch (AttachNotSupportedException | IOException e) {
            System.err.println("copytrace: cannot attach to " + pid + ": " + e.getMessage()
                    + " (is it a running JVM of this user, started without -XX:+DisableAttachMechanism?)");
        } catch (AgentLoadException | AgentInitializationException e) {
            System.err.println("copytrace: the JVM " + pid + " could not load " + agentJar + ": " + e.getMessage());
        }
        return null;
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
