package io.memcachedgke.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real engines ({@code scripts/engines.sh}) and one Docker-free control plane ({@code scripts/local-cluster.sh})
 * for the whole JVM: started on first use, ended by PID when the JVM exits. Every command the suite runs against it
 * goes through {@code local-cluster.sh run}, inside the control plane's loopback-only network namespace.
 *
 * <p>Nothing is skipped: an engine that cannot be built, or a control plane that does not start, fails the test
 * that needs it with the script's own one-line reason.
 */
final class LocalControlPlane {
    static final Path PROJECT = Path.of("").toAbsolutePath();
    private static LocalControlPlane shared;

    final Path engines;
    final Path dir;
    final Duration startup;

    private LocalControlPlane(Path engines, Path dir, Duration startup) {
        this.engines = engines;
        this.dir = dir;
        this.startup = startup;
    }

    /** The engines and the control plane, built and started once per JVM. */
    static synchronized LocalControlPlane shared() {
        if (shared == null) {
            var engines = engines();
            try {
                var dir = Files.createTempDirectory("memcached-gke-cluster");
                Files.delete(dir);
                // Commands kwok runs for `kubectl exec` find the pods' `python` (OperatorScriptsIT).
                var up = Cli.run(List.of("bash", "scripts/local-cluster.sh", "up", dir.toString()), PROJECT,
                    Map.of("MEMCACHED_GKE_ENGINES", engines.toString(),
                        "LOCAL_CLUSTER_EXEC_PATH", PROJECT.resolve("e2e/fakes/pod-bin").toString()), Duration.ofMinutes(3));
                if (!up.ok()) {
                    throw new AssertionError("the local control plane did not start: " + lastLine(up.stderr()) + "\n" + up.report());
                }
                shared = new LocalControlPlane(engines, dir, up.took());
                Runtime.getRuntime().addShutdownHook(new Thread(shared::down));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** {@code scripts/engines.sh}'s directory (built when missing; MEMCACHED_GKE_ENGINES honoured). */
    static Path engines() {
        var r = Cli.run(List.of("bash", "scripts/engines.sh"), PROJECT, Map.of(), Duration.ofMinutes(80));
        if (!r.ok()) {
            throw new AssertionError("the real engines could not be built: " + lastLine(r.stderr()));
        }
        return Path.of(lastLine(r.stdout()));
    }

    /** Runs a command inside the control plane's network namespace, KUBECONFIG set and the engines on PATH. */
    Cli.Result run(Path cwd, Map<String, String> env, Duration timeout, List<String> command) {
        var all = new ArrayList<>(List.of(PROJECT.resolve("scripts/local-cluster.sh").toString(), "run", dir.toString(), "--"));
        all.addAll(command);
        return Cli.run(all, cwd, env, timeout);
    }

    /** The same, started and left running ({@link Cli#start}). */
    Cli.Started start(Path cwd, Map<String, String> env, List<String> command) {
        var all = new ArrayList<>(List.of(PROJECT.resolve("scripts/local-cluster.sh").toString(), "run", dir.toString(), "--"));
        all.addAll(command);
        return Cli.start(all, cwd, env);
    }

    Cli.Result kubectl(String... args) {
        return run(PROJECT, Map.of(), Duration.ofMinutes(2), Cli.of("kubectl", List.of(args)));
    }

    private void down() {
        Cli.run(List.of("bash", "scripts/local-cluster.sh", "down", dir.toString()), PROJECT, Map.of(), Duration.ofMinutes(1));
    }

    static String lastLine(String s) {
        var lines = s.strip().split("\n");
        return lines[lines.length - 1];
    }
}
