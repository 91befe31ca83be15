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
    /** The stack's outputs, for scripts/lib/local-pods.sh. */
    static final String OUTPUTS = "outputs.json";

    @BeforeAll
    static void deploy() throws IOException {
        project = PulumiProject.of(STACK);
        copyInto(project.dir, "e2e");  // scripts/ is linked by PulumiProject: the executor Pulumi.yaml runs
        Files.createSymbolicLink(project.dir.resolve("policies"), LocalControlPlane.PROJECT.resolve("policies"));
        life = new Lifecycle(project);
        life.up();
        standIns();
    }

    @AfterAll
    static void end() {
        if (project != null) {
            localPods("stop");
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
        var stalePort = PROXY_PORT + 100;
        localPods("proxy", OUTPUTS, "stale", Integer.toString(stalePort), "0123456789abcdef0123456789abcdef", node);
        try {
            localPods(Map.of("LOCAL_PODS_ADDRESS_OVERRIDES", first.at("/status/podIP").asText() + ":5000=127.0.0.1:" + stalePort),
                "map", OUTPUTS);
            // The stale proxy never converges: 10 s of waiting for it is as good as e2e.sh's 120.
            var r = script(Map.of("E2E_PROXY_WAIT", "10"), "scripts/e2e.sh", STACK, "--skip", "lab", "--skip", "resize",
                "--skip", "contrast", "--skip", "restart", "--skip", "preview");
            assertThat(r.exitCode()).as(r.report()).isEqualTo(1);
            var lines = r.stdout().strip().split("\n");
            assertThat(lines[lines.length - 1]).startsWith("e2e: FAIL: proxies: ")
                .contains("on node " + node + " reports config digest 0123456789abcdef0123456789abcdef (expected " + digest() + ")");
        } finally {
            localPods("stop", "mcrouter-stale");
            localPods("map", OUTPUTS);
        }
    }

    @Test
    @Order(4)
    @DisplayName("a shard that does not answer fails lab-checks.sh with one line naming it, and the toolbox goes")
    void aShardThatDoesNotAnswer() {
        localPods("stop", "memcached-2");
        try {
            var r = script("scripts/lab-checks.sh", STACK);
            assertThat(r.exitCode()).as(r.report()).isEqualTo(1);
            var lines = r.stdout().strip().split("\n");
            assertThat(lines[lines.length - 1]).as(r.report()).startsWith("lab: FAIL: telnet-style set/get on shard "
                + "mycache-memcached-2.mycache-memcached." + NS + ".svc.cluster.local:11211: FAIL: setget: ");
            var left = project.cluster.kubectl("get", "pods,configmaps", "-n", NS, "-l", "memcached-gke/e2e-run=" + RUN_ID, "-o", "name");
            assertThat(left.orFail().stdout().strip()).as("the toolbox is removed after a failure").isEmpty();
        } finally {
            localPods("shard", OUTPUTS, "2");
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

    /** Real memcached for the shards, a proxy stand-in per node, and kwok's exec mapping to them (scripts/lib/local-pods.sh). */
    private static void standIns() throws IOException {
        Files.writeString(project.dir.resolve(OUTPUTS), project.pulumi("stack", "output", "--json").orFail().stdout());
        localPods("start", OUTPUTS);
    }

    private static void localPods(String... args) {
        localPods(Map.of(), args);
    }

    /** scripts/lib/local-pods.sh on this control plane; the outputs file is the project's. */
    private static void localPods(Map<String, String> env, String... args) {
        var command = new ArrayList<>(List.of(LocalControlPlane.PROJECT.resolve("scripts/lib/local-pods.sh").toString(),
            args[0], project.cluster.dir.toString()));
        for (int i = 1; i < args.length; i++) {
            command.add(args[i].equals(OUTPUTS) ? project.dir.resolve(OUTPUTS).toString() : args[i]);
        }
        Cli.run(command, LocalControlPlane.PROJECT, env, Duration.ofMinutes(2)).orFail();
    }

    private static String digest() {
        var out = project.json(project.pulumi("stack", "output", "--json").orFail());
        return out.get("mcrouterConfigDigest").asText();
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
