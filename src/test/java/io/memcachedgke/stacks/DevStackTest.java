package io.memcachedgke.stacks;

import static io.memcachedgke.support.Stacks.at;
import static io.memcachedgke.support.Stacks.container;
import static io.memcachedgke.support.Stacks.k8s;
import static io.memcachedgke.support.Stacks.one;
import static io.memcachedgke.support.Stacks.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import io.memcachedgke.render.RecordedResource;
import io.memcachedgke.render.Rendering;
import io.memcachedgke.support.Stacks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dev stack from the real Pulumi.dev.yaml: the lab's facts, each an assertion. */
class DevStackTest {
    private static Rendering dev;

    @BeforeAll
    static void render() {
        dev = Stacks.render("dev");
    }

    static Map<String, Long> countByType(Rendering r) {
        return r.resources().stream().collect(Collectors.groupingBy(RecordedResource::type, TreeMap::new, Collectors.counting()));
    }

    @Test
    void resourceCountByType() {
        assertThat(countByType(dev)).isEqualTo(new TreeMap<>(Map.ofEntries(
            Map.entry("gcp:artifactregistry/repository:Repository", 1L),
            Map.entry("gcp:artifactregistry/repositoryIamMember:RepositoryIamMember", 1L),
            Map.entry("gcp:compute/network:Network", 1L),
            Map.entry("gcp:compute/subnetwork:Subnetwork", 1L),
            Map.entry("gcp:container/cluster:Cluster", 1L),
            Map.entry("gcp:container/nodePool:NodePool", 1L),
            Map.entry("gcp:monitoring/dashboard:Dashboard", 1L),
            Map.entry("gcp:projects/iAMMember:IAMMember", 1L),
            Map.entry("gcp:projects/service:Service", 7L),
            Map.entry("gcp:serviceaccount/account:Account", 1L),
            Map.entry("kubernetes:apps/v1:DaemonSet", 1L),
            Map.entry("kubernetes:apps/v1:Deployment", 2L),
            Map.entry("kubernetes:apps/v1:StatefulSet", 1L),
            Map.entry("kubernetes:batch/v1:Job", 4L),
            Map.entry("kubernetes:core/v1:ConfigMap", 2L),
            Map.entry("kubernetes:core/v1:Service", 3L),
            Map.entry("kubernetes:core/v1:ServiceAccount", 2L),
            Map.entry("kubernetes:monitoring.googleapis.com/v1:PodMonitoring", 2L),
            Map.entry("kubernetes:monitoring.googleapis.com/v1:Rules", 1L),
            Map.entry("kubernetes:networking.k8s.io/v1:NetworkPolicy", 5L),
            Map.entry("kubernetes:policy/v1:PodDisruptionBudget", 1L),
            Map.entry("kubernetes:rbac.authorization.k8s.io/v1:Role", 2L),
            Map.entry("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", 2L),
            Map.entry("memcached-gke:gke:GkeCluster", 1L),
            Map.entry("memcached-gke:index:CacheService", 1L),
            Map.entry("memcached-gke:mcrouter:Mcrouter", 1L),
            Map.entry("memcached-gke:memcached:Memcached", 1L),
            Map.entry("memcached-gke:metrics:Metrics", 1L),
            Map.entry("memcached-gke:monitoring:CloudMonitoring", 1L),
            Map.entry("memcached-gke:namespace:CacheNamespace", 1L),
            Map.entry("memcached-gke:sampleapp:SampleApp", 1L),
            Map.entry("memcached-gke:smoke:SmokeTest", 1L),
            Map.entry("pulumi:providers:kubernetes", 1L))));
    }

    @Test
    void namesAreUnique() {
        assertThat(dev.resources()).extracting(RecordedResource::ref).doesNotHaveDuplicates();
        assertThat(dev.resources()).filteredOn(RecordedResource::isKubernetesObject)
            .extracting(r -> r.inputs().get("kind") + "/" + value(r.inputs(), "metadata.name")).doesNotHaveDuplicates();
    }

    @Test
    void everyKubernetesObjectGoesThroughTheClustersProvider() {
        var provider = one(dev, "pulumi:providers:kubernetes");
        assertThat(provider.parent()).isEqualTo("memcached-gke:gke:GkeCluster::demo-cluster");
        assertThat(provider.inputs().get("kubeconfig")).isEqualTo("[secret]");
        assertThat(dev.resources()).filteredOn(r -> r.isKubernetesObject() && !r.isProvider())
            .extracting(RecordedResource::provider).containsOnly(provider.ref());
        assertThat(dev.resources()).filteredOn(r -> r.type().startsWith("gcp:")).extracting(RecordedResource::provider)
            .containsOnlyNulls();
    }

    @Test
    void everyResourceHangsUnderItsTier() {
        assertThat(dev.resources()).filteredOn(r -> !r.isComponent())
            .allSatisfy(r -> assertThat(r.parent()).startsWith("memcached-gke:"));
        // The cluster and the cache service at the top; every tier of the cache inside the cache service.
        assertThat(dev.resources()).filteredOn(RecordedResource::isComponent)
            .allSatisfy(r -> assertThat(r.parent()).isEqualTo(
                r.type().equals("memcached-gke:gke:GkeCluster") || r.type().equals("memcached-gke:index:CacheService")
                    ? null : "memcached-gke:index:CacheService::mycache"));
    }

    @Test
    void theExports() {
        assertThat(dev.outputs()).containsEntry("clusterName", "demo-cluster")
            .containsEntry("namespace", "default")
            .containsEntry("memcachedServiceHost", "mycache-memcached.default.svc.cluster.local")
            .containsEntry("mcrouterPort", 5000)
            .containsEntry("mcrouterExposure", "hostPort")
            .containsEntry("memcachedServers", List.of(
                "mycache-memcached-0.mycache-memcached.default.svc.cluster.local:11211",
                "mycache-memcached-1.mycache-memcached.default.svc.cluster.local:11211",
                "mycache-memcached-2.mycache-memcached.default.svc.cluster.local:11211"));
        assertThat(dev.secretOutputs()).containsExactly("kubeconfig");
        assertThat((String) dev.outputs().get("kubeconfig")).contains("gke-gcloud-auth-plugin");
    }

    @Test
    void threeNodesInTheLabsZoneThatDestroyCleanly() {
        var cluster = one(dev, "gcp:container/cluster:Cluster");
        assertThat(cluster.inputs()).containsEntry("name", "demo-cluster").containsEntry("location", "us-central1-f")
            .containsEntry("deletionProtection", false).containsEntry("removeDefaultNodePool", true);
        assertThat(cluster.protect()).isFalse();
        var pool = one(dev, "gcp:container/nodePool:NodePool");
        assertThat(pool.inputs()).containsEntry("nodeCount", 3L).containsEntry("location", "us-central1-f");
        assertThat(value(pool.inputs(), "nodeConfig.machineType")).isEqualTo("e2-medium");
    }

    @Test
    void theStatefulSetAndItsHeadlessService() {
        var sts = k8s(dev, "StatefulSet", "mycache-memcached");
        var svc = k8s(dev, "Service", "mycache-memcached");
        assertThat(value(sts.inputs(), "metadata.namespace")).isEqualTo("default");
        assertThat(value(sts.inputs(), "spec.replicas")).isEqualTo(3L);
        assertThat(value(sts.inputs(), "spec.serviceName")).isEqualTo(value(svc.inputs(), "metadata.name"));
        assertThat(value(svc.inputs(), "spec.clusterIP")).isEqualTo("None");
        assertThat(value(svc.inputs(), "spec.ports.0.port")).isEqualTo(11211L);
        Map<String, String> selector = at(svc.inputs(), "spec.selector");
        Map<String, String> podLabels = at(sts.inputs(), "spec.template.metadata.labels");
        assertThat(podLabels).containsAllEntriesOf(selector);
        assertThat(value(container(sts), "ports.0")).isEqualTo(Map.of("name", "memcache", "containerPort", 11211L, "protocol", "TCP"));
    }

    @Test
    void mcrouterRoutesToTheThreePodsInOrder() throws Exception {
        Map<String, String> data = at(k8s(dev, "ConfigMap", "mycache-mcrouter").inputs(), "data");
        var config = new ObjectMapper().readTree(data.get("config.json"));
        assertThat(config.at("/route").asText()).isEqualTo("PoolRoute|A");
        assertThat(new ObjectMapper().convertValue(config.at("/pools/A/servers"), List.class)).isEqualTo(List.of(
            "mycache-memcached-0.mycache-memcached.default.svc.cluster.local:11211",
            "mycache-memcached-1.mycache-memcached.default.svc.cluster.local:11211",
            "mycache-memcached-2.mycache-memcached.default.svc.cluster.local:11211"));
    }

    @Test
    void moreReplicasChangeTheConfigInPlaceAndRestartNoProxy() throws Exception {
        var config = new HashMap<>(Stacks.config("dev"));
        var memcached = (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(config.get("memcached-gke:memcached"));
        memcached.put("replicas", 4);
        config.put("memcached-gke:memcached", memcached.toString());
        var four = Stacks.program(config);

        // The pod template is byte-identical: a new server list reaches the proxies by a config reload.
        assertThat(value(k8s(four, "DaemonSet", "mycache-mcrouter").inputs(), "spec.template"))
            .isEqualTo(value(k8s(dev, "DaemonSet", "mycache-mcrouter").inputs(), "spec.template"));
        Map<String, String> data = at(k8s(four, "ConfigMap", "mycache-mcrouter").inputs(), "data");
        assertThat(data.get("config.json")).contains("mycache-memcached-3.mycache-memcached.default.svc.cluster.local:11211")
            .isNotEqualTo(((Map<?, ?>) at(k8s(dev, "ConfigMap", "mycache-mcrouter").inputs(), "data")).get("config.json"));
        // The ConfigMap keeps its name and the provider updates it in place instead of replacing it.
        assertThat(value(k8s(four, "ConfigMap", "mycache-mcrouter").inputs(), "metadata.name")).isEqualTo("mycache-mcrouter");
        assertThat(Stacks.one(dev, "pulumi:providers:kubernetes").inputs()).containsEntry("enableConfigMapMutable", "true");
        // The digest the checks expect is the MD5 of the rendered config.json.
        assertThat(four.outputs().get("mcrouterConfigDigest")).isEqualTo(md5(data.get("config.json")));
        assertThat(four.outputs().get("mcrouterConfigDigest")).isNotEqualTo(dev.outputs().get("mcrouterConfigDigest"));
    }

    static String md5(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
            .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void theSmokeJobAndTheRolloutCheckCarryTheDigestOfTheRenderedConfig() throws Exception {
        Map<String, String> data = at(k8s(dev, "ConfigMap", "mycache-mcrouter").inputs(), "data");
        var digest = md5(data.get("config.json"));
        for (var job : Stacks.ofType(dev, "kubernetes:batch/v1:Job")) {
            if (job.name().endsWith("-gmp-admission") || job.name().endsWith("-roll-check")) {
                continue; // they ask the API server, not the proxies
            }
            List<Map<String, Object>> env = at(job.inputs(), "spec.template.spec.containers.0.env");
            assertThat(env).as(job.name()).contains(Map.of("name", "MCROUTER_CONFIG_MD5", "value", digest));
        }
    }

    @Test
    void oneProxyPerNodeOnHostPort5000MountingTheConfigMap() {
        var ds = k8s(dev, "DaemonSet", "mycache-mcrouter");
        assertThat(ds.type()).isEqualTo("kubernetes:apps/v1:DaemonSet");
        var c = container(ds);
        assertThat(value(c, "ports.0.containerPort")).isEqualTo(5000L);
        assertThat(value(c, "ports.0.hostPort")).isEqualTo(5000L);
        assertThat(value(ds.inputs(), "spec.template.spec.volumes.0.configMap.name")).isEqualTo("mycache-mcrouter");
        assertThat(value(c, "volumeMounts.0.mountPath")).isEqualTo("/etc/mcrouter");
        assertThat(value(ds.inputs(), "spec.template.metadata.labels.app")).isEqualTo("mycache-mcrouter");
    }

    @Test
    void fiveSampleAppPodsKnowTheirNode() {
        var d = k8s(dev, "Deployment", "sample-application-py");
        assertThat(value(d.inputs(), "spec.replicas")).isEqualTo(5L);
        assertThat(value(container(d), "env.0")).isEqualTo(Map.of("name", "NODE_NAME",
            "valueFrom", Map.of("fieldRef", Map.of("fieldPath", "spec.nodeName"))));
    }

    @Test
    void theSmokeTestJobRunsAfterEveryTierAndMayReachBothOfThem() {
        var job = k8s(dev, "Job", (String) dev.outputs().get("smokeTestJob"));
        assertThat((String) value(job.inputs(), "metadata.name")).matches("mycache-smoke-[0-9a-f]{10}");
        assertThat(job.dependencies()).contains(
            "kubernetes:apps/v1:StatefulSet::mycache-memcached-statefulset",
            "kubernetes:core/v1:Service::mycache-memcached-service",
            "kubernetes:apps/v1:DaemonSet::mycache-mcrouter-daemonset",
            "kubernetes:core/v1:ConfigMap::mycache-mcrouter-config",
            "kubernetes:apps/v1:Deployment::mycache-sample-app-deployment");
        Map<String, String> podLabels = at(job.inputs(), "spec.template.metadata.labels");
        assertThat(podLabels).containsEntry("memcached-gke/direct-client", "true");
        List<Map<String, Object>> proxyClients = at(k8s(dev, "NetworkPolicy", "mycache-mcrouter").inputs(), "spec.ingress.0.from");
        assertThat(proxyClients).contains(Map.of("podSelector", Map.of("matchLabels",
            Map.of("app", "mycache-smoke", "app.kubernetes.io/instance", "mycache", "app.kubernetes.io/name", "smoke-test"))));
        assertThat(podLabels).containsAllEntriesOf(
            at(proxyClients.get(proxyClients.size() - 2), "podSelector.matchLabels"));
        // The rollout check, which the smoke test comes after, is admitted by its own labels (the last entry).
        assertThat(job.dependencies()).contains("kubernetes:batch/v1:Job::mycache-mcrouter-rollout");
        // hostPort: the proxy on the Job's own node is its host IP.
        assertThat(value(container(job), "env.0.valueFrom.fieldRef.fieldPath")).isEqualTo("status.hostIP");
    }

    @Test
    void managedPrometheusScrapesBothTiersAndOnlyItsCollectorsReachTheMetricsPorts() {
        var collectors = List.of(Map.of(
            "namespaceSelector", Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "gmp-system")),
            "podSelector", Map.of("matchLabels", Map.of("app.kubernetes.io/name", "collector"))));
        assertThat((List<?>) value(k8s(dev, "PodMonitoring", "mycache-memcached").inputs(), "spec.endpoints")).hasSize(3);
        assertThat(value(k8s(dev, "PodMonitoring", "mycache-mcrouter").inputs(), "spec.endpoints"))
            .isEqualTo(List.of(Map.of("port", "metrics", "interval", "30s")));
        assertThat(value(k8s(dev, "NetworkPolicy", "mycache-mcrouter-metrics").inputs(), "spec.ingress.0"))
            .isEqualTo(Map.of("from", collectors, "ports", List.of(Map.of("port", "metrics", "protocol", "TCP"))));
        assertThat(value(k8s(dev, "NetworkPolicy", "mycache-memcached-exporter").inputs(), "spec.ingress.0.from"))
            .isEqualTo(collectors);
        // The shards themselves admit no scraper: nothing but memcached runs there.
        assertThat((List<?>) value(k8s(dev, "NetworkPolicy", "mycache-memcached").inputs(), "spec.ingress")).hasSize(1);
        assertThat(Stacks.ofType(dev, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor")).isEmpty();
    }

    @Test
    void theLabsTestPodsMayReachTheCache() {
        for (var name : List.of("mycache-memcached", "mycache-mcrouter")) {
            List<Map<String, Object>> from = at(k8s(dev, "NetworkPolicy", name).inputs(), "spec.ingress.0.from");
            assertThat(from).contains(Map.of("podSelector",
                Map.of("matchExpressions", List.of(Map.of("key", "run", "operator", "Exists")))));
        }
    }

    @Test
    void withoutManagedPrometheusNeitherTheDashboardNorTheRulesAreDeclared() throws Exception {
        var config = new HashMap<>(Stacks.config("dev"));
        var metrics = (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(config.get("memcached-gke:metrics"));
        metrics.put("podMonitoring", false);
        config.put("memcached-gke:metrics", metrics.toString());
        var without = Stacks.program(config);
        assertThat(Stacks.ofType(without, "gcp:monitoring/dashboard:Dashboard")).isEmpty();
        assertThat(Stacks.ofType(without, "kubernetes:monitoring.googleapis.com/v1:Rules")).isEmpty();
        assertThat(Stacks.ofType(without, "kubernetes:monitoring.coreos.com/v1:PrometheusRule")).isEmpty();
        assertThat(without.outputs()).containsEntry("dashboardUrl", "");
        // The stack file as it is has both.
        assertThat(Stacks.ofType(dev, "gcp:monitoring/dashboard:Dashboard")).hasSize(1);
        assertThat(k8s(dev, "Rules", "mycache-memcached-alerts").inputs()).isNotEmpty();
    }

    @Test
    void notificationChannelsTurnEveryAlertIntoACloudMonitoringPolicy() throws Exception {
        var config = new HashMap<>(Stacks.config("dev"));
        var metrics = (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(config.get("memcached-gke:metrics"));
        metrics.putArray("notificationEmails").add("oncall@example.com");
        metrics.putArray("notificationTopics").add("projects/acme-ops/topics/cache-alerts");
        config.put("memcached-gke:metrics", metrics.toString());
        var notified = Stacks.program(config);
        var channels = Stacks.ofType(notified, "gcp:monitoring/notificationChannel:NotificationChannel");
        assertThat(channels).extracting(c -> c.inputs().get("type")).containsExactlyInAnyOrder("email", "pubsub");
        var policies = Stacks.ofType(notified, "gcp:monitoring/alertPolicy:AlertPolicy");
        assertThat(policies).hasSize(10).allSatisfy(p -> {
            assertThat((List<?>) p.inputs().get("notificationChannels")).hasSize(2);
            assertThat(value(p.inputs(), "conditions.0.conditionPrometheusQueryLanguage.query").toString())
                .contains("cluster=\"demo-cluster\"").contains("namespace=\"default\"");
        });
    }
}
