package io.memcachedgke.tools;

import java.nio.file.Path;
import io.memcachedgke.impact.ImpactReport;
import io.memcachedgke.impact.Snapshot;

/**
 * {@code mvn -B -q exec:java@impact -Dbase=target/render/<a> -Dhead=target/render/<b> [-Dformat=markdown]
 * [-DfailAbove=<percent>]}: what the change from one render to another does to the cache. The first line is the
 * verdict with the share of cached items lost; the details follow. With {@code failAbove}, exits 3 when more
 * than that share would be lost (the pull-request check), after printing the report.
 */
public final class Impact {
    private Impact() {}

    /** The exit code when the loss is above {@code failAbove}. */
    public static final int TOO_MUCH_LOST = 3;

    public static void main(String[] args) {
        args = new String[] {Tools.arg(args, 0), Tools.arg(args, 1), Tools.arg(args, 2), Tools.arg(args, 3)};
        if (args[0] == null || args[1] == null) {
            Tools.fail("usage: mvn -B -q exec:java@impact -Dbase=target/render/<a> -Dhead=target/render/<b> "
                + "[-Dformat=markdown] [-DfailAbove=<percent>]");
        }
        var format = args[2] != null ? args[2] : "text";
        Double failAbove = null;
        if (args[3] != null) {
            try {
                failAbove = Double.parseDouble(args[3]);
            } catch (NumberFormatException e) {
                Tools.fail("impact: failAbove must be a percentage such as 10, but '" + args[3] + "' was provided");
            }
        }
        if (!format.equals("text") && !format.equals("markdown")) {
            Tools.fail("impact: format must be text or markdown, but '" + format + "' was provided");
        }
        try {
            var report = ImpactReport.of(Snapshot.read(Path.of(args[0])), Snapshot.read(Path.of(args[1])));
            System.out.print(format.equals("markdown") ? report.markdown() : report.text());
            System.out.flush();
            if (failAbove != null && report.lostPercent() > failAbove) {
                System.err.printf("impact: %.1f%% of cached items would be lost, above the %s%% allowed%n",
                    report.lostPercent(), args[3]);
                System.exit(TOO_MUCH_LOST);
            }
            System.exit(0);
        } catch (IllegalArgumentException e) {
            Tools.fail("impact: " + e.getMessage());
        }
    }
}
