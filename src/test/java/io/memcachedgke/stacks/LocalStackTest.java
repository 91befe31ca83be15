package io.memcachedgke.stacks;

import static io.memcachedgke.support.Stacks.at;
import static io.memcachedgke.support.Stacks.k8s;
import static io.memcachedgke.support.Stacks.one;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.memcachedgke.stack.App;
import io.memcachedgke.render.RecordedResource;
import io.memcachedgke.render.Rendering;
import io.memcachedgke.support.Stacks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The local stack from the real Pulumi.local.yaml: bring your own cluster, nothing on GCP. */
class LocalStackTest {
    private static Rendering local;

    @BeforeAll
    static void render() {
        local = Stacks.render("local");
    }

    @Test
    void declaresNoGcpResourceAtAll() {
        assertThat(local.resources()).extracting(RecordedResource::type).noneMatch(t -> t.startsWith("gcp:"));
        assertThat(local.outputs()).doesNotContainKeys("clusterName", "kubeconfig");
    }

    @Test
    void usesTheAmbientKubeconfigThroughOneProvider() {
        var provider = one(local, "pulumi:providers:kubernetes");
        assertThat(provider.inputs()).doesNotContainKeys("kubeconfig", "context");
        assertThat(provider.parent()).isNull();
        assertThat(local.resources()).filteredOn(r -> r.isKubernetesObject() && !r.isProvider())
            .extracting(RecordedResource::provider).containsOnly(provider.ref());
    }

    @Test
    void aNamedContextIsPassedToTheProvider() {
        var config = new HashMap<>(Stacks.config("local"));
        config.put("memcached-gke:kubeContext", "kind-memcached");
        var r = Stacks.program(config);
        assertThat(one(r, "pulumi:providers:kubernetes").inputs()).containsEntry("context", "kind-memcached");
    }

    @Test
    void noManagedPrometheusObjectsButTheExportersAndTheSmokeTest() {
        assertThat(local.resources()).extracting(RecordedResource::type)
            .noneMatch(t -> t.startsWith("kubernetes:monitoring."));
        // The rollout check, the shards' roll check and the smoke test.
        assertThat(Stacks.ofType(local, "kubernetes:batch/v1:Job")).hasSize(3);
        List<Map<String, Object>> containers = at(k8s(local, "StatefulSet", "mycache-memcached").inputs(),
            "spec.template.spec.containers");
        assertThat(containers).extracting(c -> c.get("name")).containsExactly("memcached");
        assertThat(k8s(local, "Deployment", "mycache-memcached-exporter").inputs()).isNotEmpty();
        // Nothing scrapes, so nothing is let in on the metrics ports: Ingress isolated, no ingress rule.
        Map<String, Object> spec = at(k8s(local, "NetworkPolicy", "mycache-memcached-exporter").inputs(), "spec");
        assertThat(spec.get("policyTypes")).asList().contains("Ingress");
        assertThat(spec.containsKey("ingress")).isFalse();
    }

    @Test
    void theCacheTiersAreTheSameAsOnGke() {
        assertThat(k8s(local, "StatefulSet", "mycache-memcached").inputs()).isNotEmpty();
        assertThat(k8s(local, "Namespace", "memcached").inputs()).isNotEmpty();
        assertThat(local.outputs()).containsEntry("memcachedServiceHost", "mycache-memcached.memcached.svc.cluster.local")
            .containsEntry("namespace", "memcached");
    }
}
