package io.memcachedgke.settings;

/** Which pods may reach the cache. */
@Doc("Which pods may reach the cache: NetworkPolicies that admit each tier's clients and nothing else.")
public record NetworkPolicySpec(
    @Doc("Declare the namespace's default-deny ingress policy and each tier's own NetworkPolicy. Must be `true` in "
        + "production (memcached has no authentication)")
    boolean enabled,
    @Doc("`true` also lets pods carrying a `run` label (what `kubectl run` creates) reach memcached and mcrouter, for "
        + "the lab's commands")
    boolean allowKubectlRun) {

    public static final NetworkPolicySpec DEFAULTS = new NetworkPolicySpec(true, false);
}
