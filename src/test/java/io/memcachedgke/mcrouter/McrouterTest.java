package io.memcachedgke.mcrouter;

import io.memcachedgke.support.Plans;
import io.memcachedgke.support.Records;
import io.memcachedgke.config.Exposure;
import static io.memcachedgke.support.Stacks.at;
import static io.memcachedgke.support.Stacks.container;
import static io.memcachedgke.support.Stacks.k8s;
import static io.memcachedgke.support.Stacks.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pulumi.resources.ComponentResourceOptions;
import java.util.List;
import java.util.Map;
import io.memcachedgke.config.InvalidConfigException;
import io.memcachedgke.probe.ProbeScript;
import io.memcachedgke.render.Rendering;
import io.memcachedgke.support.Stacks;
import org.junit.jupiter.api.Test;

class McrouterTest {
    private static final List<String> SERVERS = List.of(
        "mycache-memcached-0.mycache-memcached.default.svc.cluster.local:11211",
        "mycache-memcached-1.mycache-memcached.default.svc.cluster.local:11211");

    private static Rendering declare(McrouterArgs args) {
        return declare(args, McrouterConfig.plain(SERVERS));
    }

    private static Rendering declare(McrouterArgs args, McrouterConfig config) {
        return Stacks.run(ctx -> {
            var m = new Mcrouter("proxy", args, config, null, ComponentResourceOptions.Empty);
            ctx.export("serviceHost", m.serviceHost());
            ctx.export("proxiesHost", m.proxiesHost());
            ctx.export("port", m.port());
            ctx.export("configDigest", m.configDigest());
        });
    }

    @Test
    void theConfigMapHoldsTheGeneratedConfigAndThePodTemplateNothingOfIt() {
        var r = declare(Plans.mcrouter());
        var expected = McrouterConfig.plain(SERVERS);
        var cm = k8s(r, "ConfigMap", "mycache-mcrouter");
        assertThat(value(cm.inputs(), "data")).isEqualTo(Map.of("config.json", expected.toJson()));
        var ds = k8s(r, "DaemonSet", "mycache-mcrouter");
        assertThat((Map<String, Object>) at(ds.inputs(), "spec.template.metadata")).doesNotContainKey("annotations");
        assertThat(r.outputs().get("configDigest")).isEqualTo(expected.md5());
    }

    @Test
    void aNewServerListLeavesThePodTemplateByteIdentical() {
        var two = declare(Plans.mcrouter(), McrouterConfig.plain(SERVERS));
        var three = declare(Plans.mcrouter(), McrouterConfig.plain(List.of(SERVERS.get(0), SERVERS.get(1),
            "mycache-memcached-2.mycache-memcached.default.svc.cluster.local:11211")));
        assertThat(value(k8s(three, "DaemonSet", "mycache-mcrouter").inputs(), "spec.template"))
            .isEqualTo(value(k8s(two, "DaemonSet", "mycache-mcrouter").inputs(), "spec.template"));
        assertThat(value(k8s(three, "ConfigMap", "mycache-mcrouter").inputs(), "data"))
            .isNotEqualTo(value(k8s(two, "ConfigMap", "mycache-mcrouter").inputs(), "data"));
    }

    @Test
    void whatMcrouterCannotReloadRollsThePods() {
        var base = value(k8s(declare(Plans.mcrouter()), "DaemonSet", "mycache-mcrouter").inputs(), "spec.template");
        var image = value(k8s(declare(Records.with(Plans.mcrouter(), "image", "mcrouter:2026.08.17")), "DaemonSet",
            "mycache-mcrouter").inputs(), "spec.template");
        var flag = value(k8s(declare(Records.with(Plans.mcrouter(), "serverTimeoutMs", 500)), "DaemonSet",
            "mycache-mcrouter").inputs(), "spec.template");
        assertThat(image).isNotEqualTo(base);
        assertThat(flag).isNotEqualTo(base);
    }

    @Test
    void theLabsProxyOnHostPort5000WithExplicitFlagsAndItsConfigMountedAsADirectory() {
        var ds = k8s(declare(Plans.mcrouter()), "DaemonSet", "mycache-mcrouter");
        var c = container(ds);
        assertThat(c.get("image")).isEqualTo("jphalip/mcrouter:0.36.0");
        assertThat(c.get("command")).isEqualTo(List.of("mcrouter"));
        var revision = Mcrouter.templateRevision(Plans.mcrouter(), false);
        assertThat(c.get("args")).isEqualTo(List.of("--port=5000", "--config=file:/etc/mcrouter/config.json",
            "--num-proxies=1", "--asynclog-disable", "--server-timeout=250", "--probe-timeout-initial=1000",
            "--probe-timeout-max=10000", "--timeouts-until-tko=3", "--reconfiguration-delay-ms=500",
            "--config-params=node_name:$(NODE_NAME),template:" + revision));
        assertThat(value(c, "env")).isEqualTo(List.of(Map.of("name", "NODE_NAME",
            "valueFrom", Map.of("fieldRef", Map.of("fieldPath", "spec.nodeName")))));
        assertThat(value(c, "ports.0")).isEqualTo(
            Map.of("name", "mcrouter", "containerPort", 5000L, "hostPort", 5000L, "protocol", "TCP"));
        assertThat(value(c, "readinessProbe.tcpSocket.port")).isEqualTo("mcrouter");
        assertThat(value(c, "readinessProbe.periodSeconds")).isEqualTo(2L);
        assertThat(value(c, "lifecycle.preStop.exec.command")).isEqualTo(List.of("sleep", "5"));
        // A directory mount, never subPath: kubelet only updates a mounted ConfigMap in place without subPath.
        assertThat(value(c, "volumeMounts")).isEqualTo(List.of(
            Map.of("name", "config", "mountPath", "/etc/mcrouter", "readOnly", true),
            Map.of("name", "scratch", "mountPath", "/var/mcrouter")));
        assertThat(value(ds.inputs(), "spec.template.spec.volumes.0.configMap.name")).isEqualTo("mycache-mcrouter");
        assertThat(value(c, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(value(c, "resources.limits")).isEqualTo(Map.of("cpu", "100m", "memory", "128Mi"));
        // A host port cannot be bound twice on a node: the old proxy goes first.
        assertThat(value(ds.inputs(), "spec.updateStrategy.rollingUpdate"))
            .isEqualTo(Map.of("maxUnavailable", 1L, "maxSurge", 0L));
    }

    @Test
    void proxyThreadsFollowTheCpu() {
        assertThat(McrouterFlags.proxyThreadsFor(50)).isEqualTo(1);
        assertThat(McrouterFlags.proxyThreadsFor(999)).isEqualTo(1);
        assertThat(McrouterFlags.proxyThreadsFor(2000)).isEqualTo(2);
        assertThat(McrouterFlags.proxyThreadsFor(4500)).isEqualTo(4);
    }

    @Test
    void nodeLocalServiceExposureListensOnNoHostPortAndSurgesItsRolls() {
        var r = declare(Records.with(Plans.mcrouter(), "exposure", Exposure.NODE_LOCAL_SERVICE, "namespace", "cache"));
        var ds = k8s(r, "DaemonSet", "mycache-mcrouter");
        assertThat((Map<String, Object>) at(container(ds), "ports.0")).doesNotContainKey("hostPort");
        assertThat(value(ds.inputs(), "spec.updateStrategy.rollingUpdate"))
            .isEqualTo(Map.of("maxUnavailable", 0L, "maxSurge", 1L));
        var svc = k8s(r, "Service", "mycache-mcrouter");
        assertThat(value(svc.inputs(), "spec.internalTrafficPolicy")).isEqualTo("Local");
        assertThat(value(svc.inputs(), "spec.type")).isEqualTo("ClusterIP");
        assertThat(r.outputs().get("serviceHost")).isEqualTo("mycache-mcrouter.cache.svc.cluster.local");
        assertThat(r.outputs().get("port")).isEqualTo(5000);
    }

    @Test
    void aHeadlessServiceListsEveryProxyPodReadyOrNot() {
        var r = declare(Records.with(Plans.mcrouter(), "namespace", "cache"));
        var svc = k8s(r, "Service", "mycache-mcrouter-proxies");
        assertThat(value(svc.inputs(), "spec.clusterIP")).isEqualTo("None");
        assertThat(value(svc.inputs(), "spec.publishNotReadyAddresses")).isEqualTo(true);
        assertThat(r.outputs().get("proxiesHost")).isEqualTo("mycache-mcrouter-proxies.cache.svc.cluster.local");
    }

    @Test
    void aRolloutJobWaitsForEveryProxyOnTheDigestAndTemplate() {
        var args = Records.with(Plans.mcrouter(), "rolloutWaitSeconds", 300);
        var r = declare(args);
        var job = r.resources().stream().filter(x -> "Job".equals(x.inputs().get("kind"))).findFirst().orElseThrow();
        assertThat((String) at(job.inputs(), "metadata.name")).matches("mycache-rollout-[0-9a-f]{8}");
        var c = container(job);
        assertThat(c.get("image")).isEqualTo("busybox:1.37.0");
        assertThat(c.get("command")).isEqualTo(List.of("sh", "-c", ProbeScript.rollout(300).text()));
        assertThat(value(c, "env")).isEqualTo(List.of(
            Map.of("name", "MCROUTER_PROXY_SERVICE", "value", "mycache-mcrouter-proxies.default.svc.cluster.local"),
            Map.of("name", "MCROUTER_PORT", "value", "5000"),
            Map.of("name", "MCROUTER_CONFIG_MD5", "value", McrouterConfig.plain(SERVERS).md5()),
            Map.of("name", "MCROUTER_TEMPLATE", "value", Mcrouter.templateRevision(args, false))));
        assertThat(value(job.inputs(), "spec.backoffLimit")).isEqualTo(0L);
        assertThat(value(job.inputs(), "spec.activeDeadlineSeconds")).isEqualTo(420L);
        assertThat(job.dependencies()).contains("kubernetes:core/v1:ConfigMap::proxy-config",
            "kubernetes:apps/v1:DaemonSet::proxy-daemonset", "kubernetes:core/v1:Service::proxy-proxies");
        // The check's pods may reach the proxies.
        var np = k8s(r, "NetworkPolicy", "mycache-mcrouter");
        assertThat(value(np.inputs(), "spec.ingress.0.from")).asList().contains(Map.of("podSelector", Map.of("matchLabels",
            Map.of("app", "mycache-rollout", "app.kubernetes.io/instance", "mycache", "app.kubernetes.io/name", "rollout-check"))));
    }

    @Test
    void onlyAllowedClientsReachTheProxyAndItReachesOnlyMemcachedAndDns() {
        var np = k8s(declare(Plans.mcrouter()), "NetworkPolicy", "mycache-mcrouter");
        assertThat(value(np.inputs(), "spec.ingress.0.from")).asList().first().isEqualTo(
            Map.of("podSelector", Map.of("matchLabels", Map.of("app", "sample-application-py"))));
        assertThat(value(np.inputs(), "spec.egress.0.ports")).isEqualTo(List.of(Map.of("port", 11211L, "protocol", "TCP")));
        assertThat(value(np.inputs(), "spec.egress.1.ports")).isEqualTo(List.of(
            Map.of("port", 53L, "protocol", "UDP"), Map.of("port", 53L, "protocol", "TCP")));
    }

    @Test
    void childrenAreParentedToTheComponent() {
        // ConfigMap, DaemonSet, two Services, NetworkPolicy and the rollout Job.
        assertThat(declare(Plans.mcrouter()).resources()).filteredOn(x -> x.isKubernetesObject())
            .hasSize(6).extracting(x -> x.parent()).containsOnly("memcached-gke:mcrouter:Mcrouter::proxy");
    }
}
