package io.memcachedgke.cache;

import com.pulumi.core.Alias;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.Resource;
import io.memcachedgke.mcrouter.Mcrouter;
import io.memcachedgke.memcached.Memcached;
import io.memcachedgke.metrics.Metrics;
import io.memcachedgke.monitoring.CloudMonitoring;
import io.memcachedgke.namespace.CacheNamespace;
import io.memcachedgke.sampleapp.SampleApp;
import io.memcachedgke.smoke.SmokeTest;
import io.memcachedgke.tls.CacheCertificates;
import java.util.ArrayList;
import java.util.List;

/**
 * The cache's tiers, side by side under the component that holds them ({@code memcached-gke:index:CacheService}, the
 * Java program's {@link Cache} or the package's own), each given what it needs as values from the {@link Plan} and
 * from the tiers declared before it. No tier knows another.
 *
 * <p>The tiers were top-level resources before the component existed; each carries an alias to its old URN (no
 * parent, same name and type), and the engine derives its children's aliases from it, so a stack deployed before
 * moves under the component without a replacement (UpgradeIT).
 */
public final class CacheTiers {
    private CacheTiers() {}

    /**
     * @param parent        the component the tiers are children of; its provider (the Kubernetes one) is theirs
     * @param monitoringApi what enables the project's Monitoring API, which Cloud Monitoring's objects wait for
     */
    public static CacheOutputs declare(ComponentResource parent, Plan plan, List<Resource> monitoringApi) {
        var prefix = plan.memcached().namePrefix();
        var ns = new CacheNamespace(plan.namespace().name(), plan.namespace(), tier(parent));
        // With TLS, the certificates come next: every pod that mounts one of their Secrets waits for cert-manager.
        var first = new ArrayList<Resource>(List.of(ns));
        plan.certificates().ifPresent(c -> first.add(new CacheCertificates(prefix + "-tls", c, tier(parent, ns))));
        var afterNamespace = tier(parent, first.toArray(Resource[]::new));

        var sidecar = plan.exporterSidecar() ? Mcrouter.exporterSidecar(plan.mcrouter()) : null;
        Memcached memcached;
        Mcrouter mcrouter;
        if (plan.podsFirst()) {
            memcached = new Memcached(prefix + "-memcached", plan.memcached(), afterNamespace);
            mcrouter = new Mcrouter(prefix + "-mcrouter", plan.mcrouter(), plan.proxyConfig(), sidecar,
                tier(parent, with(first, memcached)));
        } else {
            mcrouter = new Mcrouter(prefix + "-mcrouter", plan.mcrouter(), plan.proxyConfig(), sidecar, afterNamespace);
            memcached = new Memcached(prefix + "-memcached", plan.memcached(), tier(parent, with(first, mcrouter)));
        }
        var servers = plan.memcached().servers(plan.memcached().podCount());
        var metrics = new Metrics(prefix + "-metrics", plan.metrics(), prefix, plan.namespace().name(),
            plan.memcached().networkPolicy(), servers, afterNamespace);
        Output<String> dashboardUrl = plan.cloudMonitoring()
            .map(args -> new CloudMonitoring(prefix + "-cloud-monitoring", args,
                new CloudMonitoring.Moved(metrics, prefix + "-metrics"),
                ComponentResourceOptions.builder().parent(parent).dependsOn(monitoringApi).build()).dashboardUrl())
            .orElse(Output.of(""));
        List<SampleApp> sampleApp = plan.sampleApp()
            .map(app -> List.of(new SampleApp(prefix + "-sample-app", app, mcrouter.clientEnv(), afterNamespace)))
            .orElse(List.of());
        // Last, once every tier is ready: the Job depends on all of them.
        Output<String> smokeTestJob = plan.smokeTest().map(smoke -> {
            var after = new ArrayList<Resource>(List.of(memcached, mcrouter));
            after.addAll(sampleApp);
            var targets = new SmokeTest.Targets(memcached.servers(), plan.memcached().layout(), mcrouter.clientEnv(),
                mcrouter.serviceHost(), mcrouter.proxiesHost(), mcrouter.configDigest(), memcached.argsHash(),
                mcrouter.argsHash());
            return new SmokeTest(prefix + "-smoke-test", smoke, targets, after, afterNamespace).jobName();
        }).orElse(Output.of(""));

        return new CacheOutputs(ns.name(), memcached.serviceHost(), memcached.servers(), memcached.rollCheckJob(),
            mcrouter.port(),
            mcrouter.serviceHost(), Output.of(mcrouter.exposure().configValue()), mcrouter.configDigest(),
            mcrouter.rolloutJobName(), smokeTestJob, dashboardUrl, Output.of(plan.tlsClientSecret()));
    }

    private static Resource[] with(List<Resource> first, Resource more) {
        var all = new ArrayList<>(first);
        all.add(more);
        return all.toArray(Resource[]::new);
    }

    /**
     * A tier's options: a child of the component, after {@code first}, with an alias to the URN it had as a top-level
     * resource (the same name and type, no parent).
     */
    private static ComponentResourceOptions tier(ComponentResource parent, Resource... first) {
        return ComponentResourceOptions.builder().parent(parent).dependsOn(first).aliases(Alias.noParent()).build();
    }
}
