package io.memcachedgke.metrics;

import io.memcachedgke.kube.Scraper;
import io.memcachedgke.support.Plans;
import io.memcachedgke.support.Records;
import static io.memcachedgke.support.Stacks.at;
import static io.memcachedgke.support.Stacks.k8s;
import static io.memcachedgke.support.Stacks.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.pulumi.resources.ComponentResourceOptions;
import java.util.List;
import java.util.Map;
import io.memcachedgke.mcrouter.Mcrouter;
import io.memcachedgke.mcrouter.McrouterArgs;
import io.memcachedgke.memcached.MemcachedArgs;
import io.memcachedgke.render.Rendering;
import io.memcachedgke.support.Stacks;
import org.junit.jupiter.api.Test;

/** The metrics tier: the memcached exporter outside the shards, the scrape objects and who may scrape. */
class MetricsTest {
    private static final Map<String, Object> GMP_COLLECTORS = Map.of(
        "namespaceSelector", Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "gmp-system")),
        "podSelector", Map.of("matchLabels", Map.of("app.kubernetes.io/name", "collector")));
    private static final List<String> SHARDS = Plans.memcached().servers(3);

    /** The tier's arguments on GKE, where managed Prometheus scrapes the exporters (podMonitoring's default there). */
    static final MetricsArgs ON_GKE = Records.with(Plans.metrics(), "podMonitoring", true);

    private static Rendering declare(MetricsArgs metrics) {
        return Stacks.run(ctx -> new Metrics("metrics", metrics, "mycache", "default", true, SHARDS,
            ComponentResourceOptions.Empty));
    }

    private static void assertRestrictedGuaranteedAndOnlyLive(Map<String, Object> exporter, String port) {
        assertThat(value(exporter, "resources.requests")).isEqualTo(value(exporter, "resources.limits"))
            .isEqualTo(Map.of("cpu", "20m", "memory", "32Mi"));
        assertThat(value(exporter, "env")).isEqualTo(List.of(Map.of("name", "GOMEMLIMIT", "value", "24MiB")));
        assertThat(value(exporter, "securityContext")).isEqualTo(Map.of("allowPrivilegeEscalation", false,
            "privileged", false, "readOnlyRootFilesystem", true, "runAsNonRoot", true,
            "capabilities", Map.of("drop", List.of("ALL"))));
        assertThat(value(exporter, "livenessProbe.tcpSocket.port")).isEqualTo(port);
        // No readiness probe: an exporter fault must not take a proxy out of its Service.
        assertThat(exporter).doesNotContainKey("readinessProbe");
    }

    @Test
    void theMemcachedExporterRunsOutsideTheShardsOneContainerPerShard() {
        var r = declare(ON_GKE);
        var deployment = k8s(r, "Deployment", "mycache-memcached-exporter");
        List<Map<String, Object>> containers = at(deployment.inputs(), "spec.template.spec.containers");
        assertThat(containers).hasSize(3);
        for (int i = 0; i < 3; i++) {
            var c = containers.get(i);
            assertThat(c.get("name")).isEqualTo("exporter-" + i);
            assertThat(c.get("image")).isEqualTo("prom/memcached-exporter:v0.15.4");
            assertThat(c.get("args")).isEqualTo(List.of("--memcached.address=mycache-memcached-" + i
                + ".mycache-memcached.default.svc.cluster.local:11211", "--web.listen-address=:" + (9150 + i)));
            assertThat(c.get("ports")).isEqualTo(List.of(Map.of("name", "metrics-" + i, "containerPort", 9150L + i,
                "protocol", "TCP")));
            assertRestrictedGuaranteedAndOnlyLive(c, "metrics-" + i);
        }
        // It reads the shards as a direct client, which memcached's NetworkPolicy admits by this label.
        assertThat((Map<String, String>) at(deployment.inputs(), "spec.template.metadata.labels"))
            .containsEntry(io.memcachedgke.kube.Labels.DIRECT_CLIENT, "true");
        var np = k8s(r, "NetworkPolicy", "mycache-memcached-exporter");
        assertThat(value(np.inputs(), "spec.egress.0.ports")).isEqualTo(List.of(Map.of("port", 11211L, "protocol", "TCP")));
        assertThat(value(np.inputs(), "spec.ingress.0.from")).isEqualTo(List.of(GMP_COLLECTORS));
    }

    @Test
    void mcrouterPodsCarryThePinnedExporterWithPerServerStats() {
        var sidecar = Stacks.run(ctx -> new Mcrouter("proxy", Plans.mcrouter(),
            io.memcachedgke.mcrouter.McrouterConfig.plain(SHARDS), Mcrouter.exporterSidecar(Plans.mcrouter()),
            ComponentResourceOptions.Empty));
        List<Map<String, Object>> containers = at(k8s(sidecar, "DaemonSet", "mycache-mcrouter").inputs(),
            "spec.template.spec.containers");
        var c = containers.get(1);
        assertThat(c.get("image")).isEqualTo("ghcr.io/dev25/mcrouter_exporter:0.5.0");
        assertThat(c.get("args")).isEqualTo(List.of(
            "-mcrouter.address=localhost:5000", "-web.listen-address=:9442", "-mcrouter.server_metrics"));
        assertThat(c.get("ports")).isEqualTo(List.of(Map.of("name", "metrics", "containerPort", 9442L, "protocol", "TCP")));
        assertRestrictedGuaranteedAndOnlyLive(c, "metrics");
    }

    @Test
    void aPodMonitoringPerExporterEachMemcachedSeriesLabelledWithItsShard() {
        var r = declare(ON_GKE);
        var memcached = k8s(r, "PodMonitoring", "mycache-memcached");
        assertThat(memcached.type()).isEqualTo("kubernetes:monitoring.googleapis.com/v1:PodMonitoring");
        assertThat(value(memcached.inputs(), "spec.selector.matchLabels")).isEqualTo(Map.of("app", "mycache-memcached-exporter",
            "app.kubernetes.io/name", "memcached-exporter", "app.kubernetes.io/instance", "mycache"));
        assertThat(value(memcached.inputs(), "spec.endpoints.1")).isEqualTo(Map.of("port", "metrics-1", "interval", "30s",
            "metricRelabeling", List.of(Map.of("action", "replace", "targetLabel", "shard", "replacement", "mycache-memcached-1"))));
        var mcrouter = k8s(r, "PodMonitoring", "mycache-mcrouter");
        assertThat(value(mcrouter.inputs(), "spec.endpoints")).isEqualTo(List.of(Map.of("port", "metrics", "interval", "30s")));
        // Only the managed collectors may reach the proxies' metrics port, through a policy of its own.
        var np = k8s(r, "NetworkPolicy", "mycache-mcrouter-metrics");
        assertThat(value(np.inputs(), "spec.policyTypes")).isEqualTo(List.of("Ingress"));
        assertThat(value(np.inputs(), "spec.ingress")).isEqualTo(List.of(Map.of("from", List.of(GMP_COLLECTORS),
            "ports", List.of(Map.of("port", "metrics", "protocol", "TCP")))));
        assertThat(Stacks.ofType(r, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor")).isEmpty();
    }

    @Test
    void aServiceMonitorForPrometheusOperatorWithItsScraperLetIn() {
        var r = declare(Records.with(Plans.metrics(), "podMonitoring", false, "serviceMonitor", true, "interval", "1m", "scraper", Scraper.inNamespace("observability", Map.of("app.kubernetes.io/name", "prometheus")), "serviceMonitorLabels", Map.of("release", "kube-prometheus-stack")));
        assertThat(Stacks.ofType(r, "kubernetes:monitoring.googleapis.com/v1:PodMonitoring")).isEmpty();
        var sm = k8s(r, "ServiceMonitor", "mycache-memcached");
        assertThat((Map<String, String>) at(sm.inputs(), "metadata.labels")).containsEntry("release", "kube-prometheus-stack");
        assertThat(value(sm.inputs(), "spec.endpoints.0")).isEqualTo(Map.of("port", "metrics-0", "interval", "1m",
            "path", "/metrics", "metricRelabelings", List.of(Map.of("action", "replace", "targetLabel", "shard",
                "replacement", "mycache-memcached-0"))));
        for (var service : List.of("mycache-memcached-exporter-metrics", "mycache-mcrouter-metrics")) {
            var svc = k8s(r, "Service", service);
            Map<String, String> selected = at(k8s(r, "ServiceMonitor", service.startsWith("mycache-memcached")
                ? "mycache-memcached" : "mycache-mcrouter").inputs(), "spec.selector.matchLabels");
            assertThat((Map<String, String>) at(svc.inputs(), "metadata.labels")).containsAllEntriesOf(selected);
        }
        assertThat(value(k8s(r, "NetworkPolicy", "mycache-memcached-exporter").inputs(), "spec.ingress.0.from"))
            .isEqualTo(List.of(Map.of(
                "namespaceSelector", Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "observability")),
                "podSelector", Map.of("matchLabels", Map.of("app.kubernetes.io/name", "prometheus")))));
    }

    @Test
    void withoutExportersTheTierDeclaresNothing() {
        var r = declare(Records.with(Plans.metrics(), "exporters", false, "podMonitoring", false));
        assertThat(r.resources()).filteredOn(x -> x.isKubernetesObject()).isEmpty();
    }

    @Test
    void exportersWithoutAScraperAreNotReachable() {
        var r = declare(Records.with(Plans.metrics(), "podMonitoring", false));
        Map<?, ?> spec = (Map<?, ?>) value(k8s(r, "NetworkPolicy", "mycache-memcached-exporter").inputs(), "spec");
        assertThat(spec.get("policyTypes")).asList().contains("Ingress");
        assertThat(spec.containsKey("ingress")).isFalse();
    }

    /**
     * Managed Prometheus's objects are created only once the API server admits their kinds (its operator's webhooks
     * answer): they depend on a Job that asks for a server-side dry run, whose pod may create those two kinds in its
     * namespace and nothing else.
     */
    @Test
    void managedPrometheusObjectsWaitForTheOperatorsAdmission() {
        var r = declare(ON_GKE);
        var job = Stacks.named(r, "kubernetes:batch/v1:Job", "metrics-gmp-admission").orElseThrow();
        for (var kind : List.of("PodMonitoring", "Rules")) {
            for (var object : Stacks.ofType(r, "kubernetes:monitoring.googleapis.com/v1:" + kind)) {
                assertThat(object.dependencies()).as(object.ref()).contains(job.ref());
            }
        }
        Map<String, Object> pod = at(job.inputs(), "spec.template.spec");
        assertThat(pod).containsEntry("automountServiceAccountToken", true)
            .containsEntry("serviceAccountName", "mycache-gmp-admission").containsEntry("restartPolicy", "Never");
        var c = Stacks.container(job);
        assertThat(c.get("image")).isEqualTo("registry.k8s.io/kubectl:v1.34.1");
        assertThat(c.get("args")).isEqualTo(List.of("create", "--dry-run=server", "--filename=/probe/probe.json",
            "--cache-dir=/tmp/kube-cache"));
        assertThat(at(job.inputs(), "spec.backoffLimit").toString()).isEqualTo("8");
        assertThat(at(job.inputs(), "spec.activeDeadlineSeconds").toString()).isEqualTo("1200");
        var role = Stacks.one(r, "kubernetes:rbac.authorization.k8s.io/v1:Role");
        assertThat((Object) at(role.inputs(), "rules")).isEqualTo(List.of(Map.of(
            "apiGroups", List.of("monitoring.googleapis.com"), "resources", List.of("podmonitorings", "rules"),
            "verbs", List.of("create"))));
        var binding = Stacks.one(r, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding");
        assertThat((Object) at(binding.inputs(), "subjects")).isEqualTo(List.of(Map.of(
            "kind", "ServiceAccount", "name", "mycache-gmp-admission", "namespace", "default")));
        assertThat((Object) at(binding.inputs(), "roleRef.name")).isEqualTo("mycache-gmp-admission");
        var account = Stacks.one(r, "kubernetes:core/v1:ServiceAccount");
        assertThat(account.inputs()).containsEntry("automountServiceAccountToken", false);
        // The probe objects: never stored (a dry run), named so none of the program's is touched.
        var probe = Stacks.k8s(r, "ConfigMap", "mycache-gmp-admission");
        assertThat((String) ((Map<String, Object>) at(probe.inputs(), "data")).get("probe.json")).isEqualTo(GmpAdmission.probe("mycache", "default", "30s"))
            .contains("\"kind\" : \"PodMonitoring\"", "\"kind\" : \"Rules\"", "\"name\" : \"mycache-admission-probe\"");
    }

    @Test
    void withoutManagedPrometheusThereIsNoAdmissionProbe() {
        var r = declare(Records.with(Plans.metrics(), "podMonitoring", false, "serviceMonitor", true, "alertRules", false));
        assertThat(Stacks.ofType(r, "kubernetes:batch/v1:Job")).isEmpty();
        assertThat(Stacks.ofType(r, "kubernetes:rbac.authorization.k8s.io/v1:Role")).isEmpty();
    }
}
