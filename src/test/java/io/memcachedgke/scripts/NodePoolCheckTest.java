package io.memcachedgke.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/node-pool-check.sh, which the GKE end-to-end run uses after a machine-type change, against the objects a
 * cluster reports (a fake {@code kubectl} answers {@code get ... -o json} with them): the shards on the new pool,
 * one at a time and the warm-up apart, and no node of the old pool left; each way it can fail names the problem.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NodePoolCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PROJECT = Paths.get("").toAbsolutePath();
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
    private static final String KUBECTL = """
        #!/usr/bin/env bash
        # fake kubectl: get <kind> ... -o json from $FAKE_DIR/<kind>.json
        echo "$*" >> "$FAKE_DIR/kubectl.log"
        case "$2" in
          statefulset) cat "$FAKE_DIR/sts.json" ;;
          pods) cat "$FAKE_DIR/pods.json" ;;
          nodes) cat "$FAKE_DIR/nodes.json" ;;
          *) echo "fake kubectl: unexpected: $*" >&2; exit 1 ;;
        esac
        """;

    /** A StatefulSet of 3 on pool {@code new1}, its roll over, with a 30 s warm-up. */
    private static ObjectNode statefulSet() {
        var sts = JSON.createObjectNode();
        sts.putObject("metadata").put("name", "mycache-memcached");
        var spec = sts.putObject("spec");
        spec.put("replicas", 3).put("minReadySeconds", 30);
        spec.putObject("template").putObject("spec").putObject("nodeSelector").put("memcached-gke/node-pool", "new1");
        sts.putObject("status").put("replicas", 3).put("readyReplicas", 3).put("updatedReplicas", 3)
            .put("currentRevision", "r2").put("updateRevision", "r2");
        return sts;
    }

    private static ObjectNode nodes(String... pools) {
        var list = JSON.createObjectNode();
        var items = list.putArray("items");
        for (int i = 0; i < pools.length; i++) {
            items.addObject().putObject("metadata").put("name", "node-" + i).putObject("labels")
                .put("memcached-gke/node-pool", pools[i]);
        }
        return list;
    }

    /** Pods 2, 1, 0 replaced in that order, each created {@code gap} s after the one before became Ready. */
    private static ObjectNode pods(int gap, String... nodes) {
        var list = JSON.createObjectNode();
        ArrayNode items = list.putArray("items");
        var created = T0;
        for (int i = 2; i >= 0; i--) {
            var ready = created.plusSeconds(5);
            var pod = items.addObject();
            pod.putObject("metadata").put("name", "mycache-memcached-" + i).put("creationTimestamp", created.toString());
            pod.putObject("spec").put("nodeName", nodes[i]);
            pod.putObject("status").putArray("conditions").addObject()
                .put("type", "Ready").put("status", "True").put("lastTransitionTime", ready.toString());
            created = ready.plusSeconds(gap);
        }
        return list;
    }

    private record Run(int exit, String lastLine) {}

    private static Run check(Path tmp, ObjectNode sts, ObjectNode pods, ObjectNode nodes) throws Exception {
        var fake = Files.createDirectories(tmp.resolve("fake"));
        Files.writeString(fake.resolve("sts.json"), sts.toString());
        Files.writeString(fake.resolve("pods.json"), pods.toString());
        Files.writeString(fake.resolve("nodes.json"), nodes.toString());
        var kubectl = Files.createDirectories(tmp.resolve("bin")).resolve("kubectl");
        Files.writeString(kubectl, KUBECTL);
        kubectl.toFile().setExecutable(true);
        var pb = new ProcessBuilder("bash", "scripts/node-pool-check.sh", tmp.resolve("kubeconfig").toString(), "memcached")
            .directory(PROJECT.toFile()).redirectErrorStream(true);
        pb.environment().put("PATH", tmp.resolve("bin") + File.pathSeparator + System.getenv("PATH"));
        pb.environment().put("FAKE_DIR", fake.toString());
        var p = pb.start();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        var lines = out.split("\n");
        assertThat(Files.readAllLines(fake.resolve("kubectl.log"))).isEqualTo(List.of(
            "get statefulset mycache-memcached -n memcached -o json",
            "get pods -n memcached -l app=mycache-memcached -o json",
            "get nodes -o json"));
        return new Run(p.exitValue(), lines[lines.length - 1]);
    }

    @Test
    void theShardsOnTheNewPoolOneAtATimeAndTheOldPoolGonePass(@TempDir Path tmp) throws Exception {
        var r = check(tmp, statefulSet(), pods(30, "node-0", "node-1", "node-2"), nodes("new1", "new1", "new1"));
        assertThat(r.exit()).isZero();
        assertThat(r.lastLine()).isEqualTo("node-pool-check: OK: 3 shards on pool new1, moved one at a time (at least 30 s "
            + "apart); no other pool is left");
    }

    @Test
    void aShardMovedBeforeThePreviousWarmedUpFails(@TempDir Path tmp) throws Exception {
        var r = check(tmp, statefulSet(), pods(10, "node-0", "node-1", "node-2"), nodes("new1", "new1", "new1"));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.lastLine()).isEqualTo("node-pool-check: FAIL: mycache-memcached-1 started 10 s after "
            + "mycache-memcached-2 was Ready, less than the warm-up (minReadySeconds 30)");
    }

    @Test
    void aNodeOfTheOldPoolLeftFails(@TempDir Path tmp) throws Exception {
        var r = check(tmp, statefulSet(), pods(30, "node-0", "node-1", "node-2"), nodes("new1", "new1", "new1", "old0"));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.lastLine()).isEqualTo("node-pool-check: FAIL: nodes of another pool are left "
            + "(memcached-gke/node-pool old0): the old pool was not deleted");
    }

    @Test
    void aShardOnANodeOfAnotherPoolFails(@TempDir Path tmp) throws Exception {
        var nodes = nodes("new1", "new1", "new1");
        ((ObjectNode) nodes.withArray("items").get(2).get("metadata")).remove("labels");
        var r = check(tmp, statefulSet(), pods(30, "node-0", "node-1", "node-2"), nodes);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.lastLine()).isEqualTo("node-pool-check: FAIL: mycache-memcached-2 runs on node node-2, not on a node "
            + "of pool new1");
    }

    @Test
    void aRollNotOverFails(@TempDir Path tmp) throws Exception {
        var sts = statefulSet();
        ((ObjectNode) sts.get("status")).put("updatedReplicas", 2).put("updateRevision", "r3");
        var r = check(tmp, sts, pods(30, "node-0", "node-1", "node-2"), nodes("new1", "new1", "new1"));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.lastLine()).isEqualTo("node-pool-check: FAIL: the roll is not over: 2 of 3 pods updated, 3 ready");
    }
}
