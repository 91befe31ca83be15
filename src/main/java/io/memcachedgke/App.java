package io.memcachedgke;

import com.pulumi.Context;
import com.pulumi.Pulumi;
import com.pulumi.kubernetes.Provider;
import com.pulumi.kubernetes.ProviderArgs;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import java.util.List;
import io.memcachedgke.component.CacheService;
import io.memcachedgke.component.StackCacheArgs;
import io.memcachedgke.config.InvalidConfigException;
import io.memcachedgke.stack.ConfigReader;
import io.memcachedgke.stack.StackConfig;
import io.memcachedgke.gke.GkeCluster;
import io.memcachedgke.metrics.Metrics;
import io.memcachedgke.startup.CommonPool;
import io.memcachedgke.startup.FastStart;

/**
 * The program: reads the stack's configuration (all of it, validated, before any resource), then
 * declares the cluster (GKE stacks) and the Kubernetes tiers, wired through their outputs, and last the
 * smoke test that proves them.
 */
public final class App {
    private App() {}

    public static void main(String[] args) {
        // Before anything starts the common pool: the SDK never finishes on JDK 25 with one or two CPUs otherwise.
        CommonPool.ensureParallelism();
        // Pulumi starts `java -jar` without flags: the build's fast-start flags need a JVM of their own.
        FastStart.relaunchIfPrepared(App.class, args);
        Pulumi.run(App::stack);
    }

    /**
     * The whole program. Invalid configuration is reported as one error line through the engine's log and
     * nothing is declared: the engine fails the update on a logged error, so a refusal reads the same in
     * {@code pulumi preview}/{@code up} as in the render, without a stack trace.
     */
    public static void stack(Context ctx) {
        StackConfig config;
        try {
            config = ConfigReader.read(ctx);
        } catch (InvalidConfigException e) {
            ctx.log().error(e.getMessage());
            return;
        }
        config.warnings().forEach(w -> ctx.log().warn(w));
        declare(ctx, config);
    }

    static void declare(Context ctx, StackConfig config) {
        Provider provider;
        Metrics.CloudMonitoring cloud = null;
        if (config.cluster().isPresent()) {
            var clusterArgs = config.cluster().get();
            var cluster = new GkeCluster(clusterArgs.name(), clusterArgs, null);
            provider = cluster.provider();
            cloud = new Metrics.CloudMonitoring(clusterArgs.project(), clusterArgs.name(), List.of(cluster.monitoringApi()));
            ctx.export("clusterName", cluster.clusterName());
            ctx.export("kubeconfig", cluster.kubeconfig());
            ctx.export("imageRepository", cluster.imageRepository());
        } else {
            // ConfigMaps are updated in place, not replaced (pulumi-kubernetes#1567, the option from #1926): the
            // proxies reload a changed config file without a restart.
            var args = ProviderArgs.builder().enableConfigMapMutable(true);
            config.kubeContext().ifPresent(args::context);
            provider = new Provider("kubernetes", args.build(), CustomResourceOptions.Empty);
        }
        // The cache itself is the package's component, built from the stack's configuration as read above: one
        // implementation for this program and every language that adds the package.
        var cache = new CacheService(config.memcached().namePrefix(), new StackCacheArgs(config, cloud),
            ComponentResourceOptions.builder().providers(provider).build());
        if (cloud != null) {
            ctx.export("dashboardUrl", cache.dashboardUrl);
        }
        if (config.smokeTest().isPresent()) {
            ctx.export("smokeTestJob", cache.smokeTestJob);
        }
        ctx.export("namespace", cache.namespace);
        ctx.export("memcachedServiceHost", cache.memcachedServiceHost);
        ctx.export("memcachedServers", cache.memcachedServers);
        ctx.export("mcrouterPort", cache.mcrouterPort);
        ctx.export("mcrouterServiceHost", cache.mcrouterServiceHost);
        ctx.export("mcrouterExposure", cache.mcrouterExposure);
        ctx.export("mcrouterConfigDigest", cache.mcrouterConfigDigest);
        ctx.export("mcrouterRolloutJob", cache.mcrouterRolloutJob);
    }

}
