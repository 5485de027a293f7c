// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.analysis.CopyCpuText;
import java.util.List;

/**
 * A named figure of a finding's evidence: its key in the JSON report, which says the unit, and the unit that
 * renders it in prose. The schema of every key is in {@code docs/report-format.md} (a test keeps the two in step).
 */
public enum Figure {
    // a record: "512 file.write calls, 4.0 MiB moved, path syscall, buffer heap, 2.00 CPU copies/byte"
    CALLS("calls", Unit.COUNT),
    OPERATION("operation", Unit.TEXT),
    BYTES_MOVED("bytesMoved", Unit.BYTES),
    PATH("path", Unit.TEXT),
    BUFFER("buffer", Unit.TEXT),
    FORM("form", Unit.TEXT),
    CPU_COPIES_PER_BYTE("cpuCopiesPerByte", Unit.COPIES_PER_BYTE),
    SITE("site", Unit.TEXT),
    // where the bytes come from or go
    ENDPOINT("endpoint", Unit.TEXT),
    ENDPOINT_NAMES("endpointNames", Unit.TEXTS),
    FILES("files", Unit.TEXTS),
    SOURCE_KIND("sourceKind", Unit.TEXT),
    TARGET_KIND("targetKind", Unit.TEXT),
    // how the bytes move, and what a fix changes
    MECHANISM("mechanism", Unit.TEXT),
    PATTERN("pattern", Unit.TEXT),
    CPU_COPIES_PER_BYTE_WITH_SG_DMA("cpuCopiesPerByteWithSgDma", Unit.COPIES_PER_BYTE),
    EGRESS("egress", Unit.TEXTS),
    CONGESTION_CONTROL("congestionControl", Unit.TEXTS),
    CPU_COPIES_PER_BYTE_ON_REFLINK("cpuCopiesPerByteOnReflink", Unit.COPIES_PER_BYTE),
    STEPS("steps", Unit.TEXTS),
    SYSCALLS_NOW("syscallsNow", Unit.COUNT),
    SYSCALLS_AFTER("syscallsAfter", Unit.COUNT),
    BATCH_BYTES("batchBytes", Unit.BYTES),
    MODE_SWITCHES_AVOIDED("modeSwitchesAvoided", Unit.COUNT),
    FIX_COST_NANOS("fixCostNanos", Unit.NANOS),
    // the JVM's own copies and allocations
    JVM_COPIED_BYTES("jvmCopiedBytes", Unit.BYTES),
    JVM_COPY("jvmCopy", Unit.TEXT),
    RECOPIED_BYTES("recopiedBytes", Unit.BYTES),
    PARTIAL_CALLS("partialCalls", Unit.COUNT),
    NATIVE_ALLOCATIONS("nativeAllocations", Unit.COUNT),
    MAX_CACHED_BUFFER_BYTES("maxCachedBufferBytes", Unit.BYTES),
    CACHED_BUFFER_BYTES("cachedBufferBytes", Unit.BYTES),
    // small calls
    BYTES_MOVED_PER_CALL("bytesMovedPerCall", Unit.BYTES),
    BYTES_REQUESTED_PER_CALL("bytesRequestedPerCall", Unit.BYTES),
    COUNTERPART_CALLS("counterpartCalls", Unit.COUNT),
    COUNTERPART_OPERATION("counterpartOperation", Unit.TEXT),
    COUNTERPART_SITE("counterpartSite", Unit.TEXT),
    COMPLETE_CALLS("completeCalls", Unit.COUNT),
    // transfers that fell back
    REASON("reason", Unit.TEXT),
    JAVA_VERSION("javaVersion", Unit.TEXT),
    JDK_FEATURE("jdkFeature", Unit.NUMBER),
    // mappings, relays and loops
    MAPPED_BYTES("mappedBytes", Unit.BYTES),
    MAP_CALLS("mapCalls", Unit.COUNT),
    WRITTEN_BYTES("writtenBytes", Unit.BYTES),
    WRITE_CALLS("writeCalls", Unit.COUNT),
    PAGE_FAULTS_MINOR("pageFaultsMinor", Unit.COUNT),
    PAGE_FAULTS_MAJOR("pageFaultsMajor", Unit.COUNT),
    PAGE_FAULT_CALLS("pageFaultCalls", Unit.COUNT),
    LOAD_CALLS("loadCalls", Unit.COUNT),
    LOAD_CALLS_IN_RECORDING("loadCallsInRecording", Unit.COUNT),
    RELAYED_BYTES("relayedBytes", Unit.BYTES),
    HANDED_OFF_BYTES("handedOffBytes", Unit.BYTES),
    // a relay's hand-offs, from the kernel's per-thread counts
    VOLUNTARY_CONTEXT_SWITCHES("voluntaryContextSwitches", Unit.COUNT),
    SHARE_OF_THREAD_CALLS("shareOfThreadCalls", Unit.SHARE),
    HAND_OFFS("handOffs", Unit.COUNT),
    HAND_OFF_NANOS("handOffNanos", Unit.NANOS),
    CROSS_CORE_NANOS("crossCoreNanos", Unit.NANOS),
    // this host's kernel copy into memory 1-15 bytes ahead of its source, and further apart (ns per KiB)
    SHORT_DISTANCE_COPY_NANOS_PER_KIB("shortDistanceCopyNanosPerKib", Unit.NUMBER),
    APART_COPY_NANOS_PER_KIB("apartCopyNanosPerKib", Unit.NUMBER),
    // heap arrays allocated per read call, from the agent's fresh-array counts
    FRESH_ARRAYS("freshArrays", Unit.COUNT),
    FRESH_ARRAY_BYTES("freshArrayBytes", Unit.BYTES),
    FRESH_ARRAY_NANOS("freshArrayNanos", Unit.NANOS),
    FRAMEWORK_COPIED_BYTES("frameworkCopiedBytes", Unit.BYTES),
    COUNTED_ELSEWHERE_BYTES("countedElsewhereBytes", Unit.BYTES),
    CALLER("caller", Unit.TEXT),
    ATTRIBUTION("attribution", Unit.TEXT),
    APPLICATION_FRAME("applicationFrame", Unit.TEXT),
    // TLS
    ENCRYPTED_BYTES("encryptedBytes", Unit.BYTES),
    DECRYPTED_BYTES("decryptedBytes", Unit.BYTES),
    THREAD_GROUPS("threadGroups", Unit.ITEMS),
    THREADS("threads", Unit.TEXT),
    FILE_BYTES_SAME_METHOD("fileBytesSameMethod", Unit.BYTES),
    FILE_BYTES_INFERRED("fileBytesInferred", Unit.BYTES),
    DATA_PARTS("dataParts", Unit.ITEMS),
    DATA("data", Unit.TEXT),
    BYTES("bytes", Unit.BYTES),
    TLS_CPU_COPIES_PER_BYTE("tlsCpuCopiesPerByte", Unit.COPIES_PER_BYTE),
    PLAINTEXT_CPU_COPIES_PER_BYTE("plaintextCpuCopiesPerByte", Unit.COPIES_PER_BYTE),
    ADDED_CPU_COPIES_PER_BYTE("addedCpuCopiesPerByte", Unit.COPIES_PER_BYTE),
    ADDED_CPU_COPIED_BYTES("addedCpuCopiedBytes", Unit.BYTES),
    // the JDK's per-thread temporary direct buffer caches at the close
    SITE_CACHED_BUFFER_BYTES("siteCachedBufferBytes", Unit.BYTES),
    SITE_CACHED_BUFFER_THREADS("siteCachedBufferThreads", Unit.COUNT),
    CACHED_BUFFER_BYTES_ALL("cachedBufferBytesAll", Unit.BYTES),
    CACHED_BUFFER_THREADS_ALL("cachedBufferThreadsAll", Unit.COUNT),
    // where sent file bytes came from: the sending threads' storage reads (per-thread /proc)
    STORAGE_READ_BYTES("storageReadBytes", Unit.BYTES),
    // kernel TLS: the negotiated suites, whether kTLS implements them, the host's tls module, what kTLS saves
    CIPHER_SUITES("cipherSuites", Unit.TEXTS),
    KTLS_SUITES("ktlsSuites", Unit.BOOLEAN),
    KTLS_MODULE_LOADED("ktlsModuleLoaded", Unit.BOOLEAN),
    TLS_STAT_PRESENT("tlsStatPresent", Unit.BOOLEAN),
    KTLS_SAVED_CPU_COPIED_BYTES("ktlsSavedCpuCopiedBytes", Unit.BYTES),
    // kernel counts
    KERNEL_ROWS("kernelRows", Unit.ITEMS),
    FAMILY("family", Unit.TEXT),
    KERNEL_SYSCALLS("kernelSyscalls", Unit.TEXTS),
    KERNEL_SOURCE("kernelSource", Unit.TEXT),
    KERNEL_CALLS("kernelCalls", Unit.COUNT),
    AGENT_CALLS("agentCalls", Unit.COUNT),
    UNEXPLAINED_CALLS("unexplainedCalls", Unit.COUNT),
    // CPU profile (profile=cpu)
    COPY_NANOS("copyNanos", Unit.NANOS),
    SHARE_OF_CPU("shareOfCpu", Unit.SHARE),
    COPY_CLASSES("copyClasses", Unit.ITEMS),
    COPY_CLASS("copyClass", Unit.TEXT),
    NANOS("nanos", Unit.NANOS),
    METHOD_CPU_NANOS("methodCpuNanos", Unit.NANOS),
    METHOD("method", Unit.TEXT),
    METHOD_SITES("methodSites", Unit.COUNT),
    KERNEL_KNOWN("kernelKnown", Unit.BOOLEAN),
    SAMPLE_INTERVAL_NANOS("sampleIntervalNanos", Unit.NANOS),
    // a merged recording: which JVMs of the fleet the finding's bytes came from
    JVM_SHARES("jvmShares", Unit.ITEMS),
    JVM("jvm", Unit.TEXT),
    CPU_COPIED_BYTES("cpuCopiedBytes", Unit.BYTES),
    SHARE_OF_SITE("shareOfSite", Unit.SHARE),
    CONTRIBUTING_JVMS("contributingJvms", Unit.COUNT),
    FLEET_JVMS("fleetJvms", Unit.COUNT);

    private final String key;
    private final Unit unit;

    Figure(String key, Unit unit) {
        this.key = key;
        this.unit = unit;
    }

    /** The key in the JSON report's evidence, its unit in the name. */
    public String key() {
        return key;
    }

    /** What the value is and how prose shows it. */
    public Unit unit() {
        return unit;
    }

    /**
     * What a figure's value is, and the one place that renders it in prose. The JSON report writes the value as
     * is: a number for the numeric units, a string, an array of strings, or an array of objects (items).
     */
    public enum Unit {
        /** Calls, syscalls or events, exact: "10,000". */
        COUNT,
        /** Bytes, exact: "4.0 MiB" in prose. */
        BYTES,
        /** CPU copies per byte: "2.00" for a measured ratio, "1" for a copy model's whole number. */
        COPIES_PER_BYTE,
        /** Nanoseconds: "137.0 ms" in prose. */
        NANOS,
        /** A share between 0 and 1: "8.6%" in prose. */
        SHARE,
        /** A plain whole number: "17". */
        NUMBER,
        /** A name (an operation, a path, a frame); may be null in the JSON report when not known. */
        TEXT,
        /** Names, joined with ", " in prose. */
        TEXTS,
        /** True or false; never in prose. */
        BOOLEAN,
        /** Items each with figures of their own, joined by the line's separator in prose. */
        ITEMS;

        /** True for the units written as JSON numbers. */
        public boolean numeric() {
            return switch (this) {
                case COUNT, BYTES, COPIES_PER_BYTE, NANOS, SHARE, NUMBER -> true;
                default -> false;
            };
        }

        /** {@code value} in prose. */
        String render(Object value) {
            return switch (this) {
                case COUNT -> Units.count((Long) value);
                case BYTES -> Units.bytes((Long) value);
                case COPIES_PER_BYTE -> value instanceof Double d ? Units.ratio(d) : value.toString();
                case NANOS -> Units.nanos((Long) value);
                case SHARE -> CopyCpuText.percent((Double) value);
                case NUMBER, TEXT, BOOLEAN -> String.valueOf(value);
                case TEXTS -> String.join(", ", castNames(value));
                case ITEMS -> throw new IllegalStateException("items render through their parts");
            };
        }

        /** {@code value} as stored: longs for whole numbers, and an error for a value of the wrong type. */
        Object check(Figure f, Object value) {
            Object v = switch (this) {
                case COUNT, BYTES, NANOS, NUMBER -> value instanceof Integer i ? Long.valueOf(i) : value;
                case COPIES_PER_BYTE -> value instanceof Long l ? Integer.valueOf(Math.toIntExact(l)) : value;
                default -> value;
            };
            boolean ok = switch (this) {
                case COUNT, BYTES, NANOS, NUMBER -> v instanceof Long;
                case COPIES_PER_BYTE -> v instanceof Double || v instanceof Integer;
                case SHARE -> v instanceof Double;
                case TEXT -> v == null || v instanceof String;
                case TEXTS -> v instanceof List<?>;
                case BOOLEAN -> v instanceof Boolean;
                case ITEMS -> false;
            };
            if (!ok) throw new IllegalArgumentException(f + " takes a " + this + ", not " + value);
            return v;
        }

        @SuppressWarnings("unchecked")
        private static List<String> castNames(Object value) {
            return (List<String>) value;
        }
    }
}
