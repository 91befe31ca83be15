package memcachedgke.mcrouter;

import static memcachedgke.support.Stacks.at;
import static memcachedgke.support.Stacks.container;
import static memcachedgke.support.Stacks.k8s;
import static memcachedgke.support.Stacks.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResourceOptions;
import java.util.List;
import java.util.Map;
import memcachedgke.config.InvalidConfigException;
import memcachedgke.render.Rendering;
import memcachedgke.support.Stacks;
import org.junit.jupiter.api.Test;

class McrouterTest {
    private static final List<String> SERVERS = List.of(
        "mycache-memcached-0.mycache-memcached.default.svc.cluster.local:11211",
        "mycache-memcached-1.mycache-memcached.default.svc.cluster.local:11211");

    private static Rendering declare(McrouterArgs args) {
        return Stacks.run(ctx -> {
            var m = new Mcrouter("proxy", args, Output.of(SERVERS), ComponentResourceOptions.Empty);
            ctx.export("serviceHost", m.serviceHost());
            ctx.export("port", m.port());
            ctx.export("configHash", m.configHash());
        });
    }

    @Test
    void theConfigMapHoldsTheGeneratedConfigAndThePodTemplateItsHash() {
        var r = declare(McrouterArgs.builder().build());
        var expected = McrouterConfig.forServers(SERVERS);
        var cm = k8s(r, "ConfigMap", "mycache-mcrouter");
        assertThat(value(cm.inputs(), "data")).isEqualTo(Map.of("config.json", expected.toJson()));
        var ds = k8s(r, "DaemonSet", "mycache-mcrouter");
        // On the pod template, where a change rolls the pods; not on the DaemonSet's own metadata.
        assertThat(value(ds.inputs(), "spec.template.metadata.annotations"))
            .isEqualTo(Map.of("memcached-gke/config-sha256", expected.sha256()));
        assertThat((Map<String, Object>) at(ds.inputs(), "metadata")).doesNotContainKey("annotations");
        assertThat(r.outputs().get("configHash")).isEqualTo(expected.sha256());
    }

    @Test
    void theLabsProxyOnHostPort5000WithItsConfigMountedReadOnly() {
        var ds = k8s(declare(McrouterArgs.builder().build()), "DaemonSet", "mycache-mcrouter");
        var c = container(ds);
        assertThat(c.get("image")).isEqualTo("jphalip/mcrouter:0.36.0");
        assertThat(c.get("command")).isEqualTo(List.of("mcrouter"));
        assertThat(c.get("args")).isEqualTo(List.of("-p", "5000", "--config-file=/etc/mcrouter/config.json"));
        assertThat(value(c, "ports.0")).isEqualTo(
            Map.of("name", "mcrouter", "containerPort", 5000L, "hostPort", 5000L, "protocol", "TCP"));
        assertThat(value(c, "readinessProbe.tcpSocket.port")).isEqualTo("mcrouter");
        assertThat(value(c, "livenessProbe.tcpSocket.port")).isEqualTo("mcrouter");
        assertThat(value(c, "volumeMounts")).isEqualTo(List.of(
            Map.of("name", "config", "mountPath", "/etc/mcrouter", "readOnly", true),
            Map.of("name", "scratch-0", "mountPath", "/var/spool/mcrouter"),
            Map.of("name", "scratch-1", "mountPath", "/var/mcrouter")));
        assertThat(value(ds.inputs(), "spec.template.spec.volumes.0.configMap.name")).isEqualTo("mycache-mcrouter");
        assertThat(value(c, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(value(c, "resources.limits")).isEqualTo(Map.of("cpu", "100m", "memory", "128Mi"));
        assertThat(value(ds.inputs(), "spec.updateStrategy.rollingUpdate"))
            .isEqualTo(Map.of("maxUnavailable", 1L, "maxSurge", 0L));
    }

    @Test
    void nodeLocalServiceExposureListensOnNoHostPort() {
        var r = declare(McrouterArgs.builder().exposure(Exposure.NODE_LOCAL_SERVICE).namespace("cache").build());
        assertThat((Map<String, Object>) at(container(k8s(r, "DaemonSet", "mycache-mcrouter")), "ports.0")).doesNotContainKey("hostPort");
        var svc = k8s(r, "Service", "mycache-mcrouter");
        assertThat(value(svc.inputs(), "spec.internalTrafficPolicy")).isEqualTo("Local");
        assertThat(value(svc.inputs(), "spec.type")).isEqualTo("ClusterIP");
        assertThat(r.outputs().get("serviceHost")).isEqualTo("mycache-mcrouter.cache.svc.cluster.local");
        assertThat(r.outputs().get("port")).isEqualTo(5000);
    }

    @Test
    void onlyAllowedClientsReachTheProxyAndItReachesOnlyMemcachedAndDns() {
        var np = k8s(declare(McrouterArgs.builder().build()), "NetworkPolicy", "mycache-mcrouter");
        assertThat(value(np.inputs(), "spec.ingress.0.from")).isEqualTo(List.of(
            Map.of("podSelector", Map.of("matchLabels", Map.of("app", "sample-application-py")))));
        assertThat(value(np.inputs(), "spec.egress.0.ports")).isEqualTo(List.of(Map.of("port", 11211L, "protocol", "TCP")));
        assertThat(value(np.inputs(), "spec.egress.1.ports")).isEqualTo(List.of(
            Map.of("port", 53L, "protocol", "UDP"), Map.of("port", 53L, "protocol", "TCP")));
    }

    @Test
    void childrenAreParentedToTheComponent() {
        // ConfigMap, DaemonSet, Service, NetworkPolicy and the PodMonitoring.
        assertThat(declare(McrouterArgs.builder().build()).resources()).filteredOn(x -> x.isKubernetesObject())
            .hasSize(5).extracting(x -> x.parent()).containsOnly("memcached-gke:mcrouter:Mcrouter::proxy");
    }

    @Test
    void badArgsAreRefused() {
        assertThatThrownBy(() -> declare(McrouterArgs.builder().port(80).image("mcrouter").build()))
            .isInstanceOf(InvalidConfigException.class)
            .hasMessage("invalid configuration (2 problems): mcrouter.image must be an image reference pinned to a tag "
                + "other than 'latest' or to a digest (e.g. memcached:1.6.38-alpine), but 'mcrouter' was provided; "
                + "mcrouter.port must be between 1024 and 65535, but 80 was provided");
    }
}
