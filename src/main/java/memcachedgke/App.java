package memcachedgke;

import com.pulumi.Context;
import com.pulumi.Pulumi;
import com.pulumi.core.Output;
import com.pulumi.kubernetes.Provider;
import com.pulumi.kubernetes.ProviderArgs;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import java.util.List;
import memcachedgke.config.InvalidConfigException;
import memcachedgke.stack.ConfigReader;
import memcachedgke.stack.StackConfig;
import memcachedgke.gke.GkeCluster;
import memcachedgke.mcrouter.Mcrouter;
import memcachedgke.mcrouter.McrouterConfig;
import memcachedgke.memcached.Memcached;
import memcachedgke.metrics.Metrics;
import memcachedgke.namespace.CacheNamespace;
import memcachedgke.sampleapp.SampleApp;
import memcachedgke.smoke.SmokeTest;
import memcachedgke.startup.CommonPool;
import memcachedgke.startup.FastStart;

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
        var prefix = config.memcached().namePrefix();
        var namespace = new CacheNamespace(config.namespace().name(), config.namespace(), inCluster(provider));
        var afterNamespace = ComponentResourceOptions.builder().providers(provider).dependsOn(namespace).build();

        // The order of the cache tiers follows the move: a growing pool gets its pods before any proxy lists them;
        // otherwise every proxy runs the new config (its rollout Job passed) before surplus pods go.
        var memcachedArgs = config.memcached();
        var proxyConfig = McrouterConfig.of(memcachedArgs);
        var sidecar = config.metrics().exporters() ? Mcrouter.exporterSidecar(config.mcrouter()) : null;
        Memcached memcached;
        Mcrouter mcrouter;
        if (memcachedArgs.podsFirst()) {
            memcached = new Memcached(prefix + "-memcached", memcachedArgs, afterNamespace);
            mcrouter = new Mcrouter(prefix + "-mcrouter", config.mcrouter(), proxyConfig, sidecar, after(provider, namespace, memcached));
        } else {
            mcrouter = new Mcrouter(prefix + "-mcrouter", config.mcrouter(), proxyConfig, sidecar, afterNamespace);
            memcached = new Memcached(prefix + "-memcached", memcachedArgs, after(provider, namespace, mcrouter));
        }
        var metrics = new Metrics(prefix + "-metrics", config.metrics(), prefix, memcachedArgs.namespace(),
            memcachedArgs.networkPolicy(), memcachedArgs.servers(memcachedArgs.podCount()), cloud, afterNamespace);
        if (cloud != null) {
            ctx.export("dashboardUrl", metrics.dashboardUrl());
        }
        List<SampleApp> sampleApp = config.sampleApp()
            .map(app -> List.of(new SampleApp(prefix + "-sample-app", app, mcrouter, afterNamespace))).orElse(List.of());
        // Last, once every tier is ready: the Job depends on all of them.
        config.smokeTest().ifPresent(args -> {
            var smoke = new SmokeTest(prefix + "-smoke-test", args, memcached, memcachedArgs.layout(), mcrouter, sampleApp,
                afterNamespace);
            ctx.export("smokeTestJob", smoke.jobName());
        });

        ctx.export("namespace", namespace.name());
        ctx.export("memcachedServiceHost", memcached.serviceHost());
        ctx.export("memcachedServers", memcached.servers());
        ctx.export("mcrouterPort", mcrouter.port());
        ctx.export("mcrouterServiceHost", mcrouter.serviceHost());
        ctx.export("mcrouterExposure", Output.of(mcrouter.exposure().configValue()));
        ctx.export("mcrouterConfigDigest", mcrouter.configDigest());
        ctx.export("mcrouterRolloutJob", mcrouter.rolloutJobName());
    }

    private static ComponentResourceOptions after(Provider provider, Resource... first) {
        return ComponentResourceOptions.builder().providers(provider).dependsOn(first).build();
    }

    private static ComponentResourceOptions inCluster(Provider provider) {
        return ComponentResourceOptions.builder().providers(provider).build();
    }
}
