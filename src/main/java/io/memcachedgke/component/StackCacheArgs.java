package io.memcachedgke.component;

import io.memcachedgke.metrics.Metrics;
import io.memcachedgke.stack.StackConfig;

/**
 * The Java program's way in: a stack's configuration already read and checked by the stack reader (a GKE stack's
 * too, with its node pool and Cloud Monitoring), so {@link CacheService} declares the same objects from it as from
 * {@link CacheServiceArgs} given in another language. Not part of the package's schema: the inference reads only the
 * constructor's declared argument type.
 */
public final class StackCacheArgs extends CacheServiceArgs {
    final StackConfig config;
    final Metrics.CloudMonitoring cloud;

    /** @param cloud where Cloud Monitoring lives (GKE stacks), or null */
    public StackCacheArgs(StackConfig config, Metrics.CloudMonitoring cloud) {
        this.config = config;
        this.cloud = cloud;
    }
}
