// SPDX-License-Identifier: Apache-2.0
package io.copytrace.recording;

import io.copytrace.model.BufferKind;
import io.copytrace.model.CopyModel;
import io.copytrace.model.FallbackReason;
import io.copytrace.model.IoForm;
import io.copytrace.model.Operation;
import io.copytrace.model.TransferPath;
import java.util.List;

/**
 * One row of a recording: the exact counts of one (site, operation, form, path, reason, buffer,
 * endpoints, nested) combination. Field meanings are those of {@code docs/recording-format.md};
 * {@code threads} holds the thread name groups seen on walked calls (empty when not recorded), {@code pageFaults}
 * the faults the calls took themselves ({@link PageFaults#NONE} when not measured), {@code freshArrays} the heap
 * arrays its reads filled for the first time ({@link FreshArrays#NONE} when none was counted).
 */
public record CopyRecord(Site site, Operation operation, IoForm form, TransferPath path, String mechanism,
                         FallbackReason reason, FallbackReason mappedReason, BufferKind buffer,
                         Endpoint source, Endpoint target, boolean nested, long calls, long bytesRequested,
                         long bytesMoved, long eofCalls, long partialCalls, long failedCalls,
                         long jvmCopiedBytes, long nativeAllocations, long cpuCopiedBytes, List<String> threads,
                         PageFaults pageFaults, FreshArrays freshArrays) {

    /** A record without fresh arrays. */
    public CopyRecord(Site site, Operation operation, IoForm form, TransferPath path, String mechanism,
                      FallbackReason reason, FallbackReason mappedReason, BufferKind buffer,
                      Endpoint source, Endpoint target, boolean nested, long calls, long bytesRequested,
                      long bytesMoved, long eofCalls, long partialCalls, long failedCalls,
                      long jvmCopiedBytes, long nativeAllocations, long cpuCopiedBytes, List<String> threads,
                      PageFaults pageFaults) {
        this(site, operation, form, path, mechanism, reason, mappedReason, buffer, source, target, nested, calls,
                bytesRequested, bytesMoved, eofCalls, partialCalls, failedCalls, jvmCopiedBytes, nativeAllocations,
                cpuCopiedBytes, threads, pageFaults, FreshArrays.NONE);
    }

    /** A record without page faults. */
    public CopyRecord(Site site, Operation operation, IoForm form, TransferPath path, String mechanism,
                      FallbackReason reason, FallbackReason mappedReason, BufferKind buffer,
                      Endpoint source, Endpoint target, boolean nested, long calls, long bytesRequested,
                      long bytesMoved, long eofCalls, long partialCalls, long failedCalls,
                      long jvmCopiedBytes, long nativeAllocations, long cpuCopiedBytes, List<String> threads) {
        this(site, operation, form, path, mechanism, reason, mappedReason, buffer, source, target, nested, calls,
                bytesRequested, bytesMoved, eofCalls, partialCalls, failedCalls, jvmCopiedBytes, nativeAllocations,
                cpuCopiedBytes, threads, PageFaults.NONE);
    }

    /** A record without thread names. */
    public CopyRecord(Site site, Operation operation, IoForm form, TransferPath path, String mechanism,
                      FallbackReason reason, FallbackReason mappedReason, BufferKind buffer,
                      Endpoint source, Endpoint target, boolean nested, long calls, long bytesRequested,
                      long bytesMoved, long eofCalls, long partialCalls, long failedCalls,
                      long jvmCopiedBytes, long nativeAllocations, long cpuCopiedBytes) {
        this(site, operation, form, path, mechanism, reason, mappedReason, buffer, source, target, nested, calls,
                bytesRequested, bytesMoved, eofCalls, partialCalls, failedCalls, jvmCopiedBytes, nativeAllocations,
                cpuCopiedBytes, List.of());
    }

    /**
     * True for application traffic, as the recording's totals count it: not a jdk-internal site and not
     * inside another record (folded {@code other}/{@code excluded} buckets are application traffic).
     */
    public boolean isApplication() {
        return !"jdk-internal".equals(site.kind()) && !nested;
    }

    /** CPU copies per byte moved (kernel per the copy model plus measured JVM copies), 0 if nothing moved. */
    public double cpuCopiesPerByte() {
        return bytesMoved <= 0 ? 0 : (double) cpuCopiedBytes / bytesMoved;
    }

    /** Bytes moved per call, 0 without calls. */
    public long bytesPerCall() {
        return calls <= 0 ? 0 : bytesMoved / calls;
    }

    /** Bytes requested per call, 0 without calls. */
    public long requestedPerCall() {
        return calls <= 0 ? 0 : bytesRequested / calls;
    }

    /** The JVM-copied bytes that ran in the CPU cache ({@link CopyModel#jvmCopyInCache}): all of them or none. */
    public long jvmCopiedBytesInCache(int jdkFeature) {
        long chunk = CopyModel.jvmCopyChunk(operation, path, jdkFeature, requestedPerCall());
        return CopyModel.jvmCopyInCache(chunk) ? jvmCopiedBytes : 0;
    }

    /** Syscalls these calls made, as the copy model estimates them for a JDK feature version. */
    public long estimatedSyscalls(int jdkFeature) {
        return CopyModel.estimatedSyscalls(operation, path, target.kind(), jdkFeature, calls, bytesMoved);
    }
}
