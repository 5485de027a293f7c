// SPDX-License-Identifier: Apache-2.0
package io.copytrace.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.report.Golden;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Pins the copy model: the primer's tables as a golden file, plus the agent-facing functions. */
class CopyModelTest {
    @Test
    void tablesMatchTheGoldenFile() {
        StringBuilder out = new StringBuilder("pattern | syscalls | mode switches | CPU copies | DMA copies\n");
        for (CopyPattern p : CopyPattern.values()) {
            out.append(String.format(Locale.ROOT, "%s | %d | %d | %d | %d%n", p.title(), p.syscallsPerChunk(),
                    p.modeSwitchesPerChunk(), p.cpuCopies(), p.dmaCopies()));
        }
        out.append("\nJVM-added copy | extra CPU copies | where\n");
        for (JvmCopy c : JvmCopy.values()) {
            out.append(c.title()).append(" | +").append(c.extraCpuCopies()).append(" | ").append(c.where()).append('\n');
        }
        out.append("\nJava read+write loop | CPU copies per byte\n");
        for (BufferKind b : new BufferKind[] {BufferKind.HEAP, BufferKind.DIRECT, BufferKind.BYTE_ARRAY}) {
            out.append(b.wireName()).append(" | ").append(CopyModel.javaLoopCopiesPerByte(b)).append('\n');
        }
        out.append("\nTLS path (SSLEngine) | CPU copies per byte | without TLS | added by TLS\n");
        for (Operation op : new Operation[] {Operation.TLS_WRAP, Operation.TLS_UNWRAP}) {
            for (boolean file : op == Operation.TLS_WRAP ? new boolean[] {true, false} : new boolean[] {false}) {
                out.append(op.wireName()).append(op == Operation.TLS_WRAP ? file ? " of file data" : " of memory" : "")
                        .append(" | ").append(CopyModel.tlsPathCopiesPerByte(op, file)).append(" | ")
                        .append(CopyModel.plaintextPathCopiesPerByte(op, file)).append(" | ")
                        .append(CopyModel.tlsExtraCopiesPerByte(op, file)).append('\n');
            }
        }
        Golden.check("copy-model.txt", out.toString());
    }

    @Test
    void primerNumbers() {
        assertEquals(4, CopyPattern.READ_WRITE.modeSwitchesPerChunk());
        assertEquals(2, CopyPattern.READ_WRITE.cpuCopies());
        assertEquals(1, CopyPattern.MMAP_WRITE.cpuCopies());
        assertEquals(2, CopyPattern.SENDFILE.modeSwitchesPerChunk());
        assertEquals(1, CopyPattern.SENDFILE.cpuCopies());
        assertEquals(0, CopyPattern.SENDFILE_SG.cpuCopies());
        assertEquals(4, CopyModel.javaLoopCopiesPerByte(BufferKind.HEAP));
        assertEquals(2, CopyModel.javaLoopCopiesPerByte(BufferKind.DIRECT));
        // TLS row: file data read into user memory, encrypted, written (3) where sendfile makes 1
        assertEquals(3, CopyModel.tlsPathCopiesPerByte(Operation.TLS_WRAP, true));
        assertEquals(1, CopyModel.plaintextPathCopiesPerByte(Operation.TLS_WRAP, true));
        assertEquals(2, CopyModel.tlsExtraCopiesPerByte(Operation.TLS_WRAP, true));
        assertEquals(1, CopyModel.tlsExtraCopiesPerByte(Operation.TLS_WRAP, false));
        assertEquals(1, CopyModel.tlsExtraCopiesPerByte(Operation.TLS_UNWRAP, false));
    }

    @Test
    void agentFacingFunctionsKeepTheirResults() {
        assertEquals(CopyPattern.SENDFILE, CopyModel.pattern(Operation.FILE_TRANSFER_TO, TransferPath.DIRECT, EndpointKind.SOCKET));
        assertEquals(CopyPattern.COPY_FILE_RANGE, CopyModel.pattern(Operation.FILE_TRANSFER_TO, TransferPath.DIRECT, EndpointKind.FILE));
        assertEquals(1, CopyModel.kernelCopiesPerByte(Operation.FILE_TRANSFER_TO, TransferPath.LOOP, EndpointKind.CHANNEL));
        assertEquals(2, CopyModel.kernelCopiesPerByte(Operation.FILE_TRANSFER_TO, TransferPath.LOOP, EndpointKind.SOCKET));
        assertEquals(300, CopyModel.cpuCopiedBytes(Operation.SOCKET_WRITE, TransferPath.SYSCALL, EndpointKind.SOCKET, 100, 200));
        assertEquals(3.0, CopyModel.cpuCopiesPerByte(Operation.SOCKET_WRITE, TransferPath.SYSCALL, EndpointKind.SOCKET, 100, 200));
        assertEquals("copy_file_range(EINVAL)+sendfile", CopyModel.directMechanism(21, Operation.FILE_TRANSFER_TO, EndpointKind.SOCKET));
        assertEquals("sendfile", CopyModel.directMechanism(17, Operation.FILE_TRANSFER_TO, EndpointKind.SOCKET));
    }

    @Test
    void jvmCopyOfARecordIncludesTheJdkTransferLoopsBuffer() {
        assertEquals(JvmCopy.HEAP_CHANNEL_IO, CopyModel.jvmCopy(Operation.SOCKET_WRITE, TransferPath.SYSCALL, BufferKind.HEAP));
        assertEquals(null, CopyModel.jvmCopy(Operation.SOCKET_WRITE, TransferPath.SYSCALL, BufferKind.DIRECT));
        assertEquals(JvmCopy.JAVA_IO_STREAM, CopyModel.jvmCopy(Operation.STREAM_READ, TransferPath.SYSCALL, BufferKind.BYTE_ARRAY));
        assertEquals(JvmCopy.FRAMEWORK, CopyModel.jvmCopy(Operation.FRAMEWORK_COPY, TransferPath.NONE, BufferKind.HEAP));
        // FileChannel's transfer loop reads into a heap ByteBuffer; Files.copy's and InputStream.transferTo's into a byte[]
        assertEquals(JvmCopy.HEAP_CHANNEL_IO, CopyModel.jvmCopy(Operation.FILE_TRANSFER_TO, TransferPath.LOOP, BufferKind.NONE));
        assertEquals(JvmCopy.JAVA_IO_STREAM, CopyModel.jvmCopy(Operation.FILES_COPY, TransferPath.LOOP, BufferKind.NONE));
        assertEquals(null, CopyModel.jvmCopy(Operation.FILE_TRANSFER_TO, TransferPath.DIRECT, BufferKind.NONE));
        assertEquals(null, CopyModel.jvmCopy(Operation.FILE_TRANSFER_TO, TransferPath.MAPPED, BufferKind.NONE));
    }

    @Test
    void estimatedSyscallsFollowThePath() {
        long mib4 = 4 << 20;
        assertEquals(2, CopyModel.estimatedSyscalls(Operation.FILE_TRANSFER_TO, TransferPath.DIRECT, EndpointKind.SOCKET, 25, 1, mib4));
        assertEquals(1, CopyModel.estimatedSyscalls(Operation.FILE_TRANSFER_TO, TransferPath.DIRECT, EndpointKind.SOCKET, 17, 1, mib4));
        assertEquals(3, CopyModel.estimatedSyscalls(Operation.FILE_TRANSFER_TO, TransferPath.MAPPED, EndpointKind.FILE, 17, 1, mib4));
        assertEquals(513, CopyModel.estimatedSyscalls(Operation.FILE_TRANSFER_TO, TransferPath.LOOP, EndpointKind.CHANNEL, 17, 1, mib4));
        assertEquals(1025, CopyModel.estimatedSyscalls(Operation.FILE_TRANSFER_TO, TransferPath.LOOP, EndpointKind.SOCKET, 17, 1, mib4));
        assertEquals(0, CopyModel.estimatedSyscalls(Operation.TLS_WRAP, TransferPath.TLS_ENGINE, EndpointKind.TLS_ENGINE, 17, 9, mib4));
    }

    @Test
    void streamHelperLoopsMove16KiBPerStepFromJdk21() {
        assertEquals(8192, CopyModel.loopChunk(Operation.FILES_COPY, 17));
        assertEquals(16384, CopyModel.loopChunk(Operation.FILES_COPY, 25));
        assertEquals(16384, CopyModel.loopChunk(Operation.STREAM_TRANSFER_TO, 21));
        assertEquals(8192, CopyModel.loopChunk(Operation.FILE_TRANSFER_TO, 25));
        // 8 MiB through Files.copy(Path, FileOutputStream) on 25: 512 reads + 512 writes (+1 call)
        assertEquals(1025, CopyModel.estimatedSyscalls(Operation.FILES_COPY, TransferPath.LOOP, EndpointKind.FILE,
                25, 1, 8L << 20));
        assertEquals(2049, CopyModel.estimatedSyscalls(Operation.FILES_COPY, TransferPath.LOOP, EndpointKind.FILE,
                17, 1, 8L << 20));
    }

    @Test
    void jvmCopiesOfSmallChunksRunInTheCache() {
        // a 64 KiB heap buffer's copy runs in the cache, a 1 MiB one streams like the kernel's copies
        assertTrue(CopyModel.jvmCopyInCache(64 * 1024));
        assertTrue(CopyModel.jvmCopyInCache(CopyModel.CACHE_RESIDENT_CHUNK));
        assertFalse(CopyModel.jvmCopyInCache(CopyModel.CACHE_RESIDENT_CHUNK + 1));
        assertFalse(CopyModel.jvmCopyInCache(0));
        // a transfer's user-space loop copies its loop buffer, whatever one call asked for
        assertEquals(8 * 1024, CopyModel.jvmCopyChunk(Operation.FILE_TRANSFER_TO, TransferPath.LOOP, 17, 8L << 20));
        assertEquals(16 * 1024, CopyModel.jvmCopyChunk(Operation.FILES_COPY, TransferPath.LOOP, 25, 8L << 20));
        assertEquals(1 << 20, CopyModel.jvmCopyChunk(Operation.SOCKET_WRITE, TransferPath.SYSCALL, 17, 1 << 20));
    }
}
