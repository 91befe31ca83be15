package io.memcachedgke.memcached;

import io.memcachedgke.support.Plans;
import io.memcachedgke.support.Records;
import static io.memcachedgke.support.Stacks.at;
import static io.memcachedgke.support.Stacks.container;
import static io.memcachedgke.support.Stacks.k8s;
import static io.memcachedgke.support.Stacks.one;
import static io.memcachedgke.support.Stacks.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pulumi.resources.ComponentResourceOptions;
import java.util.List;
import java.util.Map;
import io.memcachedgke.config.InvalidConfigException;
import io.memcachedgke.kube.ClientSelector;
import io.memcachedgke.render.Rendering;
import io.memcachedgke.support.Stacks;
import org.junit.jupiter.api.Test;

class MemcachedTest {
    private static final String PARENT = "memcached-gke:memcached:Memcached::cache";

    private static Rendering declare(MemcachedArgs args) {
        return Stacks.run(ctx -> {
            var m = new Memcached("cache", args, ComponentResourceOptions.Empty);
            ctx.export("servers", m.servers());
            ctx.export("serviceHost", m.serviceHost());
        });
    }

    @Test
    void aStatefulSetGovernedByItsHeadlessService() {
        var r = declare(Records.with(Plans.memcached(), "namespace", "cache", "replicas", 4));
        var service = k8s(r, "Service", "mycache-memcached");
        assertThat(value(service.inputs(), "spec.clusterIP").toString()).isEqualTo("None");
        assertThat(value(service.inputs(), "spec.ports")).isEqualTo(List.of(
            Map.of("name", "memcache", "port", 11211L, "protocol", "TCP", "targetPort", "memcache")));

        var sts = k8s(r, "StatefulSet", "mycache-memcached");
        assertThat(value(sts.inputs(), "metadata.namespace").toString()).isEqualTo("cache");
        assertThat(value(sts.inputs(), "spec.serviceName").toString()).isEqualTo("mycache-memcached");
        assertThat(value(sts.inputs(), "spec.replicas").toString()).isEqualTo("4");
        assertThat(value(sts.inputs(), "spec.podManagementPolicy").toString()).isEqualTo("Parallel");
        Map<String, String> selector = at(sts.inputs(), "spec.selector.matchLabels");
        Map<String, String> podLabels = at(sts.inputs(), "spec.template.metadata.labels");
        assertThat(podLabels).containsAllEntriesOf(selector);
        assertThat((Map<String, String>) at(service.inputs(), "spec.selector")).isEqualTo(selector);
        assertThat(selector).containsEntry("app", "mycache-memcached");
    }

    @Test
    void theContainerRunsTheSizedMemcachedWithProbesAndGuaranteedMemory() {
        var r = declare(Records.with(Plans.memcached(), "memoryMiB", 256, "cpuMillis", 500));
        var c = container(k8s(r, "StatefulSet", "mycache-memcached"));
        assertThat(c.get("image")).isEqualTo("memcached:1.6.38-alpine");
        assertThat(c.get("command")).isEqualTo(List.of("memcached"));
        assertThat(c.get("args")).isEqualTo(List.of("-p", "11211", "-U", "0", "-m", "256", "-c", "1024", "-t", "2"));
        assertThat(value(c, "ports.0")).isEqualTo(Map.of("name", "memcache", "containerPort", 11211L, "protocol", "TCP"));
        assertThat(value(c, "readinessProbe.tcpSocket.port").toString()).isEqualTo("memcache");
        assertThat(value(c, "livenessProbe.tcpSocket.port").toString()).isEqualTo("memcache");
        var limit = MemcachedSizing().limitMiB() + "Mi";
        assertThat(value(c, "resources.limits")).isEqualTo(Map.of("cpu", "500m", "memory", limit));
        assertThat(value(c, "resources.requests")).isEqualTo(Map.of("cpu", "500m", "memory", limit));
    }

    private static io.memcachedgke.sizing.MemcachedSizing MemcachedSizing() {
        return io.memcachedgke.sizing.MemcachedSizing.of(256, 500, 1024);
    }

    @Test
    void podsRunRestrictedAsTheImagesMemcacheUser() {
        var sts = k8s(declare(Plans.memcached()), "StatefulSet", "mycache-memcached");
        var pod = (Map<String, Object>) at(sts.inputs(), "spec.template.spec");
        assertThat(pod.get("automountServiceAccountToken")).isEqualTo(false);
        assertThat(value(pod, "securityContext.runAsUser").toString()).isEqualTo("11211");
        assertThat(value(pod, "securityContext.runAsNonRoot").toString()).isEqualTo("true");
        assertThat(value(pod, "securityContext.seccompProfile.type").toString()).isEqualTo("RuntimeDefault");
        var sc = (Map<String, Object>) at(pod, "containers.0.securityContext");
        assertThat(sc).containsEntry("readOnlyRootFilesystem", true).containsEntry("allowPrivilegeEscalation", false);
        assertThat(value(sc, "capabilities.drop")).isEqualTo(List.of("ALL"));
    }

    @Test
    void podsSpreadAcrossNodesAndZonesWhenAsked() {
        var zonal = k8s(declare(Plans.memcached()), "StatefulSet", "mycache-memcached");
        List<Map<String, Object>> spread = at(zonal.inputs(), "spec.template.spec.topologySpreadConstraints");
        assertThat(spread).extracting(m -> m.get("topologyKey")).containsExactly("kubernetes.io/hostname");
        assertThat(value(zonal.inputs(), "spec.template.spec.affinity.podAntiAffinity."
            + "preferredDuringSchedulingIgnoredDuringExecution.0.podAffinityTerm.topologyKey").toString())
            .isEqualTo("kubernetes.io/hostname");

        var regional = k8s(declare(Records.with(Plans.memcached(), "spreadZones", true)), "StatefulSet", "mycache-memcached");
        List<Map<String, Object>> both = at(regional.inputs(), "spec.template.spec.topologySpreadConstraints");
        assertThat(both).extracting(m -> m.get("topologyKey"))
            .containsExactly("kubernetes.io/hostname", "topology.kubernetes.io/zone");
    }

    @Test
    void aDisruptionBudgetOfOnePod() {
        var pdb = k8s(declare(Plans.memcached()), "PodDisruptionBudget", "mycache-memcached");
        assertThat(pdb.type()).isEqualTo("kubernetes:policy/v1:PodDisruptionBudget");
        assertThat(value(pdb.inputs(), "spec.maxUnavailable").toString()).isEqualTo("1");
    }

    @Test
    void onlyTheProxyAndLabelledClientsReachMemcached() {
        var r = declare(Records.with(Plans.memcached(), "directClients", List.of(ClientSelector.KUBECTL_RUN)));
        var np = k8s(r, "NetworkPolicy", "mycache-memcached");
        assertThat(value(np.inputs(), "spec.policyTypes")).isEqualTo(List.of("Ingress", "Egress"));
        // No egress rule: every egress denied (and no empty list, which the provider would drop from the state).
        assertThat(((Map<?, ?>) value(np.inputs(), "spec")).containsKey("egress")).isFalse();
        List<Map<String, Object>> from = at(np.inputs(), "spec.ingress.0.from");
        assertThat(from).extracting(p -> value(p, "podSelector")).containsExactly(
            Map.of("matchLabels", Map.of("app", "mycache-mcrouter", "app.kubernetes.io/instance", "mycache",
                "app.kubernetes.io/name", "mcrouter")),
            Map.of("matchLabels", Map.of("memcached-gke/direct-client", "true")),
            Map.of("matchExpressions", List.of(Map.of("key", "run", "operator", "Exists"))));
        assertThat(value(np.inputs(), "spec.ingress.0.ports")).isEqualTo(List.of(Map.of("port", "memcache", "protocol", "TCP")));

        var none = declare(Records.with(Plans.memcached(), "networkPolicy", false));
        assertThat(Stacks.ofType(none, "kubernetes:networking.k8s.io/v1:NetworkPolicy")).isEmpty();
    }

    @Test
    void childrenAreParentedToTheComponentAndOutputsListEveryPodInOrder() {
        var r = declare(Records.with(Plans.memcached(), "namespace", "cache"));
        assertThat(r.resources()).filteredOn(x -> x.isKubernetesObject())
            .extracting(x -> x.parent()).containsOnly(PARENT);
        assertThat(one(r, "memcached-gke:memcached:Memcached").parent()).isNull();
        assertThat(r.outputs().get("servers")).isEqualTo(List.of(
            "mycache-memcached-0.mycache-memcached.cache.svc.cluster.local:11211",
            "mycache-memcached-1.mycache-memcached.cache.svc.cluster.local:11211",
            "mycache-memcached-2.mycache-memcached.cache.svc.cluster.local:11211"));
        assertThat(r.outputs().get("serviceHost")).isEqualTo("mycache-memcached.cache.svc.cluster.local");
    }
}
