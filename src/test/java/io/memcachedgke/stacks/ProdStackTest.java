package io.memcachedgke.stacks;

import static io.memcachedgke.support.Stacks.at;
import static io.memcachedgke.support.Stacks.container;
import static io.memcachedgke.support.Stacks.k8s;
import static io.memcachedgke.support.Stacks.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.memcachedgke.render.Rendering;
import io.memcachedgke.support.Stacks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The prod stack from the real Pulumi.prod.yaml: the cache tier hardened. */
class ProdStackTest {
    private static Rendering prod;

    @BeforeAll
    static void render() {
        prod = HardeningTest.stack("prod");
    }

    @Test
    void itsOwnNamespaceEnforcesRestricted() {
        var ns = k8s(prod, "Namespace", "memcached");
        Map<String, String> labels = at(ns.inputs(), "metadata.labels");
        assertThat(labels).containsEntry("pod-security.kubernetes.io/enforce", "restricted");
        assertThat(prod.resources()).filteredOn(r -> r.isKubernetesObject() && !r.isProvider()
                && !"Namespace".equals(r.inputs().get("kind")))
            .allSatisfy(r -> assertThat(value(r.inputs(), "metadata.namespace")).isEqualTo("memcached"));
    }

    @Test
    void nothingListensOnAHostPort() {
        var ports = (List<?>) value(container(k8s(prod, "DaemonSet", "mycache-mcrouter")), "ports");
        assertThat(ports).hasSize(1).allSatisfy(p -> assertThat((Map<String, Object>) p).doesNotContainKey("hostPort"));
        assertThat(value(k8s(prod, "Service", "mycache-mcrouter").inputs(), "spec.internalTrafficPolicy")).isEqualTo("Local");
        assertThat(prod.outputs()).containsEntry("mcrouterExposure", "nodeLocalService")
            .containsEntry("mcrouterServiceHost", "mycache-mcrouter.memcached.svc.cluster.local");
    }

    @Test
    void memcachedSpreadsAcrossZonesAndNodesWithGuaranteedMemory() {
        var sts = k8s(prod, "StatefulSet", "mycache-memcached");
        List<Map<String, Object>> spread = at(sts.inputs(), "spec.template.spec.topologySpreadConstraints");
        assertThat(spread).extracting(m -> m.get("topologyKey"))
            .containsExactly("kubernetes.io/hostname", "topology.kubernetes.io/zone");
        var c = container(sts);
        // Production serves mutual TLS (TlsTest holds the rest of it).
        assertThat(value(c, "args")).isEqualTo(List.of("-p", "11211", "-U", "0", "-m", "22528", "-c", "4096", "-t", "8",
            "-Z", "-o", "ssl_chain_cert=/etc/memcached-gke/tls/tls.crt,ssl_key=/etc/memcached-gke/tls/tls.key,"
                + "ssl_ca_cert=/etc/memcached-gke/tls/ca.crt,ssl_verify_mode=2,ssl_session_cache"));
        assertThat(value(c, "resources.requests")).isEqualTo(value(c, "resources.limits"));
        assertThat(value(c, "resources.limits.memory")).isEqualTo("27064Mi");
    }

    @Test
    void theSmokeTestAndTheMonitoringObjectsAreDeclared() {
        var job = k8s(prod, "Job", (String) prod.outputs().get("smokeTestJob"));
        assertThat(value(job.inputs(), "metadata.namespace")).isEqualTo("memcached");
        // nodeLocalService: the proxy on the Job's node is the node-local Service.
        assertThat(value(container(job), "env.0")).isEqualTo(
            Map.of("name", "MCROUTER_HOST", "value", "mycache-mcrouter.memcached.svc.cluster.local"));
        assertThat(k8s(prod, "PodMonitoring", "mycache-memcached").inputs()).isNotEmpty();
        assertThat(k8s(prod, "PodMonitoring", "mycache-mcrouter").inputs()).isNotEmpty();
        // A memcached pod holds memcached alone.
        List<Map<String, Object>> containers = at(k8s(prod, "StatefulSet", "mycache-memcached").inputs(),
            "spec.template.spec.containers");
        assertThat(containers).extracting(c -> value(c, "resources.limits.memory")).containsExactly("27064Mi");
    }

    @Test
    void theLabsTestPodsAreNotLetIn() {
        List<Map<String, Object>> from = at(k8s(prod, "NetworkPolicy", "mycache-memcached").inputs(), "spec.ingress.0.from");
        assertThat(from).hasSize(2).noneMatch(p -> p.toString().contains("Exists"));
    }

    @Test
    void aDashboardOfTheStacksClusterAndNamespaceWithEveryPanel() throws Exception {
        var dashboard = Stacks.one(prod, "gcp:monitoring/dashboard:Dashboard");
        assertThat(dashboard.inputs()).containsEntry("project", "render-placeholder-project");
        var json = new ObjectMapper().readTree((String) dashboard.inputs().get("dashboardJson"));
        assertThat(json.get("displayName").asText()).isEqualTo("memcached-gke mycache (memcached-prod/memcached)");
        var titles = new ArrayList<String>();
        json.at("/mosaicLayout/tiles").forEach(t -> { if (t.at("/widget").has("title")) titles.add(t.at("/widget/title").asText()); });
        assertThat(titles).contains("Hit ratio: gets that hit / gets", "Requests per second by command",
            "Evictions per second", "Memory used / limit (-m)", "Connections / maximum (-c)", "Items stored",
            "Requests per second, per proxy", "Timeouts and remote errors per second, per proxy and destination shard",
            "Shards marked down (TKO), per proxy and shard: 1 = down", "Nodes without a ready proxy");
        assertThat(titles).anyMatch(t -> t.startsWith("Out-of-memory store errors per second"))
            .anyMatch(t -> t.startsWith("Config load failures"))
            .anyMatch(t -> t.startsWith("Same config everywhere?"));
        // Every query is this stack's: its cluster and its namespace.
        assertThat(json.findValues("prometheusQuery")).isNotEmpty().allSatisfy(q -> assertThat(q.asText())
            .contains("cluster=\"memcached-prod\"").contains("namespace=\"memcached\""));
        assertThat(prod.outputs()).containsKey("dashboardUrl");
    }

    @Test
    void alertRulesForManagedPrometheusInTheCachesNamespace() {
        var rules = k8s(prod, "Rules", "mycache-memcached-alerts");
        assertThat(value(rules.inputs(), "metadata.namespace")).isEqualTo("memcached");
        List<Map<String, Object>> groups = at(rules.inputs(), "spec.groups");
        var alerts = groups.stream().flatMap(g -> ((List<Map<String, Object>>) g.get("rules")).stream()).toList();
        assertThat(alerts).extracting(r -> r.get("alert")).containsExactlyInAnyOrder("MemcachedShardDown",
            "MemcachedConnectionsNearLimit", "MemcachedEvictionsSustained", "MemcachedOutOfMemoryErrors",
            "MemcachedHitRatioLow", "McrouterShardMarkedDown", "McrouterShardErrors", "McrouterConfigReloadFailed",
            "McrouterDown", "McrouterNodeWithoutReadyProxy");
        assertThat(alerts).allSatisfy(r -> {
            assertThat(r.get("for")).isNotNull();
            assertThat((Map<String, String>) r.get("labels")).containsKey("severity");
            assertThat(((Map<String, String>) r.get("annotations")).get("runbook_url")).startsWith("docs/alerts.md#");
        });
        // Without notification channels, no Cloud Monitoring alert policy duplicates them.
        assertThat(Stacks.ofType(prod, "gcp:monitoring/alertPolicy:AlertPolicy")).isEmpty();
        assertThat(Stacks.ofType(prod, "kubernetes:monitoring.coreos.com/v1:PrometheusRule")).isEmpty();
    }
}
