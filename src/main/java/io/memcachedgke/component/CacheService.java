package io.memcachedgke.component;

import com.pulumi.core.Alias;
import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.Resource;
import java.util.List;
import java.util.Map;
import io.memcachedgke.mcrouter.Mcrouter;
import io.memcachedgke.mcrouter.McrouterConfig;
import io.memcachedgke.memcached.Memcached;
import io.memcachedgke.metrics.Metrics;
import io.memcachedgke.namespace.CacheNamespace;
import io.memcachedgke.sampleapp.SampleApp;
import io.memcachedgke.smoke.SmokeTest;
import io.memcachedgke.stack.ConfigReader;
import io.memcachedgke.stack.StackConfig;

/**
 * The whole cache on a Kubernetes cluster: the namespace, the memcached shards, an mcrouter proxy on every node, the
 * metrics, the lab's sample application and the smoke test, wired through their outputs. The Java program declares
 * it on every stack (on GKE, inside the cluster it creates); other languages add it as a package
 * ({@code pulumi package add}, docs/packages.md), with the Kubernetes provider in the standard {@code providers}
 * option, which every object inherits. One implementation: both read their settings with the stack reader.
 *
 * <p>The tiers were top-level resources before this component existed; each carries an alias to its old URN
 * (no parent, same name and type), and the engine derives its children's aliases from it, so a stack deployed
 * before moves under this component without a replacement (UpgradeIT).
 */
@Description("A distributed memcached on an existing Kubernetes cluster: memcached shards behind a headless Service, "
    + "an mcrouter proxy on every node whose config reloads in place, metrics, the lab's sample application and a "
    + "smoke test after every change. Pass the cluster's Kubernetes provider in the `providers` option.")
public final class CacheService extends ComponentResource {
    public static final String TYPE = ConfigReader.PROJECT + ":index:CacheService";

    @Export(name = "namespace")
    @Description("The cache's namespace.")
    public final Output<String> namespace;

    @Export(name = "memcachedServiceHost")
    @Description("The headless Service's DNS name, `<namePrefix>-memcached.<namespace>.svc.cluster.local`.")
    public final Output<String> memcachedServiceHost;

    @Export(name = "memcachedServers")
    @Description("Every shard as `host:11211`, by its stable DNS name, in ordinal order.")
    public final Output<List<String>> memcachedServers;

    @Export(name = "mcrouterPort")
    @Description("The port of the proxy on each node.")
    public final Output<Integer> mcrouterPort;

    @Export(name = "mcrouterServiceHost")
    @Description("The proxies' node-local Service's DNS name.")
    public final Output<String> mcrouterServiceHost;

    @Export(name = "mcrouterExposure")
    @Description("How applications reach the proxy on their node: `hostPort` or `nodeLocalService`.")
    public final Output<String> mcrouterExposure;

    @Export(name = "mcrouterConfigDigest")
    @Description("The MD5 of the proxies' config, which every proxy reports for `get __mcrouter__.config_md5_digest`.")
    public final Output<String> mcrouterConfigDigest;

    @Export(name = "mcrouterRolloutJob")
    @Description("The Job that checked every proxy runs the config: `kubectl logs job/<name>`.")
    public final Output<String> mcrouterRolloutJob;

    @Export(name = "smokeTestJob")
    @Description("The smoke test Job, or empty when it is turned off.")
    public final Output<String> smokeTestJob;

    @Export(name = "dashboardUrl")
    @Description("The Cloud Monitoring dashboard's address (GKE stacks of the Java program), or empty.")
    public final Output<String> dashboardUrl;

    /**
     * @param args    the settings; a bad one fails here, before any child, with every problem on one line
     * @param options the Kubernetes provider in {@code providers}; aliases and dependencies as for any component
     */
    public CacheService(String name, CacheServiceArgs args, ComponentResourceOptions options) {
        // Read (and refused) before the component itself is registered: a bad setting registers nothing.
        super(TYPE, name, checked(args, options));
        var config = configOf(args);
        var cloud = args instanceof StackCacheArgs stack ? stack.cloud : null;

        var prefix = config.memcached().namePrefix();
        var ns = new CacheNamespace(config.namespace().name(), config.namespace(), tier());
        var afterNamespace = tier(ns);

        // The order of the cache tiers follows the move: a growing pool gets its pods before any proxy lists them;
        // otherwise every proxy runs the new config (its rollout Job passed) before surplus pods go.
        var memcachedArgs = config.memcached();
        var proxyConfig = McrouterConfig.of(memcachedArgs);
        var sidecar = config.metrics().exporters() ? Mcrouter.exporterSidecar(config.mcrouter()) : null;
        Memcached memcached;
        Mcrouter mcrouter;
        if (memcachedArgs.podsFirst()) {
            memcached = new Memcached(prefix + "-memcached", memcachedArgs, afterNamespace);
            mcrouter = new Mcrouter(prefix + "-mcrouter", config.mcrouter(), proxyConfig, sidecar, tier(ns, memcached));
        } else {
            mcrouter = new Mcrouter(prefix + "-mcrouter", config.mcrouter(), proxyConfig, sidecar, afterNamespace);
            memcached = new Memcached(prefix + "-memcached", memcachedArgs, tier(ns, mcrouter));
        }
        var metrics = new Metrics(prefix + "-metrics", config.metrics(), prefix, memcachedArgs.namespace(),
            memcachedArgs.networkPolicy(), memcachedArgs.servers(memcachedArgs.podCount()), cloud, afterNamespace);
        List<SampleApp> sampleApp = config.sampleApp()
            .map(app -> List.of(new SampleApp(prefix + "-sample-app", app, mcrouter, afterNamespace))).orElse(List.of());
        // Last, once every tier is ready: the Job depends on all of them.
        this.smokeTestJob = config.smokeTest()
            .map(smoke -> new SmokeTest(prefix + "-smoke-test", smoke, memcached, memcachedArgs.layout(), mcrouter,
                sampleApp, afterNamespace).jobName())
            .orElse(Output.of(""));

        this.namespace = ns.name();
        this.memcachedServiceHost = memcached.serviceHost();
        this.memcachedServers = memcached.servers();
        this.mcrouterPort = mcrouter.port();
        this.mcrouterServiceHost = mcrouter.serviceHost();
        this.mcrouterExposure = Output.of(mcrouter.exposure().configValue());
        this.mcrouterConfigDigest = mcrouter.configDigest();
        this.mcrouterRolloutJob = mcrouter.rolloutJobName();
        this.dashboardUrl = metrics.dashboardUrl();
        registerOutputs(Map.of(
            "namespace", namespace, "memcachedServiceHost", memcachedServiceHost, "memcachedServers", memcachedServers,
            "mcrouterPort", mcrouterPort, "mcrouterServiceHost", mcrouterServiceHost, "mcrouterExposure", mcrouterExposure,
            "mcrouterConfigDigest", mcrouterConfigDigest, "mcrouterRolloutJob", mcrouterRolloutJob,
            "smokeTestJob", smokeTestJob, "dashboardUrl", dashboardUrl));
    }

    /**
     * The settings, read and checked by the stack reader; an {@link io.memcachedgke.config.InvalidConfigException} names
     * every problem on one line (PackageProvider hands exactly that line back to other languages).
     */
    private static StackConfig configOf(CacheServiceArgs args) {
        if (args instanceof StackCacheArgs stack) {
            return stack.config;
        }
        return ConfigReader.read(args == null ? Map.of() : args.asStackConfig());
    }

    private static ComponentResourceOptions checked(CacheServiceArgs args, ComponentResourceOptions options) {
        configOf(args);
        return options;
    }

    /**
     * A tier's options: a child of this component, after {@code first}, with an alias to the URN it had as a
     * top-level resource (the same name and type, no parent).
     */
    private ComponentResourceOptions tier(Resource... first) {
        return ComponentResourceOptions.builder().parent(this).dependsOn(first).aliases(Alias.noParent()).build();
    }
}
