package io.memcachedgke.stacks;

import static io.memcachedgke.support.Stacks.at;
import static io.memcachedgke.support.Stacks.k8s;
import static io.memcachedgke.support.Stacks.value;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import io.memcachedgke.render.RecordedResource;
import io.memcachedgke.render.Rendering;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The production-grade cache tier (pod security, isolation, disruption safety) on the dev and prod renders. */
class CacheTierTest {
    private static final List<String> WORKLOADS = List.of("StatefulSet", "DaemonSet", "Deployment", "Job");

    private static List<RecordedResource> workloads(Rendering r) {
        return r.resources().stream().filter(x -> x.isKubernetesObject() && WORKLOADS.contains(x.inputs().get("kind"))).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyPodRunsRestricted(String stack) {
        var pods = workloads(HardeningTest.stack(stack));
        // memcached, mcrouter, the memcached exporter, the sample app, the rollout check, the smoke test, the Job
        // that waits for managed Prometheus's admission and the one that waits for the shards' roll; with mutual TLS
        // (prod), the shards' certificate reloader.
        assertThat(pods).hasSize(stack.equals("prod") ? 9 : 8);
        for (var w : pods) {
            Map<String, Object> pod = at(w.inputs(), "spec.template.spec");
            // Only the admission probe and the roll check call the Kubernetes API (GmpAdmissionTest holds the first's
            // Role to two kinds, RollCheckTest the second's to reading one StatefulSet).
            assertThat(pod).as(w.ref()).containsEntry("automountServiceAccountToken",
                w.name().endsWith("-gmp-admission") || w.name().endsWith("-roll-check"));
            assertThat(value(pod, "securityContext.runAsNonRoot")).as(w.ref()).isEqualTo(true);
            assertThat((Long) value(pod, "securityContext.runAsUser")).as(w.ref()).isPositive();
            assertThat(value(pod, "securityContext.seccompProfile.type")).as(w.ref()).isEqualTo("RuntimeDefault");
            List<Map<String, Object>> containers = at(pod, "containers");
            for (var c : containers) {
                var name = w.ref() + "/" + c.get("name");
                assertThat(value(c, "securityContext.readOnlyRootFilesystem")).as(name).isEqualTo(true);
                assertThat(value(c, "securityContext.allowPrivilegeEscalation")).as(name).isEqualTo(false);
                assertThat(value(c, "securityContext.capabilities.drop")).as(name).isEqualTo(List.of("ALL"));
                assertThat(value(c, "resources.requests")).as(name).isEqualTo(value(c, "resources.limits"));
                assertThat((Map<String, Object>) at(c, "resources.limits")).as(name).containsKeys("cpu", "memory");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theNamespaceDeniesIngressAndEachTierAdmitsOnlyItsClients(String stack) {
        var r = HardeningTest.stack(stack);
        var deny = k8s(r, "NetworkPolicy", "mycache-default-deny-ingress");
        assertThat(value(deny.inputs(), "spec")).isEqualTo(Map.of("podSelector", Map.of(), "policyTypes", List.of("Ingress")));
        var memcached = k8s(r, "NetworkPolicy", "mycache-memcached");
        // Egress isolated with no rule at all: every egress denied.
        assertThat(value(memcached.inputs(), "spec.policyTypes")).isEqualTo(List.of("Ingress", "Egress"));
        assertThat(((Map<?, ?>) value(memcached.inputs(), "spec")).containsKey("egress")).isFalse();
        var mcrouter = k8s(r, "NetworkPolicy", "mycache-mcrouter");
        List<Map<String, Object>> egress = at(mcrouter.inputs(), "spec.egress");
        assertThat(egress).anySatisfy(e -> assertThat(value(e, "ports.0.port")).isEqualTo(53L));
        assertThat(egress).anySatisfy(e -> assertThat(value(e, "ports.0.port")).isEqualTo(11211L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void disruptionSafety(String stack) {
        var r = HardeningTest.stack(stack);
        assertThat(value(k8s(r, "PodDisruptionBudget", "mycache-memcached").inputs(), "spec.maxUnavailable")).isEqualTo(1L);
        var sts = k8s(r, "StatefulSet", "mycache-memcached");
        assertThat(value(sts.inputs(), "spec.podManagementPolicy")).isEqualTo("Parallel");
        assertThat((Long) value(sts.inputs(), "spec.minReadySeconds")).isPositive();
        assertThat((Long) value(sts.inputs(), "spec.template.spec.terminationGracePeriodSeconds")).isPositive();
        assertThat(value(sts.inputs(), "spec.template.spec.containers.0.lifecycle.preStop.exec.command"))
            .isEqualTo(List.of("sleep", "5"));
        // Proxies roll a node at a time: with a host port the old goes first, with a node-local Service a new one
        // starts beside it.
        var rolling = value(k8s(r, "DaemonSet", "mycache-mcrouter").inputs(), "spec.updateStrategy.rollingUpdate");
        assertThat(rolling).isEqualTo(stack.equals("dev") ? Map.of("maxUnavailable", 1L, "maxSurge", 0L)
            : Map.of("maxUnavailable", 0L, "maxSurge", 1L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void shardsRestartOneAtATimeWithAWarmUpAndTheAutoscalerLeavesThemAlone(String stack) {
        var sts = k8s(HardeningTest.stack(stack), "StatefulSet", "mycache-memcached");
        // A rolling update waits minReadySeconds after each restarted shard is ready before the next.
        assertThat(value(sts.inputs(), "spec.minReadySeconds")).isEqualTo(stack.equals("prod") ? 300L : 30L);
        assertThat(value(sts.inputs(), "spec.updateStrategy")).isEqualTo(Map.of("type", "RollingUpdate"));
        assertThat(value(sts.inputs(), "spec.template.metadata.annotations"))
            .isEqualTo(Map.of("cluster-autoscaler.kubernetes.io/safe-to-evict", "false"));
        // Nothing but memcached in a memcached pod.
        assertThat((List<?>) value(sts.inputs(), "spec.template.spec.containers")).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theMemoryLimitLeavesHeadroomAboveTheItemMemory(String stack) {
        Map<String, Object> c = at(k8s(HardeningTest.stack(stack), "StatefulSet", "mycache-memcached").inputs(),
            "spec.template.spec.containers.0");
        @SuppressWarnings("unchecked")
        var args = (List<String>) c.get("args");
        int itemMiB = Integer.parseInt(args.get(args.indexOf("-m") + 1));
        int limitMiB = Integer.parseInt(((String) value(c, "resources.limits.memory")).replace("Mi", ""));
        assertThat(limitMiB).isGreaterThan(itemMiB + itemMiB / 20);
    }
}
