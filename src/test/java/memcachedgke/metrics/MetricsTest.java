package memcachedgke.metrics;

import static memcachedgke.support.Stacks.at;
import static memcachedgke.support.Stacks.k8s;
import static memcachedgke.support.Stacks.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.pulumi.resources.ComponentResourceOptions;
import java.util.List;
import java.util.Map;
import memcachedgke.mcrouter.Mcrouter;
import memcachedgke.mcrouter.McrouterArgs;
import memcachedgke.memcached.Memcached;
import memcachedgke.memcached.MemcachedArgs;
import memcachedgke.render.Rendering;
import memcachedgke.support.Stacks;
import org.junit.jupiter.api.Test;

/** The exporter sidecars, the monitoring objects and the NetworkPolicy rules, for both cache tiers. */
class MetricsTest {
    private static final Map<String, Object> GMP_COLLECTORS = Map.of(
        "namespaceSelector", Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "gmp-system")),
        "podSelector", Map.of("matchLabels", Map.of("app.kubernetes.io/name", "collector")));

    private static Rendering declare(MetricsArgs metrics) {
        return Stacks.run(ctx -> {
            var memcached = new Memcached("cache", MemcachedArgs.builder().metrics(metrics).build(),
                ComponentResourceOptions.Empty);
            new Mcrouter("proxy", McrouterArgs.builder().metrics(metrics).build(), memcached.servers(),
                ComponentResourceOptions.Empty);
        });
    }

    private static Map<String, Object> containerNamed(Rendering r, String kind, String name, String container) {
        List<Map<String, Object>> containers = at(k8s(r, kind, name).inputs(), "spec.template.spec.containers");
        return containers.stream().filter(c -> container.equals(c.get("name"))).findFirst().orElseThrow();
    }

    private static void assertRestrictedGuaranteedAndOnlyLive(Map<String, Object> exporter) {
        assertThat(value(exporter, "resources.requests")).isEqualTo(value(exporter, "resources.limits"))
            .isEqualTo(Map.of("cpu", "20m", "memory", "32Mi"));
        assertThat(value(exporter, "env")).isEqualTo(List.of(Map.of("name", "GOMEMLIMIT", "value", "24MiB")));
        assertThat(value(exporter, "securityContext")).isEqualTo(Map.of("allowPrivilegeEscalation", false,
            "privileged", false, "readOnlyRootFilesystem", true, "runAsNonRoot", true,
            "capabilities", Map.of("drop", List.of("ALL"))));
        assertThat(value(exporter, "livenessProbe.tcpSocket.port")).isEqualTo("metrics");
        // No readiness probe: an exporter fault must not take a shard out of DNS or a proxy out of its Service.
        assertThat(exporter).doesNotContainKey("readinessProbe");
    }

    @Test
    void memcachedPodsCarryThePinnedExporterOnPort9150() {
        var exporter = containerNamed(declare(MetricsArgs.builder().build()), "StatefulSet", "mycache-memcached", "exporter");
        assertThat(exporter.get("image")).isEqualTo("prom/memcached-exporter:v0.15.4");
        assertThat(exporter.get("args")).isEqualTo(List.of("--memcached.address=localhost:11211", "--web.listen-address=:9150"));
        assertThat(exporter.get("ports")).isEqualTo(List.of(Map.of("name", "metrics", "containerPort", 9150L, "protocol", "TCP")));
        assertRestrictedGuaranteedAndOnlyLive(exporter);
    }

    @Test
    void mcrouterPodsCarryThePinnedExporterWithPerServerStats() {
        var exporter = containerNamed(declare(MetricsArgs.builder().build()), "DaemonSet", "mycache-mcrouter", "exporter");
        assertThat(exporter.get("image")).isEqualTo("ghcr.io/dev25/mcrouter_exporter:0.5.0");
        assertThat(exporter.get("args")).isEqualTo(List.of(
            "-mcrouter.address=localhost:5000", "-web.listen-address=:9442", "-mcrouter.server_metrics"));
        assertThat(exporter.get("ports")).isEqualTo(List.of(Map.of("name", "metrics", "containerPort", 9442L, "protocol", "TCP")));
        assertRestrictedGuaranteedAndOnlyLive(exporter);
    }

    @Test
    void aPodMonitoringPerTierAndOnlyManagedPrometheusMayScrape() {
        var r = declare(MetricsArgs.builder().build());
        for (var tier : List.of("memcached", "mcrouter")) {
            var name = "mycache-" + tier;
            var pm = k8s(r, "PodMonitoring", name);
            assertThat(pm.type()).isEqualTo("kubernetes:monitoring.googleapis.com/v1:PodMonitoring");
            assertThat(pm.inputs()).containsEntry("apiVersion", "monitoring.googleapis.com/v1");
            assertThat(value(pm.inputs(), "spec")).isEqualTo(Map.of(
                "selector", Map.of("matchLabels", Map.of("app", name, "app.kubernetes.io/name", tier,
                    "app.kubernetes.io/instance", "mycache")),
                "endpoints", List.of(Map.of("port", "metrics", "interval", "30s"))));
            assertThat(pm.parent()).startsWith("memcached-gke:");
            var np = k8s(r, "NetworkPolicy", name);
            assertThat(value(np.inputs(), "spec.ingress.1")).isEqualTo(Map.of(
                "from", List.of(GMP_COLLECTORS), "ports", List.of(Map.of("port", "metrics", "protocol", "TCP"))));
            assertThat((List<?>) value(np.inputs(), "spec.ingress")).hasSize(2);
        }
        assertThat(Stacks.ofType(r, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor")).isEmpty();
        // Without a ServiceMonitor the Services keep their one port.
        assertThat((List<?>) value(k8s(r, "Service", "mycache-memcached").inputs(), "spec.ports")).hasSize(1);
    }

    @Test
    void aServiceMonitorForPrometheusOperatorWithItsScraperLetIn() {
        var r = declare(MetricsArgs.builder().podMonitoring(false).serviceMonitor(true).interval("1m")
            .scraper(Scraper.inNamespace("observability", Map.of("app.kubernetes.io/name", "prometheus")))
            .serviceMonitorLabels(Map.of("release", "kube-prometheus-stack")).build());
        assertThat(Stacks.ofType(r, "kubernetes:monitoring.googleapis.com/v1:PodMonitoring")).isEmpty();
        for (var tier : List.of("memcached", "mcrouter")) {
            var name = "mycache-" + tier;
            var sm = k8s(r, "ServiceMonitor", name);
            assertThat(sm.type()).isEqualTo("kubernetes:monitoring.coreos.com/v1:ServiceMonitor");
            assertThat((Map<String, String>) at(sm.inputs(), "metadata.labels"))
                .containsEntry("release", "kube-prometheus-stack").containsEntry("app", name);
            assertThat(value(sm.inputs(), "spec.endpoints"))
                .isEqualTo(List.of(Map.of("port", "metrics", "interval", "1m", "path", "/metrics")));
            Map<String, String> selected = at(sm.inputs(), "spec.selector.matchLabels");
            var service = k8s(r, "Service", name);
            assertThat((Map<String, String>) at(service.inputs(), "metadata.labels")).containsAllEntriesOf(selected);
            assertThat((List<Map<String, Object>>) at(service.inputs(), "spec.ports"))
                .extracting(p -> p.get("name")).contains("metrics");
            assertThat(value(k8s(r, "NetworkPolicy", name).inputs(), "spec.ingress.1.from")).isEqualTo(List.of(Map.of(
                "namespaceSelector", Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "observability")),
                "podSelector", Map.of("matchLabels", Map.of("app.kubernetes.io/name", "prometheus")))));
        }
    }

    @Test
    void withoutExportersNothingIsAddedAndThePodIsJustItsServer() {
        var off = MetricsArgs.builder().exporters(false).podMonitoring(false).build();
        var r = declare(off);
        assertThat(r.resources()).extracting(x -> x.type()).noneMatch(t -> t.startsWith("kubernetes:monitoring."));
        for (var kind : List.of("StatefulSet", "DaemonSet")) {
            var name = kind.equals("StatefulSet") ? "mycache-memcached" : "mycache-mcrouter";
            assertThat((List<?>) value(k8s(r, kind, name).inputs(), "spec.template.spec.containers")).hasSize(1);
            assertThat((List<?>) value(k8s(r, "NetworkPolicy", name).inputs(), "spec.ingress")).hasSize(1);
        }
        assertThat(MemcachedArgs.builder().metrics(off).build().podMemoryMiB())
            .isEqualTo(MemcachedArgs.builder().build().sizing().limitMiB());
        assertThat(MemcachedArgs.builder().build().podMemoryMiB())
            .isEqualTo(MemcachedArgs.builder().build().sizing().limitMiB() + 32);
    }

    @Test
    void exportersWithoutAScraperAreNotReachable() {
        var r = declare(MetricsArgs.builder().podMonitoring(false).build());
        assertThat((List<?>) value(k8s(r, "NetworkPolicy", "mycache-memcached").inputs(), "spec.ingress")).hasSize(1);
        assertThat((List<?>) value(k8s(r, "StatefulSet", "mycache-memcached").inputs(), "spec.template.spec.containers"))
            .hasSize(2);
    }

    @Test
    void theRulesQuoteTheBadValue() {
        assertThat(MetricsArgs.builder().interval("30").exporters(false).build().problems("metrics.")).containsExactly(
            "metrics.interval must be a number of seconds or minutes such as 30s or 1m, but '30' was provided",
            "metrics.podMonitoring is true, which needs metrics.exporters true (without the exporters nothing serves "
                + "metrics), but exporters false was provided");
        assertThat(McrouterArgs.builder().port(9442).build().problems("mcrouter.")).containsExactly(
            "mcrouter.port must not be 9442, the mcrouter exporter's port, but 9442 was provided");
    }
}
