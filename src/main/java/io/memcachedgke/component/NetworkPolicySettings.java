package io.memcachedgke.component;

import com.pulumi.core.annotations.Import;

/** Which pods may reach the cache (stack config: {@code memcached-gke:networkPolicy}). */
@Description("Which pods may reach the cache: NetworkPolicies that admit each tier's clients and nothing else.")
public final class NetworkPolicySettings {
    /** @default true */
    @Import(name = "enabled")
    @Description("Declare the namespace's default-deny ingress policy and each tier's own policy. Default: true. Must be true in production.")
    private Boolean enabled;

    /** @default false */
    @Import(name = "allowKubectlRun")
    @Description("Also admit pods carrying a `run` label (what `kubectl run` creates), as the lab's test pods. Default: false.")
    private Boolean allowKubectlRun;

    NetworkPolicySettings() {}
}
