package io.memcachedgke.stack;

import java.util.List;
import java.util.Optional;
import io.memcachedgke.config.Environment;
import io.memcachedgke.config.Platform;
import io.memcachedgke.gke.GkeClusterArgs;
import io.memcachedgke.mcrouter.McrouterArgs;
import io.memcachedgke.memcached.MemcachedArgs;
import io.memcachedgke.metrics.MetricsArgs;
import io.memcachedgke.namespace.CacheNamespaceArgs;
import io.memcachedgke.sampleapp.SampleAppArgs;
import io.memcachedgke.sizing.NodeFit;
import io.memcachedgke.smoke.SmokeTestArgs;

/**
 * A stack's whole configuration, read and validated: the only thing components are built from.
 *
 * @param platform       where the Kubernetes tiers run
 * @param environment    development or production
 * @param cluster        the GKE cluster; present exactly when {@code platform} is {@link Platform#GKE}
 * @param kubeContext    the kubeconfig context for {@link Platform#EXISTING}; empty means the current one
 * @param namespace      the cache's namespace
 * @param memcached      the memcached tier
 * @param mcrouter       the mcrouter tier
 * @param metrics        the metrics tier
 * @param sampleApp      the sample application; empty when turned off
 * @param smokeTest      the smoke test Job; empty when turned off
 * @param nodeFit        how the pods fit a node, when the node's memory is known
 * @param warnings       what is allowed but worth a look (e.g. a machine type whose memory is unknown);
 *                       {@code pulumi up} and the render print them
 */
public record StackConfig(
    Platform platform, Environment environment, Optional<GkeClusterArgs> cluster, Optional<String> kubeContext,
    CacheNamespaceArgs namespace, MemcachedArgs memcached, McrouterArgs mcrouter, MetricsArgs metrics,
    Optional<SampleAppArgs> sampleApp,
    Optional<SmokeTestArgs> smokeTest, Optional<NodeFit> nodeFit, List<String> warnings) {

    public StackConfig {
        warnings = List.copyOf(warnings);
    }
}
