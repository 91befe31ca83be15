package io.memcachedgke.stacks;

import static io.memcachedgke.support.Stacks.at;
import static io.memcachedgke.support.Stacks.k8s;
import static io.memcachedgke.support.Stacks.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.memcachedgke.stack.App;
import io.memcachedgke.render.Rendering;
import io.memcachedgke.support.Stacks;
import org.junit.jupiter.api.Test;

/**
 * The dev and prod stacks plain, growing (3 -> 4) and shrinking (4 -> 3) with a resize block: the StatefulSet's
 * pod count, the proxies' config, and which tier goes first.
 */
class ResizeStackTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String START = "2026-12-01T10:00:00Z";

    static Rendering stack(String name, int replicas, Integer from) throws Exception {
        var config = new HashMap<>(Stacks.config(name));
        var memcached = (ObjectNode) JSON.readTree(config.get("memcached-gke:memcached"));
        memcached.put("replicas", replicas);
        if (from != null) {
            memcached.set("resize", JSON.valueToTree(Map.of("from", from, "startTime", START, "window", "1h")));
        }
        config.put("memcached-gke:memcached", JSON.writeValueAsString(memcached));
        if (name.equals("prod") && Math.max(replicas, from == null ? 0 : from) > 3) {
            // A 22 GiB shard fills an e2-highmem-4: a fourth pod needs a fourth node at the autoscaler's minimum
            // (the fit is checked at the fewest nodes the cluster can have; BadStackFilesTest shows the refusal).
            var cluster = (ObjectNode) JSON.readTree(config.get("memcached-gke:cluster"));
            cluster.put("minNodes", 2);
            cluster.put("nodeCount", 2);
            config.put("memcached-gke:cluster", JSON.writeValueAsString(cluster));
        }
        return Stacks.program(config);
    }

    static JsonNode proxyConfig(Rendering r) throws Exception {
        Map<String, String> data = at(k8s(r, "ConfigMap", "mycache-mcrouter").inputs(), "data");
        return JSON.readTree(data.get("config.json"));
    }

    static long podCount(Rendering r) {
        return (Long) value(k8s(r, "StatefulSet", "mycache-memcached").inputs(), "spec.replicas");
    }

    static List<String> pool(JsonNode config, String pool) {
        var out = new java.util.ArrayList<String>();
        config.at("/pools/" + pool + "/servers").forEach(s -> out.add(s.asText()));
        return out;
    }

    @Test
    void plainStacksRunTheirReplicasAndOnePool() throws Exception {
        for (var name : List.of("dev", "prod")) {
            var r = stack(name, 3, null);
            assertThat(podCount(r)).isEqualTo(3);
            var config = proxyConfig(r);
            assertThat(config.at("/route").asText()).isEqualTo("PoolRoute|A");
            assertThat(config.at("/pools").size()).isEqualTo(1);
            assertThat(pool(config, "A")).hasSize(3);
        }
    }

    @Test
    void anotherNumberOfShardsChangesTheConfigMapAndNotTheProxiesPodTemplate() throws Exception {
        for (var name : List.of("dev", "prod")) {
            var three = stack(name, 3, null);
            var four = stack(name, 4, null);
            assertThat(value(k8s(four, "DaemonSet", "mycache-mcrouter").inputs(), "spec.template")).as(name)
                .isEqualTo(value(k8s(three, "DaemonSet", "mycache-mcrouter").inputs(), "spec.template"));
            assertThat(pool(proxyConfig(three), "A")).as(name).hasSize(3);
            assertThat(pool(proxyConfig(four), "A")).as(name).hasSize(4);
            assertThat(four.outputs().get("mcrouterConfigDigest")).as(name)
                .isNotEqualTo(three.outputs().get("mcrouterConfigDigest"));
        }
    }

    @Test
    void growingRunsFourPodsMovesFromThreeToFourAndPutsThePodsFirst() throws Exception {
        for (var name : List.of("dev", "prod")) {
            var r = stack(name, 4, 3);
            assertThat(podCount(r)).isEqualTo(4);
            var config = proxyConfig(r);
            assertThat(pool(config, "A")).hasSize(3);
            assertThat(pool(config, "B")).hasSize(4).startsWith(pool(config, "A").toArray(String[]::new));
            assertThat(config.at("/route/default_policy/type").asText()).isEqualTo("MigrateRoute");
            // Pods first: the proxies' ConfigMap waits for the StatefulSet (through the memcached component).
            var configMap = r.resources().stream().filter(x -> x.type().equals("kubernetes:core/v1:ConfigMap")).findFirst().orElseThrow();
            assertThat(configMap.dependencies()).contains("kubernetes:apps/v1:StatefulSet::mycache-memcached-statefulset");
        }
    }

    @Test
    void shrinkingKeepsFourPodsMovesFromFourToThreeAndPutsTheProxiesFirst() throws Exception {
        for (var name : List.of("dev", "prod")) {
            var r = stack(name, 3, 4);
            assertThat(podCount(r)).as("surplus pods stay until the resize block is removed").isEqualTo(4);
            var config = proxyConfig(r);
            assertThat(pool(config, "A")).hasSize(4);
            assertThat(pool(config, "B")).hasSize(3);
            var sts = r.resources().stream().filter(x -> x.type().equals("kubernetes:apps/v1:StatefulSet")).findFirst().orElseThrow();
            // Proxies first: the StatefulSet waits for the rollout check, which waits for every proxy on the config.
            assertThat(sts.dependencies()).contains("kubernetes:batch/v1:Job::mycache-mcrouter-rollout",
                "kubernetes:core/v1:ConfigMap::mycache-mcrouter-config");
        }
    }

    @Test
    void removingTheBlockAfterAShrinkRemovesThePodsOnlyAfterTheProxies() throws Exception {
        var done = stack("dev", 3, null);
        assertThat(podCount(done)).isEqualTo(3);
        var sts = done.resources().stream().filter(x -> x.type().equals("kubernetes:apps/v1:StatefulSet")).findFirst().orElseThrow();
        assertThat(sts.dependencies()).contains("kubernetes:batch/v1:Job::mycache-mcrouter-rollout");
    }

    @Test
    void theSameStackRendersTheSameProxyConfigWhateverTheClock() throws Exception {
        assertThat(proxyConfig(stack("dev", 4, 3))).isEqualTo(proxyConfig(stack("dev", 4, 3)));
    }

    @Test
    void aMetricsOnlyChangeLeavesTheShardsPodTemplateUnchanged() throws Exception {
        var base = Stacks.program(Stacks.config("dev"));
        var config = new HashMap<>(Stacks.config("dev"));
        var memcached = (ObjectNode) JSON.readTree(config.get("memcached-gke:memcached"));
        memcached.put("exporterImage", "prom/memcached-exporter:v0.15.3");
        config.put("memcached-gke:memcached", JSON.writeValueAsString(memcached));
        var metrics = (ObjectNode) JSON.readTree(config.get("memcached-gke:metrics"));
        metrics.put("interval", "15s");
        config.put("memcached-gke:metrics", JSON.writeValueAsString(metrics));
        var head = Stacks.program(config);
        assertThat(value(k8s(head, "StatefulSet", "mycache-memcached").inputs(), "spec.template"))
            .isEqualTo(value(k8s(base, "StatefulSet", "mycache-memcached").inputs(), "spec.template"));
        assertThat(value(k8s(head, "Deployment", "mycache-memcached-exporter").inputs(), "spec.template"))
            .isNotEqualTo(value(k8s(base, "Deployment", "mycache-memcached-exporter").inputs(), "spec.template"));
        assertThat((List<?>) value(k8s(head, "StatefulSet", "mycache-memcached").inputs(), "spec.template.spec.containers"))
            .hasSize(1);
    }
}
