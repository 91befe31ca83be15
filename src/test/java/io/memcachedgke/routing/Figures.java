package io.memcachedgke.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * The figures of the scenarios a test class ran, one row each, printed as one table for the closing note:
 * what the clients saw while the config routed them (for a move: from the moving config's deploy to the
 * block's removal, every phase together) and, where there is one, after the resize block was removed.
 */
final class Figures {
    private final String title;
    private final List<String[]> rows = new ArrayList<>();

    Figures(String title) {
        this.title = title;
    }

    /** @param after the phase after the block's removal, or null */
    synchronized void add(Tally during, Tally after) {
        rows.add(new String[] {
            during.scenario, during.phase, String.valueOf(during.keys), String.valueOf(during.gets),
            String.valueOf(during.misses), String.valueOf(during.stale), String.valueOf(during.resurrected),
            after == null ? "-" : after.gets + " / " + after.misses + " / " + after.stale + " / " + after.resurrected});
    }

    synchronized String table() {
        var header = new String[] {"scenario", "judged", "keys", "gets", "misses", "stale", "resurrected",
            "after removal: gets/misses/stale/resurr."};
        var widths = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            widths[i] = header[i].length();
            for (var r : rows) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        var sb = new StringBuilder("== ").append(title).append(" ==\n");
        line(sb, header, widths);
        int total = 0;
        for (int w : widths) {
            total += w + 3;
        }
        sb.append("-".repeat(total - 3)).append('\n');
        rows.forEach(r -> line(sb, r, widths));
        return sb.toString();
    }

    private static void line(StringBuilder sb, String[] cells, int[] widths) {
        for (int i = 0; i < cells.length; i++) {
            var fmt = i < 2 || i == cells.length - 1 ? "%-" + widths[i] + "s" : "%" + widths[i] + "s";
            sb.append(String.format(fmt, cells[i])).append(i == cells.length - 1 ? "\n" : " | ");
        }
    }

    void print() {
        System.out.print(table());
        System.out.flush();
    }
}
