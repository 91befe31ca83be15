package io.memcachedgke.render;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import io.memcachedgke.config.InvalidConfigException;
import io.memcachedgke.cache.Plan;
import io.memcachedgke.settings.SettingsReader;
import io.memcachedgke.stack.StackSettings;

/**
 * {@code mvn -B -q compile exec:java@render -Dstack=<stack>}: renders a stack offline into
 * {@code target/render/<stack>/}. Exits 1 with one line on stderr for an unknown stack, a stack file that
 * is not valid YAML or invalid configuration, as {@code pulumi up} would refuse it.
 */
public final class Render {
    private Render() {}

    /**
     * What one render printed and how it ended.
     *
     * @param exit 0 on success, 1 when the stack was refused
     * @param out  the lines for stdout
     * @param err  the lines for stderr: the one refusal line, or warnings
     */
    public record Outcome(int exit, List<String> out, List<String> err) {
        void print() {
            out.forEach(System.out::println);
            err.forEach(System.err::println);
        }
    }

    public static void main(String[] args) {
        // Before the SDK starts the common pool: on JDK 25 with one or two CPUs it never finishes otherwise.
        io.memcachedgke.startup.CommonPool.ensureParallelism();
        if (args.length != 1 || args[0].isBlank() || args[0].startsWith("$")) {
            System.err.println("usage: mvn -B -q compile exec:java@render -Dstack=<stack>");
            System.exit(2);
        }
        var outcome = render(Path.of("").toAbsolutePath(), args[0]);
        outcome.print();
        System.exit(outcome.exit());
    }

    /** Renders {@code stack} of the project in {@code projectDir} into its {@code target/render/<stack>/}. */
    public static Outcome render(Path projectDir, String stack) {
        var out = new ArrayList<String>();
        var err = new ArrayList<String>();
        try {
            var config = StackSettings.read(StackFiles.load(projectDir, stack).configWithPlaceholderProject());
            var rendering = Rendering.of(projectDir, stack);
            var dir = RenderWriter.write(rendering, projectDir.resolve("target").resolve("render"));
            out.add("render: " + stack + ": " + rendering.resources().size() + " resources, "
                + RenderWriter.manifests(rendering).size() + " Kubernetes objects -> " + projectDir.relativize(dir));
            out.add("render: " + stack + ": " + sizing(config));
            config.warnings().forEach(w -> err.add("render: " + stack + ": warning: " + w));
            // From JVM start, i.e. process start for `java -jar` and Maven's start for `mvn exec:java`.
            long sinceStart = rendering.lastRegistrationMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            out.add("render: " + stack + ": last resource registered " + sinceStart + " ms after process start");
            return new Outcome(0, out, err);
        } catch (StackFiles.UnknownStackException | StackFiles.StackFileException | InvalidConfigException e) {
            return new Outcome(1, List.of(), List.of("render: " + stack + ": " + e.getMessage()));
        } catch (Exception e) {
            return new Outcome(1, List.of(), List.of("render: " + stack + ": " + e));
        }
    }

    /** One line on the cache memory of the stack and its share of the nodes' memory. */
    static String sizing(SettingsReader.Read config) {
        var m = Plan.of(config.settings()).memcached();
        var sizing = m.sizing();
        var line = String.format(Locale.ROOT, "cache %d x %d MiB items = %d MiB (-m %d -c %d -t %d, container limit %d MiB)",
            m.replicas(), m.memoryMiB(), m.replicas() * m.memoryMiB(), sizing.itemMiB(), sizing.maxConnections(),
            sizing.threads(), sizing.limitMiB());
        return config.nodeFit()
            .map(f -> line + String.format(Locale.ROOT,
                "; node %s %d MiB, %d MiB allocatable, %d MiB requested by the pods on it; items hold %.1f%% of node memory",
                f.machineType(), f.machineMiB(), f.allocatableMiB(), f.neededMiB(), 100 * f.itemShare()))
            .orElse(line + "; node memory unknown (set memcached-gke:nodeMemoryMiB to check the fit)");
    }
}
