package io.memcachedgke.tools;

import io.memcachedgke.config.InvalidConfigException;
import io.memcachedgke.impact.ImpactReport;
import io.memcachedgke.impact.Snapshot;
import io.memcachedgke.render.RenderWriter;
import io.memcachedgke.render.Rendering;
import io.memcachedgke.render.StackFiles;
import io.memcachedgke.stack.StackSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The impact report at a terminal, with no pull-request machinery ({@code scripts/impact.sh}):
 * <ul>
 *   <li>{@code <stack>}: the stack file as it is now against the one of the last commit (or {@code --base <rev>});
 *   <li>{@code <stack> --to <N>}: what growing or shrinking to N shards would do, cold (just {@code replicas}) and
 *       warm (with a {@code resize} block, as {@code scripts/resize.sh} writes it).
 * </ul>
 * Both sides are rendered here, offline, and compared as the pull-request check compares them ({@link ImpactReport}).
 */
public final class StackImpact {
    private StackImpact() {}

    public static void main(String[] args) {
        var usage = "usage: scripts/impact.sh <stack> [--base <git revision>] | <stack> --to <shards>";
        if (args.length == 0) {
            Tools.fail(usage);
        }
        var stack = args[0];
        String base = "HEAD";
        Integer to = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--base" -> base = i + 1 < args.length ? args[++i] : null;
                case "--to" -> to = i + 1 < args.length && args[i + 1].matches("\\d{1,3}") ? Integer.parseInt(args[++i]) : -1;
                default -> Tools.fail(usage);
            }
        }
        if (base == null || (to != null && to < 1)) {
            Tools.fail(usage);
        }
        var project = Path.of("").toAbsolutePath();
        try {
            if (to == null) {
                var before = baseStackFile(project, stack, base);
                var current = Files.readString(project.resolve("Pulumi." + stack + ".yaml"));
                System.out.println("impact: stack " + stack + ", Pulumi." + stack + ".yaml as it is against " + base);
                System.out.print(report(project, stack, before, current).text());
            } else {
                var current = Files.readString(project.resolve("Pulumi." + stack + ".yaml"));
                var from = StackSettings.read(StackFiles.load(project, stack).configWithPlaceholderProject()).settings()
                    .cache().memcached().replicas();
                System.out.println("impact: stack " + stack + " from " + from + " to " + to + " shards, cold (replicas only):");
                System.out.print(report(project, stack, current, StackFileEdits.replicas(current, to, null)).text());
                System.out.println();
                System.out.println("impact: the same move warm (a resize block; scripts/resize.sh " + stack + " --to " + to + "):");
                System.out.print(report(project, stack, current,
                    StackFileEdits.replicas(current, to, StackFileEdits.resizeBlock(from, "2026-01-01T00:00:00Z", "1h"))).text());
            }
            System.exit(0);
        } catch (InvalidConfigException | StackFiles.StackFileException | StackFiles.UnknownStackException e) {
            Tools.fail("impact: " + stack + ": " + e.getMessage());
        } catch (IOException e) {
            Tools.fail("impact: " + e.getMessage());
        }
    }

    /** The stack file of {@code stack} at git revision {@code rev}. */
    static String baseStackFile(Path project, String stack, String rev) throws IOException {
        var git = new ProcessBuilder("git", "show", rev + ":./Pulumi." + stack + ".yaml").directory(project.toFile())
            .redirectErrorStream(false).start();
        var text = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (git.waitFor() != 0) {
                throw new IOException("git show " + rev + ":Pulumi." + stack + ".yaml failed: no such revision or file");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return text;
    }

    /** The report between two versions of a stack file, each rendered in a scratch copy of the project. */
    static ImpactReport report(Path project, String stack, String before, String after) throws IOException {
        var dirs = new ArrayList<Path>();
        for (var text : List.of(before, after)) {
            var dir = Files.createTempDirectory("impact");
            Files.copy(project.resolve("Pulumi.yaml"), dir.resolve("Pulumi.yaml"));
            Files.writeString(dir.resolve("Pulumi." + stack + ".yaml"), text);
            dirs.add(RenderWriter.write(Rendering.of(dir, stack), dir.resolve("render")));
        }
        return ImpactReport.of(Snapshot.read(dirs.get(0)), Snapshot.read(dirs.get(1)));
    }
}
