package io.memcachedgke.component;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.deployment.internal.DeploymentImpl;
import com.pulumi.deployment.internal.DeploymentInternal;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import io.memcachedgke.cache.Cache;
import io.memcachedgke.cache.CacheTiers;
import io.memcachedgke.cache.Plan;
import io.memcachedgke.settings.SettingsReader;
import java.time.Clock;
import java.util.List;

/**
 * The component package's front door: {@value Cache#TYPE} for every language that adds the package. It only translates
 * its typed arguments into the settings model (every problem named by its argument path, before anything is
 * registered; the warnings to the user's {@code pulumi preview} through the engine's log), then declares the cache's
 * tiers as the composition root plans them, the same as the Java program's {@link Cache}. The Kubernetes provider
 * comes in the standard {@code providers} option, and every object inherits it.
 */
@Description("A distributed memcached on an existing Kubernetes cluster: memcached shards behind a headless Service, "
    + "an mcrouter proxy on every node whose config reloads in place, metrics, the lab's sample application and a "
    + "smoke test after every change. Pass the cluster's Kubernetes provider in the `providers` option.")
public final class CacheService extends ComponentResource {

    @Export(name = "namespace")
    @Description("The cache's namespace.")
    public final Output<String> namespace;

    @Export(name = "memcachedServiceHost")
    @Description("The headless Service's DNS name, `<namePrefix>-memcached.<namespace>.svc.cluster.local`.")
    public final Output<String> memcachedServiceHost;

    @Export(name = "memcachedServers")
    @Description("Every shard as `host:11211`, by its stable DNS name, in ordinal order.")
    public final Output<List<String>> memcachedServers;

    @Export(name = "memcachedRollCheckJob")
    @Description("The Job that waited until the shards' StatefulSet had rolled out: `kubectl logs job/<name>`.")
    public final Output<String> memcachedRollCheckJob;

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

    @Export(name = "tlsClientSecret")
    @Description("With mutual TLS, the Secret holding a client certificate the shards accept (`tls.crt`, `tls.key`, "
        + "`ca.crt`), for people and scripts that talk to a shard directly; empty without it.")
    public final Output<String> tlsClientSecret;

    @Export(name = "dashboardUrl")
    @Description("The Cloud Monitoring dashboard's address (with `gke`, on managed Prometheus), or empty.")
    public final Output<String> dashboardUrl;

    /**
     * @param args    the settings; a bad one fails here, before the component or any child is registered, with every
     *                problem on one line
     * @param options the Kubernetes provider in {@code providers}; aliases and dependencies as for any component
     */
    public CacheService(String name, CacheServiceArgs args, ComponentResourceOptions options) {
        // Read (and refused) before the component itself is registered: a bad setting registers nothing. The SDK's
        // component provider takes exactly one constructor, so the arguments are read again below.
        super(Cache.TYPE, name, refusedFirst(args, options));
        var read = read(args);
        read.warnings().forEach(this::warn);
        var outputs = CacheTiers.declare(this, Plan.of(read.settings()), List.of());
        this.namespace = outputs.namespace();
        this.memcachedServiceHost = outputs.memcachedServiceHost();
        this.memcachedServers = outputs.memcachedServers();
        this.memcachedRollCheckJob = outputs.memcachedRollCheckJob();
        this.mcrouterPort = outputs.mcrouterPort();
        this.mcrouterServiceHost = outputs.mcrouterServiceHost();
        this.mcrouterExposure = outputs.mcrouterExposure();
        this.mcrouterConfigDigest = outputs.mcrouterConfigDigest();
        this.mcrouterRolloutJob = outputs.mcrouterRolloutJob();
        this.smokeTestJob = outputs.smokeTestJob();
        this.dashboardUrl = outputs.dashboardUrl();
        this.tlsClientSecret = outputs.tlsClientSecret();
        registerOutputs(outputs.asMap());
    }

    private static ComponentResourceOptions refusedFirst(CacheServiceArgs args, ComponentResourceOptions options) {
        read(args);
        return options;
    }

    /** @throws io.memcachedgke.config.InvalidConfigException naming every problem by its argument path */
    static SettingsReader.Read read(CacheServiceArgs args) {
        return SettingsReader.component(args == null ? SettingsJson.MAPPER.createObjectNode() : args.tree(),
            ArgumentNaming.INSTANCE, Clock.systemUTC());
    }

    /**
     * A warning on the engine's log, attached to this component: the user's {@code pulumi preview} shows it as the Java
     * program shows its own. The deployment of this thread (the program's, or the provider's construct) logs it.
     */
    private void warn(String message) {
        DeploymentInternal.getInstanceOptional().filter(DeploymentImpl.class::isInstance)
            .ifPresent(d -> ((DeploymentImpl) d).getLog().warn(message, this));
    }
}
