// SPDX-License-Identifier: Apache-2.0
package io.copytrace.report;

import io.copytrace.analysis.CopyPath;
import io.copytrace.analysis.Units;
import java.util.ArrayList;
import java.util.List;

/**
 * A finding's {@link CopyPath} pictures as one inline SVG: each picture a column of stations (boxes, tinted by
 * where the bytes are: device, kernel, user memory) joined by arrows coloured by who moves the bytes, each
 * labelled with the bytes and the CPU copies; "now" beside "after", stations both pass on the same row, so the
 * fix's path visibly skips what it no longer needs. Styled by the report's CSS (classes only), no script, no
 * external resource. Only findings get one (at most the report's top findings), never sites.
 */
final class PathSvg {
    static final int COLUMN = 560;
    /** Boxes are at least this wide, wider for long station names (up to the column). */
    static final int BOX_WIDTH = 300;
    /** A generous width of one character of a station's name (12px, bold), for sizing its box. */
    static final double NAME_CHAR = 7.6;
    static final int BOX_HEIGHT = 30;
    static final int PITCH = 72;
    static final int TOP = 72;
    /** Characters of an arrow's second line that fit its column; longer ones end in … (full text on hover). */
    static final int WHAT_CHARS = 78;
    static final int NOTE_CHARS = 84;

    private PathSvg() {}

    /**
     * The legend of every figure, once above the findings: arrow colours and line styles by who moves the bytes,
     * box tints by where they are.
     */
    static String legend() {
        StringBuilder out = new StringBuilder("<p class=\"legend paths-legend\">Paths:");
        String[][] items = {{"sw kernel", "CPU copy in the kernel"}, {"sw jvm", "CPU copy in the JVM"},
            {"sw framework", "CPU copy in a framework"}, {"sw dma", "DMA (no CPU)"}, {"sw none", "no copy"},
            {"box user", "user memory"}, {"box kernel", "kernel"}, {"box device", "device"}};
        for (String[] item : items) {
            out.append("<span class=\"item\"><span class=\"").append(item[0]).append("\"></span>").append(item[1])
                    .append("</span>");
        }
        return out.append("</p>").toString();
    }

    /** A finding's figure: its pictures, two by two ("now" beside "after"). */
    static String figure(List<CopyPath> paths) {
        StringBuilder out = new StringBuilder(4096);
        out.append("<figure class=\"paths\">");
        for (int i = 0; i < paths.size(); i += 2) svg(out, paths.subList(i, Math.min(i + 2, paths.size())));
        return out.append("</figure>").toString();
    }

    private static void svg(StringBuilder out, List<CopyPath> pair) {
        List<int[]> rows = new ArrayList<>();
        int rowCount;
        if (pair.size() == 2) {
            int[][] r = align(names(pair.get(0)), names(pair.get(1)));
            rows.add(r[0]);
            rows.add(r[1]);
            rowCount = r[2][0];
        } else {
            int[] r = new int[pair.get(0).stations().size()];
            for (int i = 0; i < r.length; i++) r[i] = i;
            rows.add(r);
            rowCount = r.length;
        }
        int noteLines = 0;
        for (CopyPath p : pair) noteLines = Math.max(noteLines, wrap(p.note(), NOTE_CHARS).size());
        int longest = 0;
        for (CopyPath p : pair) for (CopyPath.Station s : p.stations()) longest = Math.max(longest, s.name().length());
        int box = Math.min(COLUMN - 20, Math.max(BOX_WIDTH, (int) Math.ceil(longest * NAME_CHAR) + 84));
        int height = TOP + rowCount * PITCH - (PITCH - BOX_HEIGHT) + (noteLines > 0 ? 12 + 15 * noteLines : 6);
        // one SVG per picture, the same height: side by side when the page is wide enough, "after" below "now" when not
        out.append("<div class=\"pair\">");
        for (int i = 0; i < pair.size(); i++) {
            out.append("<svg class=\"paths\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"").append(COLUMN)
                    .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(COLUMN).append(' ').append(height)
                    .append("\" aria-label=\"").append(HtmlFormat.esc(pair.get(i).line())).append("\">");
            column(out, pair.get(i), rows.get(i), 0, box, height);
            out.append("</svg>");
        }
        out.append("</div>");
    }

    /** One picture: its label and totals, then stations and arrows down the rows given. */
    private static void column(StringBuilder out, CopyPath p, int[] rows, int x, int box, int height) {
        text(out, p.label().startsWith("now") ? "head now" : "head later", x, 16, p.label());
        double perByte = p.cpuCopiesPerByte();
        text(out, "total", x, 36, CopyPath.copies(perByte) + (perByte == 1 ? " CPU copy" : " CPU copies") + " per byte · "
                + Units.bytes(p.cpuCopiedBytes()) + " copied by the CPU");
        StringBuilder calls = new StringBuilder();
        if (p.syscalls() >= 0) calls.append(Units.count(p.syscalls())).append(p.syscalls() == 1 ? " syscall · " : " syscalls · ");
        if (p.syscallsPerChunk() > 0) {
            calls.append(p.syscallsPerChunk()).append(p.syscallsPerChunk() == 1 ? " syscall, " : " syscalls, ")
                    .append(p.modeSwitchesPerChunk()).append(" mode switches per chunk");
        } else {
            calls.append("no syscall");
        }
        text(out, "calls", x, 54, calls.toString());
        int arrowX = x + 34;
        for (int i = 0; i < p.arrows().size(); i++) {
            CopyPath.Arrow a = p.arrows().get(i);
            int y1 = TOP + rows[i] * PITCH + BOX_HEIGHT, y2 = TOP + rows[i + 1] * PITCH;
            String kind = kind(a.mover());
            out.append("<g class=\"a ").append(kind).append("\">");
            boolean cut = a.what().length() > WHAT_CHARS;
            if (cut) out.append("<title>").append(HtmlFormat.esc(a.what())).append("</title>");
            out.append("<line x1=\"").append(arrowX).append("\" y1=\"").append(y1 + 1).append("\" x2=\"").append(arrowX)
                    .append("\" y2=\"").append(y2 - 8).append("\"/>");
            out.append("<polygon points=\"").append(arrowX - 6).append(',').append(y2 - 10).append(' ').append(arrowX + 6)
                    .append(',').append(y2 - 10).append(' ').append(arrowX).append(',').append(y2 - 1).append("\"/>");
            int mid = (y1 + y2) / 2;
            text(out, "l1", arrowX + 16, mid - 1, arrowLabel(a));
            String what = cut ? a.what().substring(0, WHAT_CHARS - 1) + "…" : a.what();
            text(out, "l2", arrowX + 16, mid + 14, what);
            out.append("</g>");
        }
        for (int i = 0; i < p.stations().size(); i++) {
            CopyPath.Station s = p.stations().get(i);
            int y = TOP + rows[i] * PITCH;
            String space = s.space().wireName();
            out.append("<g class=\"st ").append(space).append("\"><rect x=\"").append(x).append("\" y=\"").append(y)
                    .append("\" width=\"").append(box).append("\" height=\"").append(BOX_HEIGHT).append("\" rx=\"5\"/>");
            text(out, "name", x + 12, y + 20, s.name());
            out.append("<text class=\"space\" x=\"").append(x + box - 10).append("\" y=\"").append(y + 19)
                    .append("\" text-anchor=\"end\">").append(space).append("</text></g>");
        }
        List<String> note = wrap(p.note(), NOTE_CHARS);
        for (int i = 0; i < note.size(); i++) text(out, "note", x, height - 6 - 15 * (note.size() - 1 - i), note.get(i));
    }

    /** "16.0 MiB · 1 CPU copy in the kernel", "16.0 MiB · DMA, no CPU copy". */
    static String arrowLabel(CopyPath.Arrow a) {
        String bytes = Units.bytes(a.bytes()) + " · ";
        return switch (a.mover()) {
            case KERNEL, JVM, FRAMEWORK -> bytes + a.cpuCopies() + (a.cpuCopies() == 1 ? " CPU copy " : " CPU copies ")
                    + (a.mover() == CopyPath.Mover.KERNEL ? "in the kernel" : a.mover() == CopyPath.Mover.JVM ? "in the JVM"
                    : "in the framework");
            case DMA -> bytes + "DMA, no CPU copy";
            case DESCRIPTORS -> bytes + "descriptors only, no copy";
            case MAPPING -> bytes + "mapped, no copy (page faults)";
            case HANDOVER -> bytes + "handed to write(): no copy here";
        };
    }

    private static String kind(CopyPath.Mover m) {
        return switch (m) {
            case KERNEL -> "kernel";
            case JVM -> "jvm";
            case FRAMEWORK -> "framework";
            case DMA -> "dma";
            case DESCRIPTORS, MAPPING, HANDOVER -> "none";
        };
    }

    private static void text(StringBuilder out, String cls, int x, int y, String text) {
        out.append("<text class=\"").append(cls).append("\" x=\"").append(x).append("\" y=\"").append(y).append("\">")
                .append(HtmlFormat.esc(text)).append("</text>");
    }

    private static List<String> names(CopyPath p) {
        List<String> names = new ArrayList<>(p.stations().size());
        for (CopyPath.Station s : p.stations()) names.add(s.name());
        return names;
    }

    /**
     * Rows for two pictures' stations so that the stations both pass (a longest common subsequence of names) share
     * a row; between two shared stations each picture's own stations take the rows from the top. Returns the rows of
     * {@code a}, of {@code b}, and {{row count}}.
     */
    static int[][] align(List<String> a, List<String> b) {
        int n = a.size(), m = b.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int[] ra = new int[n], rb = new int[m];
        int i = 0, j = 0, row = 0;
        while (i < n || j < m) {
            // the next shared pair
            int ni = i, nj = j;
            while (ni < n && nj < m && !(a.get(ni).equals(b.get(nj)) && lcs[ni][nj] == lcs[ni + 1][nj + 1] + 1)) {
                if (lcs[ni + 1][nj] >= lcs[ni][nj + 1]) ni++;
                else nj++;
            }
            if (ni >= n || nj >= m) {
                ni = n;
                nj = m;
            }
            int ownA = ni - i, ownB = nj - j;
            // stations only one picture passes, each in turn from the top of the segment
            int ka = 0, kb = 0;
            for (int k = i; k < ni; k++) ra[k] = row + ka++;
            for (int k = j; k < nj; k++) rb[k] = row + kb++;
            row += Math.max(ownA, ownB);
            if (ni < n && nj < m) {
                ra[ni] = row;
                rb[nj] = row;
                row++;
                ni++;
                nj++;
            }
            i = ni;
            j = nj;
        }
        return new int[][] {ra, rb, {row}};
    }

    /** Words of {@code text} in lines of at most {@code width} characters. */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        if (text.isEmpty()) return lines;
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) line.append(' ');
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }
}
