package io.memcachedgke.settings;

import io.memcachedgke.config.Environment;
import java.util.Optional;

/**
 * Everything a front door read, whole: the cache's settings, and where the cache runs. What the rule table checks
 * and the composition root is built from.
 *
 * @param cache      the cache's settings (both front doors)
 * @param stack      where a stack's cache runs: the platform, the kubeconfig context, the GKE cluster (the stack
 *                   program only)
 * @param gcpProject the stack's {@code gcp:project} (the stack program only; the gcp provider's key)
 * @param gke        the GKE cluster a package user names for Cloud Monitoring (the component package only)
 */
public record Settings(CacheSpec cache, Optional<StackSpec> stack, Optional<String> gcpProject, Optional<GkeSpec> gke) {

    /** The stack's own GKE cluster, when it has one. */
    public Optional<ClusterSpec> cluster() {
        return stack.filter(StackSpec::gke).map(StackSpec::clusterOrDefaults);
    }

    /** The cache runs on GKE, where managed Prometheus and Cloud Monitoring are: a GKE stack, or a named cluster. */
    public boolean onGke() {
        return cluster().isPresent() || gke.isPresent();
    }

    public Environment environment() {
        return cache.environment();
    }

    public boolean production() {
        return cache.production();
    }
}
