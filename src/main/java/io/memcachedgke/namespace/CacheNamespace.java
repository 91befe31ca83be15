package io.memcachedgke.namespace;

import com.pulumi.core.Output;
import com.pulumi.kubernetes.core.v1.Namespace;
import com.pulumi.kubernetes.core.v1.NamespaceArgs;
import com.pulumi.kubernetes.meta.v1.inputs.LabelSelectorArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.kubernetes.networking.v1.NetworkPolicy;
import com.pulumi.kubernetes.networking.v1.NetworkPolicyArgs;
import com.pulumi.kubernetes.networking.v1.inputs.NetworkPolicySpecArgs;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import io.memcachedgke.kube.Labels;

/**
 * The cache's namespace: created with Pod Security Admission labels when it is ours, and a
 * default-deny ingress NetworkPolicy so that only what a tier allows reaches its pods.
 */
public final class CacheNamespace extends ComponentResource {
    public static final String TYPE = "memcached-gke:namespace:CacheNamespace";
    public static final String PSA = "pod-security.kubernetes.io/";

    private final Output<String> name;

    public CacheNamespace(String name, CacheNamespaceArgs args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var child = CustomResourceOptions.builder().parent(this).build();

        Output<String> namespace;
        CustomResourceOptions inNamespace = child;
        if (args.create()) {
            var ns = new Namespace(name + "-namespace", NamespaceArgs.builder()
                .metadata(ObjectMetaArgs.builder().name(args.name()).labels(labels(args)).build())
                .build(), child);
            namespace = ns.metadata().applyValue(m -> m.name().orElseThrow());
            inNamespace = CustomResourceOptions.builder().parent(this).dependsOn(ns).build();
        } else {
            namespace = Output.of(args.name());
        }

        if (args.networkPolicy()) {
            new NetworkPolicy(name + "-default-deny", NetworkPolicyArgs.builder()
                .metadata(ObjectMetaArgs.builder()
                    .name(args.namePrefix() + "-default-deny-ingress")
                    .namespace(namespace)
                    .labels(Map.of("app.kubernetes.io/part-of", Labels.PART_OF, "app.kubernetes.io/managed-by", "pulumi"))
                    .build())
                .spec(NetworkPolicySpecArgs.builder()
                    .podSelector(LabelSelectorArgs.builder().build())
                    .policyTypes("Ingress")
                    .build())
                .build(), inNamespace);
        }
        this.name = namespace;
        registerOutputs(Map.of("name", this.name));
    }

    /** PSA: enforce the level the pods need; audit and warn at restricted, to show what falls short of it. */
    static Map<String, String> labels(CacheNamespaceArgs args) {
        var m = new LinkedHashMap<String, String>();
        m.put(PSA + "enforce", args.enforce().label());
        m.put(PSA + "enforce-version", "latest");
        m.put(PSA + "audit", PodSecurityLevel.RESTRICTED.label());
        m.put(PSA + "warn", PodSecurityLevel.RESTRICTED.label());
        m.put("app.kubernetes.io/part-of", Labels.PART_OF);
        m.put("app.kubernetes.io/managed-by", "pulumi");
        return m;
    }

    /** The namespace's name, known once it exists: tiers that use it wait for it. */
    public Output<String> name() {
        return name;
    }
}
