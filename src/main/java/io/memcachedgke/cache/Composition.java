package io.memcachedgke.cache;

import com.pulumi.Context;
import com.pulumi.kubernetes.Provider;
import com.pulumi.kubernetes.ProviderArgs;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.memcachedgke.gke.GkeCluster;
import io.memcachedgke.settings.Settings;
import java.util.List;

/**
 * The Java program's resources from its settings: the GKE cluster (GKE stacks) or a Kubernetes provider for the
 * cluster of a kubeconfig context, then the cache on it, and the stack's outputs. Every decision between them is the
 * {@link Plan}'s.
 */
public final class Composition {
    private Composition() {}

    public static void stack(Context ctx, Settings settings) {
        var plan = Plan.of(settings);
        Provider provider;
        List<Resource> monitoringApi = List.of();
        if (plan.cluster().isPresent()) {
            var clusterArgs = plan.cluster().get();
            var cluster = new GkeCluster(clusterArgs.name(), clusterArgs, null);
            provider = cluster.provider();
            monitoringApi = List.of(cluster.monitoringApi());
            ctx.export("clusterName", cluster.clusterName());
            ctx.export("kubeconfig", cluster.kubeconfig());
            ctx.export("imageRepository", cluster.imageRepository());
        } else {
            // ConfigMaps are updated in place, not replaced (pulumi-kubernetes#1567, the option from #1926): the
            // proxies reload a changed config file without a restart.
            var args = ProviderArgs.builder().enableConfigMapMutable(true);
            settings.stack().map(s -> s.kubeContext()).ifPresent(args::context);
            provider = new Provider("kubernetes", args.build(), CustomResourceOptions.Empty);
        }
        var cache = new Cache(plan.memcached().namePrefix(), plan, monitoringApi,
            ComponentResourceOptions.builder().providers(provider).build()).outputs();
        if (plan.cluster().isPresent()) {
            ctx.export("dashboardUrl", cache.dashboardUrl());
        }
        if (plan.smokeTest().isPresent()) {
            ctx.export("smokeTestJob", cache.smokeTestJob());
        }
        ctx.export("namespace", cache.namespace());
        ctx.export("memcachedServiceHost", cache.memcachedServiceHost());
        ctx.export("memcachedServers", cache.memcachedServers());
        ctx.export("memcachedRollCheckJob", cache.memcachedRollCheckJob());
        ctx.export("mcrouterPort", cache.mcrouterPort());
        ctx.export("mcrouterServiceHost", cache.mcrouterServiceHost());
        ctx.export("mcrouterExposure", cache.mcrouterExposure());
        ctx.export("mcrouterConfigDigest", cache.mcrouterConfigDigest());
        ctx.export("mcrouterRolloutJob", cache.mcrouterRolloutJob());
        ctx.export("tlsClientSecret", cache.tlsClientSecret());
    }
}
