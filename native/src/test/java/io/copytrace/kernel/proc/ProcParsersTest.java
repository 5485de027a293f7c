// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.copytrace.kernel.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcParsersTest {
    private final Path procSelf = Fixtures.path("proc-self");

    @Test
    void ioFileGivesCharsAndCalls() throws Exception {
        ProcIo io = ProcIo.parse(Files.readString(procSelf.resolve("io")));
        assertEquals(new ProcIo(134_306_025, 108_068_864, 1702, 10_001), io);
    }

    @Test
    void ioDeltaKeepsUnknownUnknown() {
        ProcIo start = new ProcIo(10, 20, 1, -1);
        ProcIo end = new ProcIo(110, 220, 3, 9);
        assertEquals(new ProcIo(100, 200, 2, -1), end.minus(start));
        assertEquals(new ProcIo(-1, -1, -1, -1), ProcIo.parse("garbage"));
    }

    @Test
    void statSkipsACommandNameWithSpacesAndParentheses() throws Exception {
        ProcStat stat = ProcStat.parse(Files.readString(procSelf.resolve("stat")));
        assertEquals(new ProcStat(1753, 2), stat);
        assertEquals(new ProcStat(-1, -1), ProcStat.parse("no parenthesis"));
    }

    @Test
    void statusGivesContextSwitchesAndCapabilities() throws Exception {
        ProcStatus main = ProcStatus.parse(Files.readString(procSelf.resolve("task/4242/status")));
        ProcStatus worker = ProcStatus.parse(Files.readString(procSelf.resolve("task/4243/status")));
        assertEquals(7, main.voluntaryContextSwitches());
        assertEquals(3, main.nonvoluntaryContextSwitches());
        assertFalse(main.hasCapability(ProcStatus.CAP_PERFMON));
        assertTrue(worker.hasCapability(ProcStatus.CAP_PERFMON));
        assertTrue(worker.hasCapability(ProcStatus.CAP_SYS_ADMIN));
        assertFalse(KernelSettings.mayBypassParanoid(procSelf), "the process-level status has CapEff 0");
    }

    @Test
    void snapshotSumsEveryTask() {
        ProcSnapshot snapshot = ProcSnapshot.read(procSelf);
        assertEquals(407, snapshot.voluntaryContextSwitches());
        assertEquals(23, snapshot.nonvoluntaryContextSwitches());
        assertEquals(2, snapshot.tasks());
        assertEquals(10_001, snapshot.io().syscw());
        assertEquals(1753, snapshot.stat().minorFaults());
        assertEquals(List.of(4242, 4243), KernelSettings.taskIds(procSelf));
    }

    @Test
    void snapshotOfAMissingDirectoryIsUnknownNotAnError() {
        ProcSnapshot snapshot = ProcSnapshot.read(procSelf.resolve("does-not-exist"));
        assertNull(snapshot.io());
        assertNull(snapshot.stat());
        assertEquals(-1, snapshot.voluntaryContextSwitches());
    }

    @Test
    void limitsGiveTheSoftOpenFilesLimit() {
        assertEquals(20_000, ProcLimits.maxOpenFiles(procSelf));
        assertEquals(Long.MAX_VALUE, ProcLimits.maxOpenFiles("Max open files            unlimited   unlimited  files"));
        assertEquals(-1, ProcLimits.maxOpenFiles("Max cpu time unlimited"));
    }

    @Test
    void paranoidLevelIsReadOrUnknown() throws Exception {
        Path file = Files.createTempFile("paranoid", "");
        Files.writeString(file, "2\n");
        assertEquals(2, KernelSettings.perfEventParanoid(file));
        Files.delete(file);
        assertEquals(Integer.MIN_VALUE, KernelSettings.perfEventParanoid(file));
    }

    @Test
    void cpuListSyntax() {
        assertEquals(List.of(0, 1), CpuList.parse("0-1\n"));
        assertEquals(List.of(0, 2, 3, 4, 8), CpuList.parse("0,2-4,8"));
        assertFalse(CpuList.online().isEmpty());
    }
}
