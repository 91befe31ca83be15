package io.memcachedgke.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The operator scripts, {@code scripts/lab-checks.sh} and {@code scripts/e2e.sh}, with the real programs they call:
 * the Pulumi CLI on the {@code local} stack deployed here (its outputs, its config, {@code preview
 * --expect-no-changes} with the policy pack), kubectl against the control plane (every object they read, the toolbox
 * pod and ConfigMap they create and delete, {@code kubectl wait}, {@code kubectl exec}).
 *
 * <p>kwok maps {@code kubectl exec} into a pod to a local process (its {@code Exec}/{@code ClusterExec} objects),
 * started with the pod's environment, so {@code e2e/mctool.py} runs here and its memcached conversations reach real
 * memcached processes on the control plane's loopback. What stays a stand-in, and why: the pod's {@code python} and
 * {@code /tools} mount ({@code e2e/fakes/pod-bin/python}: the machine's python3 and the repository's e2e/), cluster
 * DNS (mctool.py's {@code MCTOOL_ADDRESS_MAP}/{@code MCTOOL_RESOLVE}: there is no DNS server here), and mcrouter
 * ({@code e2e/fakes/mcrouter-standin.py}: in no registry, and kwok runs no container). The parts of e2e.sh that need
 * containers that really run (the load generators of {@code resize} and {@code contrast}, the shard restart) stay
 * on the stand-ins' test ({@code E2eScriptTest}) and on the kind and GKE runs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorScriptsIT {
    static final String STACK = "local";
    static final String NS = Lifecycle.NAMESPACE;
    static final String RUN_ID = "it";
    static final int SHARD_PORT = 21211;
    static final int PROXY_PORT = 25000;
    static PulumiProject project;
    static Lifecycle life;
    static final List<Process> processes = new ArrayList<>();
    /** The shards' memcached processes, by ordinal. */
    static final Process[] shards = new Process[3];

    @BeforeAll
    static void deploy() throws IOException {
        project = PulumiProject.of(STACK);
        copyInto(project.dir, "scripts", "e2e");
        Files.createSymbolicLink(project.dir.resolve("policies"), LocalControlPlane.PROJECT.resolve("policies"));
        life = new Lifecycle(project);
        life.up();
        standIns();
    }

    @AfterAll
    static void end() {
        processes.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        });
        if (project != null) {
            project.pulumi("destroy", "--yes", "--skip-preview");
            project.close();
        }
    }

    @Test
    @Order(1)
    @DisplayName("scripts/lab-checks.sh: every check of the lab passes on the real objects")
    void labChecks() {
        var r = script("scripts/lab-checks.sh", STACK);
        assertThat(r.exitCode()).as(r.report()).isZero();
        assertThat(r.stdout()).as(r.report())
            .contains("lab: ok: pods: 3 memcached, 4 mcrouter (one per node), 2 sample-application-py")
            .contains("lab: ok: Service mycache-memcached is headless (clusterIP None) with 3 endpoints on 11211")
            .contains("lab: ok: set/get on every shard by its DNS name")
            .contains("lab: OK: every check of the lab passed against stack local");
        // The lab's telnet session really wrote each shard: the key is in shard i's own process.
        for (int i = 0; i < 3; i++) {
            var held = memcachedGet(SHARD_PORT + i, "lab-mykey-" + i, "hello");
            assertThat(held.exitCode()).as(held.report()).isZero();
        }
        // The toolbox pod and its ConfigMap are gone again.
        var left = project.cluster.kubectl("get", "pods,configmaps", "-n", NS, "-l", "memcached-gke/e2e-run=" + RUN_ID, "-o", "name");
        assertThat(left.orFail().stdout().strip()).isEmpty();
    }

    @Test
    @Order(2)
    @DisplayName("scripts/e2e.sh: lab, every proxy's digest, and preview --expect-no-changes with the policy pack")
    void e2eScript() {
        var r = script("scripts/e2e.sh", STACK, "--skip", "resize", "--skip", "contrast", "--skip", "restart");
        assertThat(r.exitCode()).as(r.report()).isZero();
        assertThat(r.stdout()).as(r.report())
            .contains("e2e: every proxy reports config " + digest())
            .contains("e2e: ok: pulumi preview --expect-no-changes: stack local is what its file declares");
    }

    @Test
    @Order(3)
    @DisplayName("a proxy on another config fails e2e.sh with one line naming it")
    void aProxyOnAnotherConfig() {
        var proxies = life.pods("mycache-mcrouter");
        var first = proxies.values().iterator().next();
        var node = first.at("/spec/nodeName").asText();
        // The proxy on that node now reports another digest (its stand-in restarted with it).
        var index = nodes().indexOf(node);
        var stale = standIn(PROXY_PORT + 100 + index, "0123456789abcdef0123456789abcdef", node);
        try {
            exec(Map.of(first.at("/status/podIP").asText() + ":5000", "127.0.0.1:" + (PROXY_PORT + 100 + index)));
            // The stale proxy never converges: 10 s of waiting for it is as good as e2e.sh's 120.
            var r = script(Map.of("E2E_PROXY_WAIT", "10"), "scripts/e2e.sh", STACK, "--skip", "lab", "--skip", "resize",
                "--skip", "contrast", "--skip", "restart", "--skip", "preview");
            assertThat(r.exitCode()).as(r.report()).isEqualTo(1);
            var lines = r.stdout().strip().split("\n");
            assertThat(lines[lines.length - 1]).startsWith("e2e: FAIL: proxies: ")
                .contains("on node " + node + " reports config digest 0123456789abcdef0123456789abcdef (expected " + digest() + ")");
        } finally {
            stale.destroy();
            exec(Map.of());
        }
    }

    @Test
    @Order(4)
    @DisplayName("a shard that does not answer fails lab-checks.sh with one line naming it, and the toolbox goes")
    void aShardThatDoesNotAnswer() {
        var shard = shards[2];
        shard.descendants().forEach(ProcessHandle::destroy);
        shard.destroy();
        try {
            var r = script("scripts/lab-checks.sh", STACK);
            assertThat(r.exitCode()).as(r.report()).isEqualTo(1);
            var lines = r.stdout().strip().split("\n");
            assertThat(lines[lines.length - 1]).as(r.report()).startsWith("lab: FAIL: telnet-style set/get on shard "
                + "mycache-memcached-2.mycache-memcached." + NS + ".svc.cluster.local:11211: FAIL: setget: ");
            var left = project.cluster.kubectl("get", "pods,configmaps", "-n", NS, "-l", "memcached-gke/e2e-run=" + RUN_ID, "-o", "name");
            assertThat(left.orFail().stdout().strip()).as("the toolbox is removed after a failure").isEmpty();
        } finally {
            shards[2] = startShard(2);
        }
    }

    private static Cli.Result script(String script, String... args) {
        return script(Map.of(), script, args);
    }

    private static Cli.Result script(Map<String, String> extra, String script, String... args) {
        var env = new LinkedHashMap<>(project.env());
        env.putAll(extra);
        env.put("E2E_RUN_ID", RUN_ID);
        env.put("E2E_POD_TIMEOUT", "60");
        var command = new ArrayList<>(List.of("bash", script));
        command.addAll(List.of(args));
        return project.cluster.run(project.dir, env, Duration.ofMinutes(10), command);
    }

    /** Real memcached for the shards, a proxy stand-in per node, and kwok's exec mapping to them. */
    private static void standIns() {
        for (int i = 0; i < 3; i++) {
            shards[i] = startShard(i);
        }
        var nodes = nodes();
        for (int n = 0; n < nodes.size(); n++) {
            // Every proxy routes to the same pool: its stand-in relays to shard 1, so a key set through one proxy is
            // read through any other, as with mcrouter.
            standIn(PROXY_PORT + n, digest(), nodes.get(n));
        }
        exec(Map.of());
    }

    private static Process startShard(int i) {
        return start(List.of("memcached", "-l", "127.0.0.1", "-p", Integer.toString(SHARD_PORT + i), "-U", "0", "-u",
            "nobody", "-m", "16"));
    }

    /** kwok's exec mapping: every pod of the namespace runs its commands here, with the cluster's names mapped. */
    private static void exec(Map<String, String> overrides) {
        var addresses = new LinkedHashMap<String, String>();
        var shardIps = new StringJoiner(",");
        var shards = life.pods("mycache-memcached");
        for (int i = 0; i < 3; i++) {
            var shard = shards.get("mycache-memcached-" + i);
            var local = "127.0.0.1:" + (SHARD_PORT + i);
            addresses.put("mycache-memcached-" + i + ".mycache-memcached." + NS + ".svc.cluster.local:11211", local);
            addresses.put(shard.at("/status/podIP").asText() + ":11211", local);
            shardIps.add(shard.at("/status/podIP").asText());
        }
        var nodes = nodes();
        for (var proxy : life.pods("mycache-mcrouter").values()) {
            addresses.put(proxy.at("/status/podIP").asText() + ":5000",
                "127.0.0.1:" + (PROXY_PORT + nodes.indexOf(proxy.at("/spec/nodeName").asText())));
        }
        // The node-local Service reaches a proxy on the client's node; all of them share the pool.
        addresses.put("mycache-mcrouter." + NS + ".svc.cluster.local:5000", "127.0.0.1:" + PROXY_PORT);
        addresses.putAll(overrides);
        var map = new StringJoiner(",");
        addresses.forEach((k, v) -> map.add(k + "=" + v));
        var common = List.of(
            env("MCTOOL_ADDRESS_MAP", map.toString()),
            env("MCTOOL_RESOLVE", "mycache-memcached." + NS + ".svc.cluster.local=" + shardIps),
            env("HOME", "/tmp"),
            env("PATH", LocalControlPlane.PROJECT.resolve("e2e/fakes/pod-bin") + ":/usr/bin:/bin"));
        var docs = new StringBuilder();
        docs.append(yamlExec("ClusterExec", "memcached-gke-" + NS, null, common));
        // The sample app's pods: the environment the Deployment gives them (NODE_NAME from spec.nodeName).
        for (var app : life.pods("sample-application-py").values()) {
            var node = app.at("/spec/nodeName").asText();
            var envs = new ArrayList<>(common);
            envs.add(env("NODE_NAME", node));
            envs.add(env("MCROUTER_HOST", "mycache-mcrouter." + NS + ".svc.cluster.local"));
            envs.add(env("MCROUTER_PORT", "5000"));
            docs.append(yamlExec("Exec", app.at("/metadata/name").asText(), NS, envs));
        }
        var file = project.dir.resolve("kwok-exec.yaml");
        try {
            Files.writeString(file, docs.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        project.cluster.kubectl("apply", "-f", file.toString()).orFail();
    }

    private static Map<String, String> env(String name, String value) {
        return Map.of("name", name, "value", value);
    }

    private static String yamlExec(String kind, String name, String namespace, List<Map<String, String>> envs) {
        var node = PulumiProject.JSON.createObjectNode();
        node.put("apiVersion", "kwok.x-k8s.io/v1alpha1");
        node.put("kind", kind);
        var meta = node.putObject("metadata");
        meta.put("name", name);
        if (namespace != null) {
            meta.put("namespace", namespace);
        }
        var spec = node.putObject("spec");
        if (kind.equals("ClusterExec")) {
            spec.putObject("selector").putArray("matchNamespaces").add(NS);
        }
        var local = spec.putArray("execs").addObject().putObject("local");
        local.put("workDir", "/tmp");
        var list = local.putArray("envs");
        envs.forEach(e -> list.addObject().put("name", e.get("name")).put("value", e.get("value")));
        try {
            return "---\n" + RenderedStack.YAML.writeValueAsString(node).replaceFirst("^---\n", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> nodes() {
        var list = project.json(project.cluster.kubectl("get", "nodes", "-o", "json").orFail());
        var out = new ArrayList<String>();
        list.get("items").forEach(n -> out.add(n.at("/metadata/name").asText()));
        out.sort(null);
        return out;
    }

    private static String digest() {
        var out = project.json(project.pulumi("stack", "output", "--json").orFail());
        return out.get("mcrouterConfigDigest").asText();
    }

    private static Process standIn(int port, String digest, String node) {
        return start(List.of("python3", LocalControlPlane.PROJECT.resolve("e2e/fakes/mcrouter-standin.py").toString(),
            Integer.toString(port), Integer.toString(SHARD_PORT + 1), digest, node));
    }

    /** A process inside the control plane's network namespace, left running; ended after the class. */
    private static Process start(List<String> command) {
        try {
            var all = new ArrayList<>(List.of(LocalControlPlane.PROJECT.resolve("scripts/local-cluster.sh").toString(), "run",
                project.cluster.dir.toString(), "--"));
            all.addAll(command);
            var p = new ProcessBuilder(all).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            processes.add(p);
            // Listening before anyone dials it.
            var port = Integer.parseInt(command.get(command.indexOf("-p") >= 0 ? command.indexOf("-p") + 1 : 2));
            var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!listening(port)) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    throw new AssertionError("not listening on " + port + ": " + command);
                }
                Thread.sleep(100);
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static boolean listening(int port) {
        var r = project.cluster.run(LocalControlPlane.PROJECT, Map.of(), Duration.ofSeconds(10), List.of("python3", "-c",
            "import socket,sys; s=socket.socket(); s.settimeout(1); sys.exit(s.connect_ex(('127.0.0.1', " + port + ")))"));
        return r.ok();
    }

    /** mctool.py's own get, here, on a shard's process: exit 0 when it holds {@code expected}. */
    private static Cli.Result memcachedGet(int port, String key, String expected) {
        return project.cluster.run(LocalControlPlane.PROJECT, Map.of(), Duration.ofSeconds(20), List.of("python3",
            LocalControlPlane.PROJECT.resolve("e2e/mctool.py").toString(), "get", "127.0.0.1", Integer.toString(port), key,
            expected));
    }

    private static void copyInto(Path dir, String... names) throws IOException {
        for (var name : names) {
            var src = LocalControlPlane.PROJECT.resolve(name);
            try (var walk = Files.walk(src)) {
                for (var p : (Iterable<Path>) walk::iterator) {
                    var target = dir.resolve(LocalControlPlane.PROJECT.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
    }
}
