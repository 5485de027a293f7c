// SPDX-License-Identifier: Apache-2.0
package io.copytrace.jfr;

import io.copytrace.model.BufferKind;
import io.copytrace.model.CopyModel;
import io.copytrace.model.EndpointKind;
import io.copytrace.model.FallbackReason;
import io.copytrace.model.IoForm;
import io.copytrace.model.Operation;
import io.copytrace.model.SendOffload;
import io.copytrace.model.TransferPath;
import io.copytrace.recording.BadRecording;
import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.Endpoint;
import io.copytrace.recording.Recording;
import io.copytrace.recording.Site;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.EventType;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JDK Flight Recorder file made without copytrace, read as a {@link Recording}: the JDK's own
 * {@code jdk.FileRead}, {@code jdk.FileWrite}, {@code jdk.SocketRead} and {@code jdk.SocketWrite} events become
 * one record per (call site, operation, file or peer) with path {@code syscall}, the events as calls and their
 * bytes as bytes moved, so every report format and rule works on them. What the events cannot show is the
 * recording's {@link io.copytrace.recording.Origin} ({@link JfrLimits}). See {@code docs/jfr.md}.
 */
public final class JfrRecording {
    /** The four JDK events read; other events only for the settings and the JVM. */
    static final List<String> IO_EVENTS = List.of("jdk.FileRead", "jdk.FileWrite", "jdk.SocketRead", "jdk.SocketWrite");
    private static final byte[] MAGIC = {'F', 'L', 'R', 0};
    private static final Pattern JRE_VERSION = Pattern.compile("JRE \\((\\d+)([^)]*)\\)");

    /** One record's key: site, operation, buffer and the one file or peer. */
    private record Key(Site site, Operation operation, BufferKind buffer, String name) {}

    /** One record's counts. */
    private static final class Counts {
        long calls, bytes, eofCalls;
    }

    private final Map<String, Site> sites = new LinkedHashMap<>();
    private final Map<Key, Counts> rows = new LinkedHashMap<>();
    private final JfrLimits limits = new JfrLimits();
    private Instant first, last;
    private String jvmVersion, javaArguments;
    private long pid;

    private JfrRecording() {}

    /** True when the file starts as a JFR file does ({@code FLR\0}). */
    public static boolean isJfr(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
        } catch (IOException x) {
            return false; // the recording reader reports what is wrong with it
        }
    }

    /** Reads a JFR file; every problem comes back as one {@link BadRecording} line. */
    public static Recording read(Path file) throws BadRecording {
        String copytrace = copytraceRecording(file);
        if (copytrace != null) return Recording.parse(copytrace, file.getFileName().toString());
        JfrRecording r = new JfrRecording();
        try (RecordingFile jfr = new RecordingFile(file)) {
            Map<Long, String> types = r.types(jfr, file);
            while (jfr.hasMoreEvents()) r.event(jfr.readEvent(), types);
        } catch (IOException | RuntimeException x) {
            throw new BadRecording(file + ": unreadable JFR file: " + x.getMessage());
        }
        return r.recording(file);
    }

    /**
     * The agent's recording carried by the file's last {@code copytrace.Recording} event (the agent emits it at
     * each chunk's start and end while JFR runs), or null when the file has no copytrace events; a file with
     * copytrace site events but no recording event (one larger than the agent sends) is refused.
     */
    private static String copytraceRecording(Path file) throws BadRecording {
        try (RecordingFile jfr = new RecordingFile(file)) {
            boolean copytrace = false;
            for (EventType t : jfr.readEventTypes()) copytrace |= t.getName().startsWith("copytrace.");
            if (!copytrace) return null;
            String json = null;
            java.time.Instant at = null;
            while (jfr.hasMoreEvents()) {
                RecordedEvent e = jfr.readEvent();
                if (!e.getEventType().getName().equals("copytrace.Recording")) continue;
                if (at == null || !e.getEndTime().isBefore(at)) {
                    at = e.getEndTime();
                    json = e.getString("json");
                }
            }
            if (json == null) {
                throw new BadRecording(file + ": this JFR file holds copytrace site events but no copytrace.Recording"
                        + " event (the agent leaves it out above 4 MiB): use the agent's recording-PID.json");
            }
            return json;
        } catch (IOException | RuntimeException x) {
            throw new BadRecording(file + ": unreadable JFR file: " + x.getMessage());
        }
    }

    /** Event type names by id. */
    private Map<Long, String> types(RecordingFile jfr, Path file) throws IOException, BadRecording {
        Map<Long, String> types = new HashMap<>();
        for (EventType t : jfr.readEventTypes()) types.put(t.getId(), t.getName());
        return types;
    }

    private void event(RecordedEvent e, Map<Long, String> types) {
        if (first == null || e.getStartTime().isBefore(first)) first = e.getStartTime();
        if (last == null || e.getEndTime().isAfter(last)) last = e.getEndTime();
        String type = e.getEventType().getName();
        switch (type) {
            case "jdk.ActiveSetting" -> {
                String of = types.get(e.getLong("id"));
                if (IO_EVENTS.contains(of)) limits.setting(of, e.getString("name"), e.getString("value"));
            }
            case "jdk.JVMInformation" -> {
                jvmVersion = e.getString("jvmVersion");
                javaArguments = e.getString("javaArguments");
                pid = e.getLong("pid");
            }
            case "jdk.FileRead" -> io(e, true, true, e.getString("path"), e.getLong("bytesRead"), e.getBoolean("endOfFile"));
            case "jdk.FileWrite" -> io(e, true, false, e.getString("path"), e.getLong("bytesWritten"), false);
            case "jdk.SocketRead" -> io(e, false, true, peer(e), e.getLong("bytesRead"), e.getBoolean("endOfStream"));
            case "jdk.SocketWrite" -> io(e, false, false, peer(e), e.getLong("bytesWritten"), false);
            default -> { }
        }
    }

    /** A peer as {@code InetSocketAddress} prints it, as the agent names peers: {@code host/address:port}. */
    private static String peer(RecordedEvent e) {
        String host = e.getString("host"), address = e.getString("address");
        String prefix = host == null || host.isEmpty() || host.equals(address) ? "" : host;
        return prefix + "/" + address + ":" + e.getInt("port");
    }

    private void io(RecordedEvent e, boolean file, boolean read, String name, long bytes, boolean eof) {
        JfrStack stack = JfrStack.of(e.getStackTrace());
        limits.event(e.getEventType().getName(), stack);
        JfrStack.Api api = stack == null || stack.api == null ? new JfrStack.Api(false) : stack.api;
        Site site = stack == null ? JfrStack.NO_STACK : stack.site.isEmpty() ? JfrStack.JDK_INTERNAL : site(stack.site);
        Counts c = rows.computeIfAbsent(new Key(site, api.operation(file, read), api.buffer(), name), k -> new Counts());
        c.calls++;
        c.bytes += Math.max(0, bytes);
        if (eof) c.eofCalls++;
    }

    private Site site(List<String> frames) {
        return sites.computeIfAbsent(frames.get(0), f -> new Site(sites.size() + 1, "app", f, frames));
    }

    private Recording recording(Path file) {
        int feature = 17;
        String javaVersion = "?";
        Matcher m = jvmVersion == null ? null : JRE_VERSION.matcher(jvmVersion);
        if (m != null && m.find()) {
            feature = Integer.parseInt(m.group(1));
            javaVersion = m.group(1) + m.group(2);
        }
        List<CopyRecord> records = new ArrayList<>(rows.size());
        rows.forEach((k, c) -> records.add(record(k, c)));
        records.sort(Comparator.comparingLong(CopyRecord::bytesMoved).reversed());
        List<Site> allSites = new ArrayList<>(sites.values());
        allSites.add(JfrStack.JDK_INTERNAL);
        allSites.add(JfrStack.NO_STACK);
        Recording.Jvm jvm = new Recording.Jvm(pid, javaVersion, feature,
                javaArguments == null ? "?" : javaArguments, null, 0);
        long window = first == null ? 0 : Math.max(0, last.toEpochMilli() - first.toEpochMilli()) * 1_000_000;
        return new Recording(file.getFileName().toString(), jvm, window, !limits.anyWithoutStack(), List.copyOf(allSites),
                List.copyOf(records), Recording.Totals.of(records), Optional.empty(), List.of(), List.of(),
                Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), limits.origin());
    }

    private static CopyRecord record(Key k, Counts c) {
        EndpointKind kind = k.operation().wireName().contains("socket") ? EndpointKind.SOCKET : EndpointKind.FILE;
        Endpoint named = new Endpoint(kind, k.name() == null ? List.of() : List.of(k.name()));
        Endpoint memory = new Endpoint(EndpointKind.MEMORY, List.of());
        boolean read = k.operation().isInbound();
        Endpoint target = read ? memory : named;
        long cpu = CopyModel.cpuCopiedBytes(k.operation(), TransferPath.SYSCALL, target.kind(), SendOffload.UNKNOWN,
                c.bytes, 0);
        // Bytes requested are not in the events: taken as moved, as the recording reader does when absent.
        return new CopyRecord(k.site(), k.operation(), IoForm.NONE, TransferPath.SYSCALL, null, FallbackReason.NONE, null,
                k.buffer(),
                read ? named : memory, target, false, c.calls, c.bytes, c.bytes, c.eofCalls, 0, 0, 0, 0, cpu);
    }
}
