package memcachedgke.render;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import memcachedgke.config.ConfigReader;
import memcachedgke.config.InvalidConfigException;

/**
 * {@code mvn -B -q compile exec:java@render -Dstack=<stack>}: renders a stack offline into
 * {@code target/render/<stack>/}. Exits 1 with one line on stderr for an unknown stack or invalid
 * configuration, as {@code pulumi up} would refuse it.
 */
public final class Render {
    private Render() {}

    public static void main(String[] args) {
        if (args.length != 1 || args[0].isBlank() || args[0].startsWith("$")) {
            fail("usage: mvn -B -q compile exec:java@render -Dstack=<stack>");
        }
        var stack = args[0];
        var projectDir = Path.of("").toAbsolutePath();
        try {
            var rendering = Rendering.of(projectDir, stack);
            var dir = RenderWriter.write(rendering, projectDir.resolve("target").resolve("render"));
            System.out.println("render: " + stack + ": " + rendering.resources().size() + " resources, "
                + RenderWriter.manifests(rendering).size() + " Kubernetes objects -> " + projectDir.relativize(dir));
            System.out.println("render: " + stack + ": " + sizing(projectDir, stack));
            // From JVM start, i.e. process start for `java -jar` and Maven's start for `mvn exec:java`.
            long sinceStart = rendering.lastRegistrationMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            System.out.println("render: " + stack + ": last resource registered " + sinceStart + " ms after process start");
            System.exit(0);
        } catch (StackFiles.UnknownStackException | InvalidConfigException e) {
            fail("render: " + stack + ": " + e.getMessage());
        } catch (Exception e) {
            fail("render: " + stack + ": " + e);
        }
    }

    /** One line on the cache memory of the stack and its share of the nodes' memory. */
    static String sizing(Path projectDir, String stack) {
        var files = StackFiles.load(projectDir, stack);
        var config = ConfigReader.read(key -> java.util.Optional.ofNullable(files.config().get(ConfigReader.PROJECT + ":" + key)),
            java.util.Optional.of(files.configWithPlaceholderProject().get("gcp:project")));
        var m = config.memcached();
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

    private static void fail(String line) {
        System.err.println(line);
        System.exit(1);
    }
}
