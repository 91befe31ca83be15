package memcachedgke.stacks;

import static memcachedgke.support.Stacks.at;
import static memcachedgke.support.Stacks.container;
import static memcachedgke.support.Stacks.k8s;
import static memcachedgke.support.Stacks.value;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import memcachedgke.render.Rendering;
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
        assertThat(value(c, "args")).isEqualTo(List.of("-p", "11211", "-U", "0", "-m", "22528", "-c", "4096", "-t", "8"));
        assertThat(value(c, "resources.requests")).isEqualTo(value(c, "resources.limits"));
        assertThat(value(c, "resources.limits.memory")).isEqualTo("26840Mi");
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
        assertThat(containers).extracting(c -> value(c, "resources.limits.memory")).containsExactly("26840Mi");
    }

    @Test
    void theLabsTestPodsAreNotLetIn() {
        List<Map<String, Object>> from = at(k8s(prod, "NetworkPolicy", "mycache-memcached").inputs(), "spec.ingress.0.from");
        assertThat(from).hasSize(2).noneMatch(p -> p.toString().contains("Exists"));
    }
}
