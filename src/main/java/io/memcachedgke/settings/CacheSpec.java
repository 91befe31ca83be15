package io.memcachedgke.settings;

import io.memcachedgke.config.ConfigValue;
import io.memcachedgke.config.Environment;
import io.memcachedgke.config.SharedRules;

/**
 * The cache's settings: everything both front doors take (stack configuration under {@code memcached-gke:}, and
 * the component package's arguments), each with its default in {@link #DEFAULTS} or its section's.
 */
@Doc("The cache on a Kubernetes cluster. Every setting is optional; an unset one keeps its default.")
public record CacheSpec(
    @Doc("`development` or `production`. Production turns the production guards into requirements and changes some "
        + "defaults (a five-minute warm-up between shard restarts, no host port)")
    Environment environment,
    @Doc("The prefix of every object's name: `<namePrefix>-memcached`, `<namePrefix>-mcrouter`. An RFC 1123 label of "
        + "at most 42 characters, so `<namePrefix>-memcached` plus a revision hash stays a valid label")
    String namePrefix,
    @Doc("The cache's namespace: an RFC 1123 label, not `kube-*`. Created with Pod Security labels unless it is one "
        + "Kubernetes makes (`default`, `kube-system`, `kube-public`, `kube-node-lease`)")
    String namespace,
    @Doc(value = "The nodes' memory in MiB, for the check that the shards and a proxy fit a node. Used when set; needed "
        + "to check the fit off GKE (it then assumes one node) or with a machine type the program does not know",
        dflt = "the machine type's memory on a GKE stack, otherwise unset (no fit check)")
    Integer nodeMemoryMiB,
    @Doc("Which pods may reach the cache") NetworkPolicySpec networkPolicy,
    @Doc("The memcached shards") MemcachedSpec memcached,
    @Doc("The mcrouter proxies, one per node") McrouterSpec mcrouter,
    @Doc("Exporters, scrape objects, alert rules and Cloud Monitoring") MetricsSpec metrics,
    @Doc("The lab's sample application") SampleAppSpec sampleApp,
    @Doc("The smoke test Job that proves the cache after every change") SmokeTestSpec smokeTest,
    @Doc("Mutual TLS between the shards and their clients") TlsSpec tls) {

    /** The default environment is the one the policy pack assumes for a stack that sets none: one source for both. */
    public static final CacheSpec DEFAULTS = new CacheSpec(
        ConfigValue.parse(Environment.class, SharedRules.defaultEnvironment()).orElseThrow(), "mycache", "default", null,
        NetworkPolicySpec.DEFAULTS, MemcachedSpec.DEFAULTS, McrouterSpec.DEFAULTS, MetricsSpec.DEFAULTS,
        SampleAppSpec.DEFAULTS, SmokeTestSpec.DEFAULTS, TlsSpec.DEFAULTS);

    public boolean production() {
        return environment == Environment.PRODUCTION;
    }
}
