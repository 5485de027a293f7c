// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import java.util.List;

/**
 * One picture of the way a finding's bytes travel, as the zero-copy primer and its seed articles draw them:
 * the stations the bytes pass (disk, page cache, user memory, a temporary direct buffer, socket buffer, NIC)
 * and, between each two consecutive stations, an arrow saying who moves the bytes (DMA, the CPU in the
 * kernel, in the JVM or in a framework, or nothing but descriptors), how many bytes and how many CPU copies
 * of each. A finding carries "now" and "after" the fix, or one "what runs" for a path that is already good.
 * Built by {@link CopyPaths} from the recorded records and flows; the copies come from the copy model.
 *
 * @param label                "now", "after: transferTo = sendfile", "what runs: ..."
 * @param bytes                the bytes the picture is about (the finding's bytes): copies per byte are over these
 * @param stations             in the order the bytes pass them, at least one
 * @param arrows               between consecutive stations: {@code arrows.get(i)} goes from station i to i + 1
 * @param syscalls             syscalls over the recording window, as the copy model estimates them; -1 when unknown
 * @param syscallsPerChunk     syscalls per chunk moved (a read and a write, one transfer), per the copy pattern
 * @param modeSwitchesPerChunk user/kernel mode switches per chunk, per the copy pattern
 * @param note                 one sentence more (e.g. what a scatter/gather-DMA NIC changes), or empty
 */
public record CopyPath(String label, long bytes, List<Station> stations, List<Arrow> arrows, long syscalls,
                       int syscallsPerChunk, int modeSwitchesPerChunk, String note) {
    public CopyPath {
        stations = List.copyOf(stations);
        arrows = List.copyOf(arrows);
        if (stations.isEmpty() || arrows.size() != stations.size() - 1) {
            throw new IllegalArgumentException(stations.size() + " stations need " + (stations.size() - 1) + " arrows, not "
                    + arrows.size());
        }
        note = note == null ? "" : note;
    }

    /** Where the bytes are: on a device, in the kernel, or in the process's (user) memory. */
    public enum Space {
        DEVICE("device"), KERNEL("kernel"), USER("user");

        private final String wireName;

        Space(String wireName) {
            this.wireName = wireName;
        }

        /** The name in the JSON report. */
        public String wireName() {
            return wireName;
        }
    }

    /** Who moves the bytes along an arrow. Only the CPU movers copy; the others cost no CPU per byte. */
    public enum Mover {
        /** A device copies by direct memory access: the disk controller, the NIC. */
        DMA("dma", "DMA", "DMA", false),
        /** The CPU, in a syscall: read, write, sendfile, copy_file_range. */
        KERNEL("cpu-kernel", "CPU", "CPU in the kernel", true),
        /** The CPU in the JVM: a heap buffer's temporary direct buffer, a JNI array copy, SSLEngine. */
        JVM("cpu-jvm", "CPU(JVM)", "CPU in the JVM", true),
        /** The CPU in a framework's own Java code (Netty's heap → direct copy before a socket write). */
        FRAMEWORK("cpu-framework", "CPU(framework)", "CPU in a framework", true),
        /** Scatter/gather DMA, splice: only page references (descriptors) move, not the bytes. */
        DESCRIPTORS("descriptors", "descriptors", "descriptors only", false),
        /** A memory mapping: user memory is the page cache itself; page faults, no copy. */
        MAPPING("mapping", "mapped", "mapped, no copy", false),
        /** Handed to another channel's write(): what that channel does is recorded on its own records. */
        HANDOVER("handover", "write()", "handed over", false);

        private final String wireName;
        private final String tag;
        private final String title;
        private final boolean cpu;

        Mover(String wireName, String tag, String title, boolean cpu) {
            this.wireName = wireName;
            this.tag = tag;
            this.title = title;
            this.cpu = cpu;
        }

        /** The name in the JSON report. */
        public String wireName() {
            return wireName;
        }

        /** The short tag a text line puts on the arrow: "disk →DMA→ page cache". */
        public String tag() {
            return tag;
        }

        /** Who moves the bytes, for a reader. */
        public String title() {
            return title;
        }

        /** True when the CPU copies the bytes along this arrow. */
        public boolean cpu() {
            return cpu;
        }
    }

    /** A place the bytes pass. */
    public record Station(String name, Space space) {}

    /**
     * One step of the bytes.
     *
     * @param mover     who moves them
     * @param bytes     bytes moved along this arrow over the window (a heap write's re-copies after partial
     *                  writes make the JVM's arrow carry more than the picture's bytes)
     * @param cpuCopies CPU copies of each of those bytes, from the copy model (0 unless the mover is a CPU)
     * @param what      the code or syscall that moves them
     */
    public record Arrow(Mover mover, long bytes, int cpuCopies, String what) {
        public Arrow {
            if (!mover.cpu() && cpuCopies != 0) throw new IllegalArgumentException(mover + " makes no CPU copy");
        }

        /** CPU-copied bytes along this arrow. */
        public long cpuCopiedBytes() {
            return bytes * cpuCopies;
        }
    }

    /** CPU-copied bytes along the whole path. */
    public long cpuCopiedBytes() {
        long sum = 0;
        for (Arrow a : arrows) sum += a.cpuCopiedBytes();
        return sum;
    }

    /** CPU copies per byte of the picture's bytes; 0 when it has none. */
    public double cpuCopiesPerByte() {
        return bytes <= 0 ? 0 : (double) cpuCopiedBytes() / bytes;
    }

    /** Arrows the CPU copies along. */
    public int cpuArrows() {
        int n = 0;
        for (Arrow a : arrows) if (a.mover().cpu() && a.cpuCopies() > 0) n++;
        return n;
    }

    /** "2" for a whole number, "4.19" otherwise: copies per byte for a picture's caption. */
    public static String copies(double perByte) {
        long whole = Math.round(perByte);
        return Math.abs(perByte - whole) < 0.005 ? Long.toString(whole) : Units.ratio(perByte);
    }

    /**
     * The picture as one line of text:
     * {@code now: disk →DMA→ page cache →CPU→ user memory (direct) →CPU→ socket buffer →DMA→ NIC (2 CPU copies/byte)}.
     */
    public String line() {
        StringBuilder out = new StringBuilder(160).append(label).append(": ").append(stations.get(0).name());
        for (int i = 0; i < arrows.size(); i++) {
            out.append(" →").append(arrows.get(i).mover().tag()).append("→ ").append(stations.get(i + 1).name());
        }
        double perByte = cpuCopiesPerByte();
        out.append(" (").append(copies(perByte)).append(perByte == 1 ? " CPU copy/byte" : " CPU copies/byte");
        if (syscalls >= 0) out.append(", ").append(Units.count(syscalls)).append(syscalls == 1 ? " syscall" : " syscalls");
        return out.append(')').toString();
    }
}
