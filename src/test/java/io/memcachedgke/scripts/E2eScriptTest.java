package io.memcachedgke.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/e2e.sh offline, as far as it goes without a cluster: the fakes of {@link ClusterFixture} (a fake
 * {@code pulumi up} changes nothing, so every resize here is a no-op on real memcached processes), the load
 * generator running here as the fake kubectl's "pod" against a real memcached, and every {@code pulumi} and
 * {@code kubectl} command line checked. The resize window is one second instead of minutes.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class E2eScriptTest {
    private static final String UP = "up --yes --skip-preview --non-interactive --stack local --policy-pack policies "
        + "--policy-pack-config policies/config/development.json";

    private static ClusterFixture fixture(Path tmp) throws Exception {
        var f = new ClusterFixture(tmp, "local", "memcached", "nodeLocalService");
        var box = f.box;
        box.policyPack("policies/config/development.json");
        box.env.put("E2E_RESIZE_WINDOW", "1s");
        box.env.put("E2E_RESIZE_LEAD", "0");
        box.env.put("E2E_SETTLE_SECONDS", "0");
        box.env.put("E2E_LOADGEN_KEYS", "60");
        box.env.put("E2E_LOADGEN_RATE", "400");
        box.env.put("E2E_POLICY_PACK", "required");
        var k = "--namespace memcached ";
        // The StatefulSet as each up leaves it: warm 3->4 (4 pods, then 4), warm 4->3 (4 during, then 3),
        // plain 3->4, plain 4->3.
        box.kubectl(k + "get statefulset mycache-memcached -o jsonpath={.status.replicas} {.status.readyReplicas}",
            List.of("4 4", "4 4", "4 4", "3 3", "4 4", "3 3"));
        // The shard restart: the StatefulSet recreates mycache-memcached-1 under a new UID.
        box.kubectl(k + "get pod mycache-memcached-1 -o jsonpath={.metadata.uid}",
            List.of("0c7a1f4e-old", "5b2d9e10-new"));
        box.kubectl(k + "delete pod mycache-memcached-1 --wait=false", "pod \"mycache-memcached-1\" deleted\n");
        box.kubectl(k + "wait --for=condition=Ready pod/mycache-memcached-1 --timeout=180s", "");
        return f;
    }

    @Test
    void theWholeRunOnTheLocalStackWithEveryCommandChecked(@TempDir Path tmp) throws Exception {
        var f = fixture(tmp);
        try (var box = f.box) {
            var stackFile = box.repo.resolve("Pulumi.local.yaml");
            var before = Files.readString(stackFile);
            var r = box.run("scripts/e2e.sh", "local");
            System.out.println(r.output());

            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.lastLine()).isEqualTo("e2e: OK: stack local passed end to end");
            assertThat(r.output()).contains(
                "lab: OK: every check of the lab passed against stack local",
                "e2e: every proxy reports config " + ClusterFixture.DIGEST + ": OK: 1 proxies report config " + ClusterFixture.DIGEST,
                "e2e: ok: 6 proxy config changes restarted no proxy pod (1 pods kept their UIDs)",
                "e2e: ok: shard restart: every proxy (1) writes to the new mycache-memcached-1",
                "e2e: ok: pulumi preview --expect-no-changes: stack local is what its file declares");
            assertThat(r.output()).containsPattern("warm resize 3->4 +live-key miss ratio 0\\.0000 \\(0 of [1-9][0-9]* gets\\), "
                + "stale reads 0, resurrected deletes 0");
            assertThat(r.output()).contains("warm resize 4->3", "plain resize 3->4", "plain resize 4->3");
            assertThat(Files.readString(stackFile)).as("the stack file is restored").isEqualTo(before);

            var pulumi = r.pulumiLines().stream().filter(l -> !l.startsWith("stack output --json")).toList();
            var set = "config set --path --stack local memcached-gke:memcached.";
            assertThat(pulumi).containsExactly(
                "config get memcached-gke:kubeContext --stack local",        // e2e.sh
                "config get memcached-gke:environment --stack local",
                "config get memcached-gke:kubeContext --stack local",        // lab-checks.sh
                set + "replicas 4",
                set + "resize.from 3",
                pulumi.get(5),
                set + "resize.window 1s",
                set + "resize.copyTtl 1h",
                UP,
                set + "resize.finish true",
                UP,
                "config rm --path --stack local memcached-gke:memcached.resize",
                UP,
                set + "replicas 3",
                set + "resize.from 4",
                pulumi.get(15),
                set + "resize.window 1s",
                set + "resize.copyTtl 1h",
                UP,
                set + "resize.finish true",
                UP,
                "config rm --path --stack local memcached-gke:memcached.resize",
                UP,
                set + "replicas 4",
                UP,
                set + "replicas 3",
                UP,
                "preview --expect-no-changes --non-interactive --stack local --policy-pack policies "
                    + "--policy-pack-config policies/config/development.json");
            assertThat(pulumi.get(5)).matches("config set --path --stack local memcached-gke:memcached\\.resize\\.startTime "
                + "20\\d\\d-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

            // Four load generators, each a restricted pod with the sample app's environment, each stopped and read.
            for (int i = 1; i <= 4; i++) {
                var pod = "e2e-load-" + i + "-t1";
                var c = box.applied(pod).at("/spec/containers/0");
                assertThat(c.at("/args/1").asText()).isEqualTo("loadgen");
                assertThat(c.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
                assertThat(r.kubectlLines()).contains(
                    "--namespace memcached exec " + pod + " -c python -- touch /tmp/stop",
                    "--namespace memcached wait --for=jsonpath={.status.phase}=Succeeded pod/" + pod + " --timeout=600s",
                    "--namespace memcached delete pod/" + pod + " --ignore-not-found --wait=false");
            }
            assertThat(r.kubectlLines()).contains(
                "--namespace memcached delete pod mycache-memcached-1 --wait=false",
                "--namespace memcached exec e2e-t1 -c python -- python /tools/mctool.py proxies 5000 "
                    + ClusterFixture.DIGEST + " 60 " + ClusterFixture.PROXY_IP + "=" + ClusterFixture.NODE);
            // The restart's keys were written through the proxy onto the shard it restarted.
            assertThat(r.kubectlLines()).anyMatch(l -> l.startsWith("--namespace memcached exec e2e-t1 -c python -- python "
                + "/tools/mctool.py write-through 10.244.1.10 5000 mycache-memcached-1.mycache-memcached.memcached.svc.cluster.local 11211 e2e-restart-t1-"));
        }
    }

    @Test
    void keysLostDuringAWarmResizeFailTheRunAndTheStackIsRestored(@TempDir Path tmp) throws Exception {
        var f = fixture(tmp);
        try (var box = f.box) {
            // Each `pulumi up` empties the cache behind the proxy (the proxy's own answers survive): what a resize
            // that drops keys does.
            var hook = box.fake.resolve("flush.py");
            Files.writeString(hook, """
                import socket, sys
                port, digest = int(sys.argv[1]), sys.argv[2]
                s = socket.create_connection(("127.0.0.1", port))
                params = "node_name:kind-worker,template:t1a2b3c4d5"
                s.sendall(("flush_all\\r\\nset __mcrouter__.config_md5_digest 0 0 %d\\r\\n%s\\r\\n"
                           "set __mcrouter__.options(config_params) 0 0 %d\\r\\n%s\\r\\nquit\\r\\n"
                           % (len(digest), digest, len(params), params)).encode())
                while s.recv(4096):
                    pass
                """);
            box.env.put("FAKE_UP_HOOK", "python3 " + hook + " " + f.shards[1] + " " + ClusterFixture.DIGEST);
            var stackFile = box.repo.resolve("Pulumi.local.yaml");
            var before = Files.readString(stackFile);
            var r = box.run("scripts/e2e.sh", "local", "--skip", "lab");

            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.lastLine()).matches("e2e: FAIL: warm resize 3->4: live-key miss ratio (during|after) the move is "
                + "[0-9.]+ \\(expected at most 0\\.01\\)");
            assertThat(r.output()).contains("e2e: restoring stack local to its file after the failure (pulumi up)");
            assertThat(Files.readString(stackFile)).isEqualTo(before);
            assertThat(r.pulumiLines()).last().isEqualTo(UP);
        }
    }

    @Test
    void aProxyOnAnotherConfigFailsWithOneLine(@TempDir Path tmp) throws Exception {
        var f = fixture(tmp);
        try (var box = f.box) {
            f.proxyReports("fedcba9876543210fedcba9876543210");
            box.env.put("E2E_PROXY_WAIT", "2");
            var r = box.run("scripts/e2e.sh", "local", "--skip", "lab", "--skip", "resize", "--skip", "contrast",
                "--skip", "restart", "--skip", "preview");

            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.lastLine()).startsWith("e2e: FAIL: proxies: FAIL: proxy 10.244.1.10:5000 on node kind-worker "
                + "reports config digest fedcba9876543210fedcba9876543210 (expected " + ClusterFixture.DIGEST + ")");
        }
    }

    @Test
    void aProductionStackRunsOnlyWhatLeavesTheCacheAlone(@TempDir Path tmp) throws Exception {
        var f = fixture(tmp);
        try (var box = f.box) {
            box.config.put("memcached-gke:environment", "production");
            var r = box.run("scripts/e2e.sh", "local", "--skip", "lab");

            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.output()).contains("e2e: production stack: the resize, contrast and restart parts change the cache "
                + "and are left out (E2E_ALLOW_PRODUCTION=yes runs them)");
            assertThat(r.pulumiLines()).noneMatch(l -> l.startsWith("up") || l.startsWith("config set"));
            assertThat(r.kubectlLines()).noneMatch(l -> l.contains("delete pod mycache-memcached"));
        }
    }

    @Test
    void badArgumentsPrintTheUsage(@TempDir Path tmp) throws Exception {
        var f = fixture(tmp);
        try (var box = f.box) {
            var r = box.run("scripts/e2e.sh", "local", "--skip", "everything");
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.lastLine()).isEqualTo("usage: scripts/e2e.sh STACK [--skip lab|digest|resize|contrast|restart|preview]...");
        }
    }
}
