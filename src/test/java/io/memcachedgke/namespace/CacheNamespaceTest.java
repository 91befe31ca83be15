package io.memcachedgke.namespace;

import static io.memcachedgke.support.Stacks.k8s;
import static io.memcachedgke.support.Stacks.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.pulumi.resources.ComponentResourceOptions;
import java.util.Map;
import io.memcachedgke.render.Rendering;
import io.memcachedgke.support.Stacks;
import org.junit.jupiter.api.Test;

class CacheNamespaceTest {

    private static Rendering declare(CacheNamespaceArgs args) {
        return Stacks.run(ctx -> ctx.export("name", new CacheNamespace("ns", args, ComponentResourceOptions.Empty).name()));
    }

    @Test
    void anOwnNamespaceEnforcesRestricted() {
        var r = declare(CacheNamespaceArgs.of("cache", PodSecurityLevel.RESTRICTED, "mycache", true));
        var ns = k8s(r, "Namespace", "cache");
        assertThat(value(ns.inputs(), "metadata.labels")).isEqualTo(Map.of(
            "pod-security.kubernetes.io/enforce", "restricted",
            "pod-security.kubernetes.io/enforce-version", "latest",
            "pod-security.kubernetes.io/audit", "restricted",
            "pod-security.kubernetes.io/warn", "restricted",
            "app.kubernetes.io/part-of", "memcached-gke",
            "app.kubernetes.io/managed-by", "pulumi"));
        assertThat(r.outputs().get("name")).isEqualTo("cache");
    }

    @Test
    void hostPortNeedsPrivilegedAndStillAuditsRestricted() {
        var ns = k8s(declare(CacheNamespaceArgs.of("cache", PodSecurityLevel.PRIVILEGED, "mycache", true)), "Namespace", "cache");
        Map<String, String> labels = io.memcachedgke.support.Stacks.at(ns.inputs(), "metadata.labels");
        assertThat(labels).containsEntry("pod-security.kubernetes.io/enforce", "privileged")
            .containsEntry("pod-security.kubernetes.io/audit", "restricted");
    }

    @Test
    void kubernetesOwnNamespacesAreNeverCreatedButStillDenyIngressByDefault() {
        var r = declare(CacheNamespaceArgs.of("default", PodSecurityLevel.PRIVILEGED, "mycache", true));
        assertThat(Stacks.ofType(r, "kubernetes:core/v1:Namespace")).isEmpty();
        var deny = k8s(r, "NetworkPolicy", "mycache-default-deny-ingress");
        assertThat(value(deny.inputs(), "metadata.namespace")).isEqualTo("default");
        assertThat(value(deny.inputs(), "spec")).isEqualTo(Map.of("podSelector", Map.of(), "policyTypes", java.util.List.of("Ingress")));
    }
}
