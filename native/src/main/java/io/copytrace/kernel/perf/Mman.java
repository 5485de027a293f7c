// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.perf;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** {@code <sys/mman.h>}: mapping a perf ring buffer. */
public interface Mman extends Library {
    Mman LIBC = Native.load("c", Mman.class);

    /** Pages may be read. */
    int PROT_READ = 0x1;
    /** Pages may be written: needed so we can advance {@code data_tail} (otherwise overwrite mode). */
    int PROT_WRITE = 0x2;
    /** Share the mapping with the kernel's ring buffer. */
    int MAP_SHARED = 0x01;
    /** mmap's error return, {@code (void *) -1}. */
    Pointer MAP_FAILED = new Pointer(-1);

    Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset) throws LastErrorException;

    int munmap(Pointer addr, long length) throws LastErrorException;
}
