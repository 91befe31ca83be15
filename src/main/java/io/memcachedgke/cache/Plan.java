package io.memcachedgke.cache;

import io.memcachedgke.config.Exposure;
import io.memcachedgke.gke.GkeClusterArgs;
import io.memcachedgke.kube.ClientSelector;
import io.memcachedgke.kube.Names;
import io.memcachedgke.kube.Scraper;
import io.memcachedgke.kube.TlsMount;
import io.memcachedgke.mcrouter.McrouterArgs;
import io.memcachedgke.mcrouter.McrouterConfig;
import io.memcachedgke.memcached.Memcached;
import io.memcachedgke.memcached.CertReload;
import io.memcachedgke.memcached.MemcachedArgs;
import io.memcachedgke.memcached.Resize;
import io.memcachedgke.metrics.MetricsArgs;
import io.memcachedgke.monitoring.CloudMonitoringArgs;
import io.memcachedgke.namespace.CacheNamespaceArgs;
import io.memcachedgke.namespace.PodSecurityLevel;
import io.memcachedgke.sampleapp.SampleAppArgs;
import io.memcachedgke.settings.CacheSpec;
import io.memcachedgke.settings.ClusterSpec;
import io.memcachedgke.settings.Settings;
import io.memcachedgke.settings.TlsSpec;
import io.memcachedgke.smoke.SmokeTestArgs;
import io.memcachedgke.tls.CertificatesArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every decision that joins tiers, made once, as values: what each tier is given from the settings. Pure (no
 * resource), so each decision is a plain unit test. {@link Composition} declares the tiers from it.
 *
 * <ul>
 *   <li>the order of the cache tiers during a resize ({@link #podsFirst});
 *   <li>who may use the proxies (the settings' clients, {@code kubectl run} pods, the smoke test's pods) and reach
 *       the shards directly;
 *   <li>the namespace's Pod Security level, from how the proxies are exposed;
 *   <li>the exporter sidecar beside every proxy, with the exporters;
 *   <li>placement: a GKE stack's shards on its node pool, spread over zones on a regional cluster;
 *   <li>the node pool's upgrade soak, from a shard's warm-up;
 *   <li>the rollout check's image (the smoke test's), and Cloud Monitoring where the cache runs on GKE.
 * </ul>
 *
 * @param cluster         the GKE cluster a stack creates, or empty
 * @param cloudMonitoring the dashboard and alert policies, where the cache runs on GKE and any is declared
 */
public record Plan(Optional<GkeClusterArgs> cluster, CacheNamespaceArgs namespace, MemcachedArgs memcached,
                   McrouterArgs mcrouter, McrouterConfig proxyConfig, MetricsArgs metrics,
                   Optional<SampleAppArgs> sampleApp, Optional<SmokeTestArgs> smokeTest,
                   Optional<CloudMonitoringArgs> cloudMonitoring, Optional<CertificatesArgs> certificates) {

    /** Where each role's certificate appears in its containers (a directory of its own: TlsMount). */
    public static final String TLS_DIR = "/etc/memcached-gke/tls";
    /** The roles that hold a certificate, each its own (named for the role), re-issued without touching another's. */
    static final String SERVER_ROLE = "memcached";
    static final List<String> CLIENT_ROLES = List.of("mcrouter", "exporter", "smoke", "reloader", "operator");
    /** The role whose certificate people and the operator scripts use (lab-checks.sh, e2e.sh): a stack output. */
    public static final String OPERATOR_ROLE = "operator";

    /** The plan for these settings. */
    public static Plan of(Settings settings) {
        var cache = settings.cache();
        var cluster = settings.cluster().map(c -> cluster(c, settings));
        var prefix = cache.namePrefix();
        var namespace = cache.namespace();
        var environment = cache.environment();
        var networkPolicy = cache.networkPolicy().enabled();
        var kubectlRun = cache.networkPolicy().allowKubectlRun() ? List.of(ClientSelector.KUBECTL_RUN) : List.<ClientSelector>of();

        var m = cache.memcached();
        var t = cache.tls();
        var tls = t.enabled(environment);
        var direct = new ArrayList<>(kubectlRun);
        m.directClients().forEach(labels -> direct.add(ClientSelector.labels(labels)));
        var r = m.resize();
        var memcached = new MemcachedArgs(prefix, namespace, m.replicas(), m.memoryMiB(), m.cpuMillis(),
            m.maxConnections(), m.image(), cluster.map(GkeClusterArgs::regional).orElse(false), networkPolicy, direct,
            m.warmUpSeconds(environment),
            r == null ? null : new Resize(r.from(), r.startTime(), r.window(), r.copyTtl(), r.finish()),
            // On GKE the shards run on the node pool of the current node settings: a replaced pool is taken over one
            // shard at a time (GkeCluster, the node pool).
            cluster.map(c -> Map.of(GkeClusterArgs.NODE_POOL_LABEL, c.nodePoolId())).orElse(m.nodeSelector()),
            tls ? mount(prefix, SERVER_ROLE, t) : null,
            tls ? new CertReload(t.clientImage(), mount(prefix, "reloader", t), CertReload.PERIOD_SECONDS) : null);

        // With TLS the smoke test reads the shards over TLS: python3's ssl, in the TLS clients' image.
        var smokeTest = Optional.of(cache.smokeTest()).filter(st -> st.enabled())
            .map(st -> tls ? SmokeTestArgs.overTls(prefix, namespace, t.clientImage(), mount(prefix, "smoke", t))
                : SmokeTestArgs.of(prefix, namespace, st.image()));
        var p = cache.mcrouter();
        var exporters = cache.metrics().exporters();
        var allowed = new ArrayList<ClientSelector>();
        p.allowedClients().forEach(labels -> allowed.add(ClientSelector.labels(labels)));
        allowed.addAll(kubectlRun);
        smokeTest.ifPresent(st -> allowed.add(SmokeTestArgs.client(prefix)));
        var exposure = p.exposure(environment);
        var mcrouter = new McrouterArgs(prefix, namespace, p.image(), p.port(), exposure, p.cpuMillis(), p.memoryMiB(),
            networkPolicy, allowed, p.serverTimeoutMs(), p.probeTimeoutInitialMs(), p.probeTimeoutMaxMs(),
            p.timeoutsUntilTko(), p.reconfigurationDelayMs(), exporters ? p.exporterImage() : null,
            // The rollout check runs the smoke test's image: both are busybox scripts.
            cache.smokeTest().image(), p.rolloutWaitSeconds(), tls ? mount(prefix, "mcrouter", t) : null);

        var metrics = metrics(cache, settings.onGke(), tls ? mount(prefix, "exporter", t) : null);
        var ns = CacheNamespaceArgs.of(namespace,
            exposure == Exposure.HOST_PORT ? PodSecurityLevel.PRIVILEGED : PodSecurityLevel.RESTRICTED, prefix,
            networkPolicy);
        var app = Optional.of(cache.sampleApp()).filter(a -> a.enabled())
            .map(a -> new SampleAppArgs(prefix, namespace, a.replicas(), a.image(), a.cpuMillis(), a.memoryMiB()));
        var certificates = tls ? Optional.of(new CertificatesArgs(prefix, namespace, t.issuer(), t.issuerKind(),
                t.durationValue(), t.renewBeforeValue(),
                new CertificatesArgs.Leaf(SERVER_ROLE, Names.tlsSecret(prefix, SERVER_ROLE), serverNames(prefix, namespace)),
                CLIENT_ROLES.stream().map(role -> new CertificatesArgs.Leaf(role, Names.tlsSecret(prefix, role), List.of()))
                    .toList()))
            : Optional.<CertificatesArgs>empty();
        return new Plan(cluster, ns, memcached, mcrouter, proxyConfig(memcached), metrics, app, smokeTest,
            cloudMonitoring(settings, cluster, metrics), certificates);
    }

    /** A role's certificate as its containers mount it, signed by {@code t}'s issuer. */
    static TlsMount mount(String prefix, String role, TlsSpec t) {
        var issuer = t.issuer() == null ? "Issuer/" + Names.certificateAuthority(prefix) : t.issuerKind() + "/" + t.issuer();
        return new TlsMount(Names.tlsSecret(prefix, role), TLS_DIR, issuer);
    }

    /**
     * The names the shards answer to: the headless Service and every pod through it
     * ({@code <pod>.<service>.<namespace>.svc.cluster.local}, a wildcard of one label), as clients dial them; the
     * exporters and the reloader check the name against it.
     */
    static List<String> serverNames(String prefix, String namespace) {
        var service = Names.memcached(prefix);
        var host = Names.serviceHost(service, namespace);
        return List.of(host, "*." + host, service + "." + namespace + ".svc", "*." + service + "." + namespace + ".svc");
    }

    /**
     * When a move grows the pool, the new pods must be ready before any proxy lists them: the shards go first.
     * Otherwise the proxies' config changes first and surplus pods go only after every proxy reports it (a shrink:
     * no proxy sends them anything any more).
     */
    public boolean podsFirst() {
        return memcached.podsFirst();
    }

    /** The Secret with the operators' client certificate (lab-checks.sh mounts it), or empty without TLS. */
    public String tlsClientSecret() {
        return certificates.map(c -> Names.tlsSecret(c.namePrefix(), OPERATOR_ROLE)).orElse("");
    }

    /** The exporter sidecar runs beside every proxy with the exporters. */
    public boolean exporterSidecar() {
        return metrics.exporters();
    }

    /** The proxies' config for the shards' layout: plain, or a move while a resize is declared. */
    public static McrouterConfig proxyConfig(MemcachedArgs memcached) {
        var config = layoutConfig(memcached);
        // The shards serve only TLS when they have a certificate: every pool connects over TLS.
        return memcached.tls() == null ? config : config.overTls();
    }

    private static McrouterConfig layoutConfig(MemcachedArgs memcached) {
        var resize = memcached.resizing();
        if (resize.isEmpty()) {
            return McrouterConfig.plain(memcached.servers(memcached.replicas()));
        }
        var r = resize.get();
        var migration = new McrouterConfig.Migration(memcached.servers(r.from()), memcached.servers(memcached.replicas()),
            r.start().getEpochSecond(), r.windowDuration().getSeconds(), r.copyTtlDuration().getSeconds());
        return r.finish() ? McrouterConfig.finishing(migration) : McrouterConfig.migrating(migration);
    }

    /**
     * The cluster of a GKE stack. Production drains one node at a time with a soak of a shard's warm-up plus its
     * start; elsewhere nodes surge.
     */
    static GkeClusterArgs cluster(ClusterSpec c, Settings settings) {
        var cache = settings.cache();
        int soak = c.upgradeSoakSeconds() != null ? c.upgradeSoakSeconds()
            : cache.production() ? cache.memcached().warmUpSeconds(cache.environment()) + Memcached.POD_START_SECONDS : 0;
        return new GkeClusterArgs(settings.gcpProject().orElse(""), c.name(), c.location(), c.nodeLocations(),
            c.nodeCount(), c.minNodes(), c.maxNodes(), c.machineType(), c.spot(), c.releaseChannel(),
            c.deletionProtection(), c.privateNodes(), c.masterAuthorizedNetworks(), c.masterCidr(), c.subnetCidr(),
            c.podsCidr(), c.servicesCidr(), c.maintenanceStart(), c.artifactRegistryReader(), c.connectGateway(), soak);
    }

    private static MetricsArgs metrics(CacheSpec cache, boolean onGke, TlsMount exporterTls) {
        var m = cache.metrics();
        return new MetricsArgs(m.exporters(), m.podMonitoring(onGke), m.serviceMonitor(), m.interval(),
            new Scraper(Map.of(Scraper.NAMESPACE_NAME_LABEL, m.scraperNamespace()), m.scraperPodLabels()),
            m.serviceMonitorLabels(), cache.memcached().exporterImage(), m.alertRules(), m.hitRatioFloor(),
            m.runbookBase(), exporterTls);
    }

    /**
     * Cloud Monitoring of the cluster the cache runs on (a GKE stack's own, or the one a package user names): the
     * dashboard where managed Prometheus collects the exporters, the alert policies where notifications are asked for.
     */
    private static Optional<CloudMonitoringArgs> cloudMonitoring(Settings settings, Optional<GkeClusterArgs> cluster,
                                                                 MetricsArgs metrics) {
        var cache = settings.cache();
        var m = cache.metrics();
        Optional<String[]> where = cluster.map(c -> new String[] {c.project(), c.name()})
            .or(() -> settings.gke().map(g -> new String[] {g.project(), g.cluster()}));
        var dashboard = metrics.exporters() && metrics.podMonitoring() && m.dashboard();
        return where.filter(w -> dashboard || m.notifies())
            .map(w -> new CloudMonitoringArgs(w[0], w[1], metrics.scope(cache.namespace(), cache.namePrefix()),
                dashboard, m.notificationEmails(), m.notificationTopics()));
    }
}
