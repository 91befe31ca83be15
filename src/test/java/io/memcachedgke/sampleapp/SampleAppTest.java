package io.memcachedgke.sampleapp;

import io.memcachedgke.support.Plans;
import io.memcachedgke.support.Records;
import static io.memcachedgke.support.Stacks.container;
import static io.memcachedgke.support.Stacks.k8s;
import static io.memcachedgke.support.Stacks.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.pulumi.resources.ComponentResourceOptions;
import java.util.List;
import java.util.Map;
import io.memcachedgke.config.Exposure;
import io.memcachedgke.mcrouter.Mcrouter;
import io.memcachedgke.mcrouter.McrouterArgs;
import io.memcachedgke.mcrouter.McrouterConfig;
import io.memcachedgke.render.Rendering;
import io.memcachedgke.support.Stacks;
import org.junit.jupiter.api.Test;

class SampleAppTest {

    private static Rendering declare(Exposure exposure) {
        return Stacks.run(ctx -> {
            var proxy = new Mcrouter("proxy", Records.with(Plans.mcrouter(), "exposure", exposure, "namespace", "cache"),
                McrouterConfig.plain(List.of("m-0.m.cache.svc.cluster.local:11211")), null, ComponentResourceOptions.Empty);
            new SampleApp("app", Records.with(Plans.sampleApp(), "namespace", "cache"), proxy.clientEnv(),
                ComponentResourceOptions.Empty);
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> env(Rendering r, String name) {
        List<Map<String, Object>> env = (List<Map<String, Object>>) container(k8s(r, "Deployment", "sample-application-py")).get("env");
        return env.stream().filter(e -> name.equals(e.get("name"))).findFirst().orElseThrow();
    }

    @Test
    void theLabsDeploymentWithNodeNameFromTheDownwardApi() {
        var r = declare(Exposure.HOST_PORT);
        var d = k8s(r, "Deployment", "sample-application-py");
        assertThat(value(d.inputs(), "spec.replicas")).isEqualTo(5L);
        assertThat(value(d.inputs(), "spec.template.metadata.labels.app")).isEqualTo("sample-application-py");
        var c = container(d);
        assertThat(c.get("image")).isEqualTo("python:3.13.9-alpine3.22");
        assertThat(c.get("command")).isEqualTo(List.of("sh", "-c"));
        assertThat(c.get("args")).isEqualTo(List.of("while true; do sleep 10; done;"));
        assertThat(env(r, "NODE_NAME")).isEqualTo(Map.of("name", "NODE_NAME",
            "valueFrom", Map.of("fieldRef", Map.of("fieldPath", "spec.nodeName"))));
        assertThat(env(r, "MCROUTER_PORT")).isEqualTo(Map.of("name", "MCROUTER_PORT", "value", "5000"));
    }

    @Test
    void theProxyIsTheHostInHostPortMode() {
        assertThat(env(declare(Exposure.HOST_PORT), "MCROUTER_HOST")).isEqualTo(Map.of("name", "MCROUTER_HOST",
            "valueFrom", Map.of("fieldRef", Map.of("fieldPath", "status.hostIP"))));
    }

    @Test
    void theProxyIsTheNodeLocalServiceOtherwise() {
        assertThat(env(declare(Exposure.NODE_LOCAL_SERVICE), "MCROUTER_HOST"))
            .isEqualTo(Map.of("name", "MCROUTER_HOST", "value", "mycache-mcrouter.cache.svc.cluster.local"));
    }

    @Test
    void podsRunRestrictedWithAWritableTmpForPip() {
        var d = k8s(declare(Exposure.HOST_PORT), "Deployment", "sample-application-py");
        assertThat(value(d.inputs(), "spec.template.spec.securityContext.runAsNonRoot")).isEqualTo(true);
        assertThat(value(d.inputs(), "spec.template.spec.automountServiceAccountToken")).isEqualTo(false);
        var c = container(d);
        assertThat(value(c, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(value(c, "volumeMounts.0.mountPath")).isEqualTo("/tmp");
        assertThat(value(c, "resources.limits")).isEqualTo(Map.of("cpu", "50m", "memory", "128Mi"));
        assertThat(d.parent()).isEqualTo("memcached-gke:sampleapp:SampleApp::app");
    }
}
