package io.memcachedgke.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The project as a user has it, in a temporary directory: {@code Pulumi.yaml}, one stack file copied from the
 * repository (so a test may edit it), {@code target/} the build's own (the jar {@code Pulumi.yaml} runs), a file
 * backend of its own, and a private {@code PULUMI_HOME} whose plugin cache holds exactly the engines built here.
 * The CLI runs offline: no update check, no plugin download, no ambient plugin, a passphrase secrets provider.
 */
final class PulumiProject implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PASSPHRASE = "memcached-gke-real-engine-suite";
    /** The plugin slot the Java SDK 4.0.0 asks for (docs/engines.md: which provider build fills it). */
    static final String KUBERNETES_PLUGIN_VERSION = "4.0.0";
    private static Path home;

    final LocalControlPlane cluster;
    final Path dir;
    final Path backend;
    final String stack;
    /** The CLI this project runs: {@code pulumi} of the engines, or the one beside the Node.js host. */
    private String cli = "pulumi";

    private PulumiProject(LocalControlPlane cluster, Path dir, String stack) {
        this.cluster = cluster;
        this.dir = dir;
        this.backend = dir.resolve(".backend");
        this.stack = stack;
    }

    /** A copy of the project with the repository's {@code Pulumi.<stack>.yaml}, its stack created. */
    static PulumiProject of(String stack) {
        return of(stack, LocalControlPlane.PROJECT);
    }

    /** The same, of the program checked out in {@code source} (its project file, stack file and built jar). */
    static PulumiProject of(String stack, Path source) {
        var cluster = LocalControlPlane.shared();
        try {
            var dir = Files.createTempDirectory("memcached-gke-project");
            Files.copy(source.resolve("Pulumi.yaml"), dir.resolve("Pulumi.yaml"));
            copyStackFile(source.resolve("Pulumi." + stack + ".yaml"), dir.resolve("Pulumi." + stack + ".yaml"));
            Files.createSymbolicLink(dir.resolve("target"), source.resolve("target"));
            // Pulumi.yaml's executor (scripts/pulumi-mvn) runs the jar; a baseline checkout without it runs the jar
            // through `binary`.
            if (Files.isDirectory(source.resolve("scripts"))) {
                Files.createSymbolicLink(dir.resolve("scripts"), source.resolve("scripts"));
            }
            return withStack(cluster, dir, stack, "pulumi");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A stack file without what a user's own {@code pulumi stack init} wrote into it ({@code encryptionsalt},
     * {@code secretsprovider}, {@code encryptedkey}: their passphrase or key, not the suite's): the suite's stack is
     * initialised with its own, so the test command passes whatever the repository's working copy carries.
     */
    static void copyStackFile(Path from, Path to) throws IOException {
        var kept = Files.readAllLines(from).stream()
            .filter(l -> !l.startsWith("encryptionsalt:") && !l.startsWith("secretsprovider:") && !l.startsWith("encryptedkey:"))
            .toList();
        Files.write(to, kept);
    }

    /**
     * A copy of {@code examples/<example>} (a program that adds the package) with its stack created; its
     * {@code packages} entry, relative in the repository, points at the repository.
     */
    static PulumiProject example(String example, String stack) {
        var cluster = LocalControlPlane.shared();
        try {
            var dir = Files.createTempDirectory("memcached-gke-" + example);
            var src = LocalControlPlane.PROJECT.resolve("examples").resolve(example);
            try (var files = Files.list(src)) {
                for (var f : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(f)) {
                        Files.copy(f, dir.resolve(f.getFileName()));
                    }
                }
            }
            var pulumiYaml = dir.resolve("Pulumi.yaml");
            Files.writeString(pulumiYaml, Files.readString(pulumiYaml)
                .replace("memcached-gke: ../..", "memcached-gke: " + LocalControlPlane.PROJECT));
            // A Node.js program runs with the CLI beside the Node.js host (scripts/engines.sh says why it is apart).
            var cli = Files.readString(pulumiYaml).contains("runtime: nodejs")
                ? cluster.engines.resolve("with-nodejs/pulumi").toString() : "pulumi";
            return withStack(cluster, dir, stack, cli);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The project in {@code dir}, its file backend made and its stack created with a passphrase secrets provider. */
    private static PulumiProject withStack(LocalControlPlane cluster, Path dir, String stack, String cli)
        throws IOException {
        var project = new PulumiProject(cluster, dir, stack);
        project.cli = cli;
        Files.createDirectories(project.backend);
        project.pulumi("stack", "init", "--secrets-provider", "passphrase").orFail();
        return project;
    }

    /** Runs this project's program from now on from the build in {@code source} (its {@code target/}). */
    void useBuildOf(Path source) {
        try {
            Files.delete(dir.resolve("target"));
            Files.createSymbolicLink(dir.resolve("target"), source.resolve("target"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stack file, as the CLI rewrites it. */
    Path stackFile() {
        return dir.resolve("Pulumi." + stack + ".yaml");
    }

    /** Runs the real CLI for this stack (non-interactive, no colour). */
    Cli.Result pulumi(String... args) {
        return pulumi(Duration.ofMinutes(10), args);
    }

    Cli.Result pulumi(Duration timeout, String... args) {
        var command = new ArrayList<>(List.of(cli));
        command.addAll(List.of(args));
        if (!(args.length > 0 && (args[0].equals("plugin") || args[0].equals("package")))) {
            command.addAll(List.of("--stack", stack));
        }
        command.addAll(List.of("--non-interactive", "--color", "never"));
        return cluster.run(dir, env(), timeout, command);
    }

    /** The real CLI for this stack, started and left running. */
    Cli.Started start(String... args) {
        var command = new ArrayList<>(List.of(cli));
        command.addAll(List.of(args));
        command.addAll(List.of("--stack", stack, "--non-interactive", "--color", "never"));
        return cluster.start(dir, env(), command);
    }

    /** {@code pulumi <command> --json}'s document. */
    JsonNode json(Cli.Result r) {
        try {
            return JSON.readTree(r.stdout());
        } catch (IOException e) {
            throw new AssertionError("not JSON:\n" + r.report(), e);
        }
    }

    Map<String, String> env() {
        var env = new LinkedHashMap<String, String>();
        env.put("PULUMI_HOME", home(cluster).toString());
        env.put("PULUMI_BACKEND_URL", "file://" + backend);
        env.put("PULUMI_CONFIG_PASSPHRASE", PASSPHRASE);
        env.put("PULUMI_SKIP_UPDATE_CHECK", "true");
        env.put("PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION", "true");
        env.put("PULUMI_IGNORE_AMBIENT_PLUGINS", "true");
        env.put("PULUMI_SKIP_CONFIRMATIONS", "true");
        env.put("PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK", "true");
        return env;
    }

    /** One PULUMI_HOME for the JVM, its plugin cache filled from the engines built here, never from the network. */
    static synchronized Path home(LocalControlPlane cluster) {
        if (home == null) {
            try {
                var h = Files.createTempDirectory("memcached-gke-pulumi-home");
                var env = Map.of("PULUMI_HOME", h.toString(), "PULUMI_SKIP_UPDATE_CHECK", "true");
                cluster.run(LocalControlPlane.PROJECT, env, Duration.ofMinutes(2), List.of("pulumi", "plugin", "install",
                    "resource", "kubernetes", KUBERNETES_PLUGIN_VERSION, "--file",
                    cluster.engines.resolve("pulumi-resource-kubernetes").toString())).orFail();
                // npm serves no @pulumi/kubernetes 4.0.0: the TypeScript example's 4.1.1 asks for plugin 4.1.1, filled
                // by the same build.
                cluster.run(LocalControlPlane.PROJECT, env, Duration.ofMinutes(2), List.of("pulumi", "plugin", "install",
                    "resource", "kubernetes", "4.1.1", "--file",
                    cluster.engines.resolve("pulumi-resource-kubernetes").toString())).orFail();
                // The policy shim: the analyzer the CLI runs for a Node.js pack when no Node.js language host is
                // installed (scripts/engines/pulumi-analyzer-policy-nodejs says why).
                cluster.run(LocalControlPlane.PROJECT, env, Duration.ofMinutes(2), List.of("pulumi", "plugin", "install",
                    "analyzer", "policy-nodejs", "0.0.1", "--file",
                    cluster.engines.resolve("pulumi-analyzer-policy-nodejs").toString())).orFail();
                home = h;
                // Its plugin copies are the suite's own: gone with the JVM, as the control plane is.
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(h)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return home;
    }

    @Override
    public void close() {
        delete(dir);
    }

    private static void delete(Path root) {
        // Not through symbolic links: target/ is the build's own.
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
