package io.memcachedgke.settings;

import static io.memcachedgke.config.Rule.between;
import static io.memcachedgke.config.Rule.custom;
import static io.memcachedgke.config.Rule.matches;
import static io.memcachedgke.config.Rule.of;
import static io.memcachedgke.config.Rule.when;

import io.memcachedgke.config.Durations;
import io.memcachedgke.config.Formats;
import io.memcachedgke.config.GcpLocations;
import io.memcachedgke.config.Rule;
import io.memcachedgke.config.Suggest;
import io.memcachedgke.kube.Names;
import io.memcachedgke.sizing.MemcachedSizing;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The one rule table: every rule on what a user may set, keyed by the setting's path ({@code memcached.replicas}),
 * each problem naming the setting in the user's terms, the value given and what is allowed. Both front doors check
 * their settings against it before anything is registered. The production guards that the policy pack also enforces
 * on what is deployed come from one shared source ({@link ProductionGuards}).
 *
 * <p>The order is the order problems are reported in: the cluster, the namespace, the metrics, the memcached shards
 * (the resize block first), the proxies, the sample application, the smoke test, then the rules across sections.
 */
public final class SettingRules {
    private SettingRules() {}

    /** A StatefulSet's name plus "-" and a 10-character revision hash must fit a 63-character label. */
    public static final int MAX_STATEFULSET_NAME = 52;
    public static final int MAX_PREFIX = MAX_STATEFULSET_NAME - Names.memcached("").length();
    /** The mcrouter exporter listens on this port in every proxy pod: the proxy may not. */
    public static final int MCROUTER_EXPORTER_PORT = 9442;
    /** The shortest move: the proxies' clocks and config reloads need seconds, a move needs more. */
    public static final Duration MIN_WINDOW = Duration.ofMinutes(1);
    public static final Duration MAX_WINDOW = Duration.ofDays(7);
    /** memcached reads a larger expiry as a Unix time. */
    public static final Duration MAX_COPY_TTL = Duration.ofDays(30);

    static final Pattern CLUSTER_NAME = Pattern.compile("[a-z]([-a-z0-9]{0,38}[a-z0-9])?");
    static final Pattern MACHINE_TYPE = Pattern.compile("[a-z][a-z0-9]*-[a-z0-9-]+");
    static final Pattern INTERVAL = Pattern.compile("[1-9][0-9]{0,3}(s|m)");
    static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    static final Pattern TOPIC = Pattern.compile("projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/topics/[A-Za-z][A-Za-z0-9._~%+-]{2,254}");
    /** An address or path without spaces or '#' (each alert adds {@code #<its name>}). */
    public static final Pattern RUNBOOK = Pattern.compile("[^\\s#]+");

    private static final Predicate<Settings> RESIZING = s -> s.cache().memcached().resize() != null;
    private static final Predicate<Settings> SAMPLE_APP = s -> s.cache().sampleApp().enabled();
    private static final Predicate<Settings> EXPORTERS = s -> s.cache().metrics().exporters();

    public static final List<Rule<Settings>> TABLE = Stream.of(
        clusterRules(),
        namespaceRules(),
        metricsRules(),
        resizeRules(),
        memcachedRules(),
        mcrouterRules(),
        sampleAppRules(),
        smokeTestRules(),
        tlsRules(),
        acrossSections(),
        ProductionGuards.clusterRules(),
        notifications(),
        ProductionGuards.cacheRules(),
        packageRules()).flatMap(List::stream).toList();

    // The cluster: a GKE stack's only.

    private static List<Rule<Settings>> clusterRules() {
        Function<Settings, ClusterSpec> c = s -> s.cluster().orElseThrow();
        return Stream.<Rule<Settings>>of(
            matches("cluster.name", c.andThen(ClusterSpec::name), CLUSTER_NAME,
                "a GKE cluster name (lower-case letters, digits and '-', starting with a letter, at most 40 characters)"),
            // The real list of regions and zones (GcpLocations names its source): a zone that does not exist would only
            // fail minutes into `pulumi up`.
            custom("cluster.location", (s, n) -> {
                var location = c.apply(s).location();
                return GcpLocations.isZone(location) || GcpLocations.isRegion(location) ? null
                    : "must be a GCP zone (e.g. us-central1-f) or region (e.g. us-central1), but " + Rule.quote(location)
                        + " was provided" + knownZonesOf(location);
            }),
            custom("cluster.nodeLocations", (s, n) -> {
                var cluster = c.apply(s);
                var region = GcpLocations.regionOf(cluster.location());
                return cluster.nodeLocations().stream()
                    .filter(z -> !GcpLocations.zonesOf(region).contains(z))
                    .findFirst()
                    .map(z -> "must list zones of the cluster's region " + region + ", but " + Rule.quote(z)
                        + " was provided" + (GcpLocations.isRegion(region)
                            ? "; its zones are " + String.join(", ", GcpLocations.zonesOf(region)) : ""))
                    .orElse(null);
            }),
            between("cluster.nodeCount", c.andThen(ClusterSpec::nodeCount), 1, 100),
            of("cluster.minNodes", c.andThen(ClusterSpec::minNodes), v -> v >= 0 && v <= 100, v -> "must be between 0 and 100"),
            of("cluster.maxNodes", c.andThen(ClusterSpec::maxNodes), v -> v >= 1 && v <= 100, v -> "must be between 1 and 100"),
            custom("cluster.minNodes", (s, n) -> {
                var cluster = c.apply(s);
                return (cluster.minNodes() == null) != (cluster.maxNodes() == null)
                    ? "and " + n.key("cluster.maxNodes") + " must be set together to turn on autoscaling" : null;
            }),
            custom("cluster.minNodes", (s, n) -> {
                var cluster = c.apply(s);
                return cluster.minNodes() != null && cluster.maxNodes() != null && cluster.minNodes() > cluster.maxNodes()
                    ? "must not exceed " + n.key("cluster.maxNodes") + " (" + cluster.maxNodes() + "), but "
                        + cluster.minNodes() + " was provided" : null;
            }),
            custom("cluster.nodeCount", (s, n) -> {
                var cluster = c.apply(s);
                return cluster.minNodes() != null && cluster.maxNodes() != null && cluster.minNodes() <= cluster.maxNodes()
                        && (cluster.nodeCount() < cluster.minNodes() || cluster.nodeCount() > cluster.maxNodes())
                    ? "must be within " + n.key("cluster.minNodes") + ".." + n.key("cluster.maxNodes") + " ("
                        + cluster.minNodes() + ".." + cluster.maxNodes() + ") when autoscaling, but " + cluster.nodeCount()
                        + " was provided" : null;
            }),
            custom("cluster.masterAuthorizedNetworks", (s, n) -> c.apply(s).masterAuthorizedNetworks().stream()
                .filter(cidr -> !Formats.isIpv4Cidr(cidr)).findFirst()
                .map(cidr -> "must be a list of IPv4 CIDR blocks (e.g. 203.0.113.0/24), but " + Rule.quote(cidr)
                    + " was provided")
                .orElse(null)),
            of("cluster.masterCidr", c.andThen(ClusterSpec::masterCidr), v -> Formats.isIpv4Cidr(v) && v.endsWith("/28"),
                v -> "must be an IPv4 /28 CIDR block for the control plane"),
            of("cluster.subnetCidr", c.andThen(ClusterSpec::subnetCidr), Formats::isIpv4Cidr, v -> "must be an IPv4 CIDR block"),
            of("cluster.podsCidr", c.andThen(ClusterSpec::podsCidr), Formats::isIpv4Cidr, v -> "must be an IPv4 CIDR block"),
            of("cluster.servicesCidr", c.andThen(ClusterSpec::servicesCidr), Formats::isIpv4Cidr,
                v -> "must be an IPv4 CIDR block"),
            matches("cluster.maintenanceStart", c.andThen(ClusterSpec::maintenanceStart), Formats.HOUR_MINUTE,
                "a time \"HH:MM\" (UTC)"),
            matches("cluster.machineType", c.andThen(ClusterSpec::machineType), MACHINE_TYPE,
                "a Compute Engine machine type (e.g. e2-medium)"),
            of("cluster.upgradeSoakSeconds", c.andThen(ClusterSpec::upgradeSoakSeconds), v -> v == 0 || (v >= 60 && v <= 86400),
                v -> "must be 0 (surge upgrades) or between 60 and 86400 (blue-green upgrades, seconds between drained nodes)"))
            .map(r -> when(s -> s.cluster().isPresent(), r)).toList();
    }

    /** "; europe-west4's zones are ..." for a location in a known region, else a suggestion, else nothing. */
    private static String knownZonesOf(String location) {
        int dash = location.lastIndexOf('-');
        var region = dash < 0 ? location : location.substring(0, dash);
        if (GcpLocations.isRegion(region)) {
            return "; " + region + "'s zones are " + String.join(", ", GcpLocations.zonesOf(region));
        }
        return Suggest.didYouMean(location, GcpLocations.all());
    }

    // The namespace.

    private static List<Rule<Settings>> namespaceRules() {
        return List.of(
            matches("namespace", s -> s.cache().namespace(), Formats.DNS_LABEL, Formats.DNS_LABEL_TEXT),
            custom("namespace", (s, n) -> s.cache().namespace().startsWith("kube-")
                ? "must not be a Kubernetes system namespace, but " + Rule.quote(s.cache().namespace()) + " was provided"
                : null));
    }

    // Metrics.

    private static List<Rule<Settings>> metricsRules() {
        Function<Settings, MetricsSpec> m = s -> s.cache().metrics();
        return List.of(
            matches("metrics.interval", m.andThen(MetricsSpec::interval), INTERVAL,
                "a number of seconds or minutes such as 30s or 1m"),
            custom("metrics.podMonitoring", (s, n) -> Boolean.TRUE.equals(m.apply(s).podMonitoring()) && !m.apply(s).exporters()
                ? "is true, which needs " + n.key("metrics.exporters") + " true (without the exporters nothing serves "
                    + "metrics), but exporters false was provided" : null),
            custom("metrics.serviceMonitor", (s, n) -> m.apply(s).serviceMonitor() && !m.apply(s).exporters()
                ? "is true, which needs " + n.key("metrics.exporters") + " true (without the exporters nothing serves "
                    + "metrics), but exporters false was provided" : null),
            of("metrics.hitRatioFloor", m.andThen(MetricsSpec::hitRatioFloor), v -> v >= 0 && v <= 1,
                v -> "must be a share of gets between 0 and 1 (0.8 means 80% of gets hit)"),
            matches("metrics.runbookBase", m.andThen(MetricsSpec::runbookBase), RUNBOOK,
                "an address or path without spaces or '#' (each alert adds #<its name>)"),
            custom("metrics.notificationEmails", (s, n) -> m.apply(s).notificationEmails().stream()
                .filter(e -> !EMAIL.matcher(e).matches()).findFirst()
                .map(e -> "must be a list of email addresses, but " + Rule.quote(e) + " was provided").orElse(null)),
            custom("metrics.notificationTopics", (s, n) -> m.apply(s).notificationTopics().stream()
                .filter(t -> !TOPIC.matcher(t).matches()).findFirst()
                .map(t -> "must be a list of Pub/Sub topics (projects/<project>/topics/<topic>), but " + Rule.quote(t)
                    + " was provided").orElse(null)),
            custom("metrics.notificationEmails", (s, n) -> m.apply(s).notifies()
                    && !(m.apply(s).podMonitoring(s.onGke()) && m.apply(s).alertRules())
                ? "and " + n.key("metrics.notificationTopics") + " need " + n.key("metrics.podMonitoring") + " and "
                    + n.key("metrics.alertRules") + " true (Cloud Monitoring evaluates the alerts on the managed "
                    + "Prometheus metrics), but they are not" : null),
            ProductionGuards.pinned("memcached.exporterImage", s -> s.cache().memcached().exporterImage()));
    }

    // The memcached shards: the resize block, then the rest.

    private static List<Rule<Settings>> resizeRules() {
        Function<Settings, ResizeSpec> r = s -> s.cache().memcached().resize();
        return Stream.<Rule<Settings>>of(
            custom("memcached.resize.from", (s, n) -> r.apply(s).from() == null
                ? "is required in a resize block (the number of pods clients use now, e.g. from: 3)" : null),
            between("memcached.resize.from", r.andThen(ResizeSpec::from), 1, 64),
            custom("memcached.resize.startTime", (s, n) -> r.apply(s).startTime() == null
                ? "is required in a resize block (" + Durations.TIME_TEXT + ")" : null),
            of("memcached.resize.startTime", r.andThen(ResizeSpec::startTime), t -> Durations.parseUtc(t).isPresent(),
                v -> "must be " + Durations.TIME_TEXT),
            custom("memcached.resize.window", (s, n) -> r.apply(s).window() == null
                ? "is required in a resize block (" + Durations.DURATION_TEXT + ")" : null),
            of("memcached.resize.window", r.andThen(ResizeSpec::window), w -> Durations.parse(w).isPresent(),
                v -> "must be " + Durations.DURATION_TEXT),
            of("memcached.resize.window", r.andThen(ResizeSpec::window), w -> Durations.parse(w)
                    .map(d -> d.compareTo(MIN_WINDOW) >= 0 && d.compareTo(MAX_WINDOW) <= 0).orElse(true),
                v -> "must be between 1m and 7d"),
            of("memcached.resize.copyTtl", r.andThen(ResizeSpec::copyTtl), w -> Durations.parse(w).isPresent(),
                v -> "must be " + Durations.DURATION_TEXT),
            of("memcached.resize.copyTtl", r.andThen(ResizeSpec::copyTtl), w -> Durations.parse(w)
                    .map(d -> d.getSeconds() >= 1 && d.compareTo(MAX_COPY_TTL) <= 0).orElse(true),
                v -> "must be between 1s and 30d"))
            .map(rule -> when(RESIZING, rule)).toList();
    }

    private static List<Rule<Settings>> memcachedRules() {
        Function<Settings, MemcachedSpec> m = s -> s.cache().memcached();
        return List.of(
            between("memcached.replicas", m.andThen(MemcachedSpec::replicas), 1, 64),
            between("memcached.memoryMiB", m.andThen(MemcachedSpec::memoryMiB), 16, 262144),
            custom("memcached.cpuMillis", (s, n) -> m.apply(s).cpuMillis() < MemcachedSizing.CPU_MILLIS_PER_THREAD
                ? "must be at least " + MemcachedSizing.CPU_MILLIS_PER_THREAD + " (one memcached worker thread per "
                    + MemcachedSizing.CPU_MILLIS_PER_THREAD + "m), but " + m.apply(s).cpuMillis()
                    + " was provided, which gives 0 threads"
                : null),
            between("memcached.maxConnections", m.andThen(MemcachedSpec::maxConnections), 64, 65536),
            ProductionGuards.pinned("memcached.image", m.andThen(MemcachedSpec::image)),
            between("memcached.warmUpSeconds", m.andThen(MemcachedSpec::warmUpSeconds), 0, 3600),
            custom("memcached.nodeSelector", (s, n) -> m.apply(s).nodeSelector().entrySet().stream()
                .filter(e -> !Formats.isLabelKey(e.getKey()) || !Formats.isLabelValue(e.getValue()))
                .findFirst()
                .map(e -> "must be Kubernetes node labels (a key such as cloud.google.com/gke-nodepool, a value of at most "
                    + "63 letters, digits, '-', '_' or '.'), but " + Rule.quote(e.getKey() + ": " + e.getValue())
                    + " was provided")
                .orElse(null)),
            custom("memcached.resize.from", (s, n) -> m.apply(s).resize() != null && m.apply(s).resize().from() != null
                    && m.apply(s).resize().from() == m.apply(s).replicas()
                ? "must differ from " + n.key("memcached.replicas") + " (" + m.apply(s).replicas() + "), but "
                    + m.apply(s).resize().from() + " was provided: nothing moves; remove the resize block" : null));
    }

    // The proxies.

    private static List<Rule<Settings>> mcrouterRules() {
        Function<Settings, McrouterSpec> r = s -> s.cache().mcrouter();
        return List.of(
            ProductionGuards.pinned("mcrouter.image", r.andThen(McrouterSpec::image)),
            between("mcrouter.port", r.andThen(McrouterSpec::port), 1024, 65535),
            custom("mcrouter.port", (s, n) -> EXPORTERS.test(s) && r.apply(s).port() == MCROUTER_EXPORTER_PORT
                ? "must not be " + MCROUTER_EXPORTER_PORT + ", the mcrouter exporter's port, but " + r.apply(s).port()
                    + " was provided" : null),
            between("mcrouter.cpuMillis", r.andThen(McrouterSpec::cpuMillis), 50, 16000),
            between("mcrouter.memoryMiB", r.andThen(McrouterSpec::memoryMiB), 64, 65536),
            // The smoke test's pods and `kubectl run` pods are let in besides (the composition root adds them).
            custom("mcrouter.allowedClients", (s, n) -> r.apply(s).allowedClients().isEmpty()
                    && s.cache().networkPolicy().enabled() && !s.cache().networkPolicy().allowKubectlRun()
                    && !s.cache().smokeTest().enabled()
                ? "must name at least one client selector while the NetworkPolicy is on, but [] was provided" : null),
            between("mcrouter.serverTimeoutMs", r.andThen(McrouterSpec::serverTimeoutMs), 10, 10000),
            between("mcrouter.probeTimeoutInitialMs", r.andThen(McrouterSpec::probeTimeoutInitialMs), 100, 60000),
            custom("mcrouter.probeTimeoutMaxMs", (s, n) -> r.apply(s).probeTimeoutMaxMs() >= r.apply(s).probeTimeoutInitialMs()
                    && r.apply(s).probeTimeoutMaxMs() <= 600000 ? null
                : "must be between " + n.key("mcrouter.probeTimeoutInitialMs") + " (" + r.apply(s).probeTimeoutInitialMs()
                    + ") and 600000, but " + r.apply(s).probeTimeoutMaxMs() + " was provided"),
            between("mcrouter.timeoutsUntilTko", r.andThen(McrouterSpec::timeoutsUntilTko), 1, 100),
            between("mcrouter.reconfigurationDelayMs", r.andThen(McrouterSpec::reconfigurationDelayMs), 100, 60000),
            when(EXPORTERS, ProductionGuards.pinned("mcrouter.exporterImage", r.andThen(McrouterSpec::exporterImage))),
            between("mcrouter.rolloutWaitSeconds", r.andThen(McrouterSpec::rolloutWaitSeconds), 30, 3600));
    }

    // The sample application and the smoke test, when they are on.

    private static List<Rule<Settings>> sampleAppRules() {
        Function<Settings, SampleAppSpec> a = s -> s.cache().sampleApp();
        return Stream.<Rule<Settings>>of(
            between("sampleApp.replicas", a.andThen(SampleAppSpec::replicas), 0, 100),
            ProductionGuards.pinned("sampleApp.image", a.andThen(SampleAppSpec::image)),
            between("sampleApp.cpuMillis", a.andThen(SampleAppSpec::cpuMillis), 10, 4000),
            between("sampleApp.memoryMiB", a.andThen(SampleAppSpec::memoryMiB), 32, 8192))
            .map(r -> when(SAMPLE_APP, r)).toList();
    }

    private static List<Rule<Settings>> smokeTestRules() {
        // Also the rollout check's image: checked whether the smoke test runs or not.
        return List.of(ProductionGuards.pinned("smokeTest.image", s -> s.cache().smokeTest().image()));
    }

    // Mutual TLS, when it is on.

    /** The shortest validity: cert-manager's minimum is an hour, and a renewal needs room before expiry. */
    public static final Duration MIN_CERT_DURATION = Duration.ofHours(2);
    public static final Duration MAX_CERT_DURATION = Duration.ofDays(3650);
    /**
     * The shortest renewal lead: mcrouter reads its certificate files again 30 minutes after it last read them
     * (mcrouter lib/network/ThreadLocalSSLContextProvider.cpp, {@code kSslReloadInterval}), kubelet needs a minute or
     * two to swap a renewed Secret's files, and the old certificate must stay valid until then.
     */
    public static final Duration MIN_RENEW_BEFORE = Duration.ofHours(1);
    static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private static List<Rule<Settings>> tlsRules() {
        Function<Settings, TlsSpec> t = s -> s.cache().tls();
        Predicate<Settings> on = s -> t.apply(s).enabled(s.environment());
        return Stream.<Rule<Settings>>of(
            of("tls.issuer", t.andThen(TlsSpec::issuer), v -> v.length() <= 253 && DNS_SUBDOMAIN.matcher(v).matches(),
                v -> "must be the name of a cert-manager issuer (a DNS subdomain: lower-case letters, digits, '-' and '.')"),
            of("tls.issuerKind", t.andThen(TlsSpec::issuerKind), v -> v.equals("Issuer") || v.equals("ClusterIssuer"),
                v -> "must be Issuer or ClusterIssuer"),
            of("tls.duration", t.andThen(TlsSpec::duration), v -> Durations.parse(v).isPresent(),
                v -> "must be " + Durations.DURATION_TEXT),
            of("tls.duration", t.andThen(TlsSpec::duration), v -> Durations.parse(v)
                    .map(d -> d.compareTo(MIN_CERT_DURATION) >= 0 && d.compareTo(MAX_CERT_DURATION) <= 0).orElse(true),
                v -> "must be between 2h and 3650d"),
            of("tls.renewBefore", t.andThen(TlsSpec::renewBefore), v -> Durations.parse(v).isPresent(),
                v -> "must be " + Durations.DURATION_TEXT),
            custom("tls.renewBefore", (s, n) -> {
                var renew = Durations.parse(t.apply(s).renewBefore());
                var duration = Durations.parse(t.apply(s).duration());
                if (renew.isEmpty() || duration.isEmpty()) {
                    return null;
                }
                return renew.get().compareTo(MIN_RENEW_BEFORE) >= 0 && renew.get().compareTo(duration.get()) < 0 ? null
                    : "must be at least 1h (the proxies read renewed certificates after up to 30 minutes) and less than "
                        + n.key("tls.duration") + " (" + t.apply(s).duration() + "), but " + Rule.quote(t.apply(s).renewBefore())
                        + " was provided";
            }),
            ProductionGuards.pinned("tls.clientImage", t.andThen(TlsSpec::clientImage)))
            .map(r -> when(on, r)).toList();
    }

    // Across sections: names once combined, where a setting applies.

    private static List<Rule<Settings>> acrossSections() {
        Predicate<Settings> stackOnGke = s -> s.cluster().isPresent();
        Predicate<Settings> stackOffGke = s -> s.stack().isPresent() && s.cluster().isEmpty();
        return List.of(
            matches("namePrefix", s -> s.cache().namePrefix(), Formats.DNS_LABEL, Formats.DNS_LABEL_TEXT),
            custom("namePrefix", (s, n) -> s.cache().namePrefix().length() <= MAX_PREFIX ? null
                : "must be at most " + MAX_PREFIX + " characters, so that the StatefulSet <prefix>-memcached (at most "
                    + MAX_STATEFULSET_NAME + ") and its pods' names stay valid DNS labels, but "
                    + Rule.quote(s.cache().namePrefix()) + " (" + s.cache().namePrefix().length() + " characters) was provided"),
            custom("gcp:project", (s, n) -> stackOnGke.test(s) && s.gcpProject().isEmpty()
                ? "is not set; a GKE stack needs it: pulumi config set gcp:project <your-project-id>" : null),
            custom("gcp:project", (s, n) -> stackOnGke.test(s)
                    && s.gcpProject().filter(id -> !Formats.GCP_PROJECT.matcher(id).matches()).isPresent()
                ? "must be a GCP project id (6 to 30 lower-case letters, digits and '-', starting with a letter), but "
                    + Rule.quote(s.gcpProject().get()) + " was provided" : null),
            custom("cluster", (s, n) -> stackOffGke.test(s) && s.stack().get().cluster() != null
                ? "is only used with " + n.key("platform") + " gke, but the platform is 'existing'; remove it" : null),
            custom("kubeContext", (s, n) -> stackOnGke.test(s) && s.stack().get().kubeContext() != null
                ? "is only used with " + n.key("platform") + " existing (a GKE stack builds its own kubeconfig), but "
                    + Rule.quote(s.stack().get().kubeContext()) + " was provided" : null),
            custom("memcached.nodeSelector", (s, n) -> stackOnGke.test(s) && !s.cache().memcached().nodeSelector().isEmpty()
                ? "is set by the program on GKE stacks (the shards run on the cluster's node pool), but "
                    + s.cache().memcached().nodeSelector() + " was provided; remove it" : null));
    }

    private static List<Rule<Settings>> notifications() {
        return List.of(
            cloudMonitoringOnly("metrics.notificationEmails", s -> s.cache().metrics().notificationEmails()),
            cloudMonitoringOnly("metrics.notificationTopics", s -> s.cache().metrics().notificationTopics()));
    }

    /** Notifications go through Cloud Monitoring: a GKE stack's, or that of the cluster a package user names. */
    private static Rule<Settings> cloudMonitoringOnly(String path, Function<Settings, List<String>> value) {
        return custom(path, (s, n) -> value.apply(s).isEmpty() || s.onGke() ? null
            : s.stack().isPresent()
                ? "is only used with " + n.key("platform") + " gke (Cloud Monitoring sends the notifications), but the "
                    + "platform is 'existing'; remove it"
                : "is only used with " + n.key("gke") + " (the GKE cluster whose Cloud Monitoring sends the "
                    + "notifications), but it is not set; set it or remove " + n.key(path));
    }

    // The component package's own: the cluster it names.

    private static List<Rule<Settings>> packageRules() {
        Predicate<Settings> named = s -> s.gke().isPresent();
        return Stream.<Rule<Settings>>of(
            custom("gke.project", (s, n) -> s.gke().get().project() == null
                ? "is required with " + n.key("gke") + " (the GCP project of the cluster)" : null),
            matches("gke.project", s -> s.gke().get().project(), Formats.GCP_PROJECT,
                "a GCP project id (6 to 30 lower-case letters, digits and '-', starting with a letter)"),
            custom("gke.cluster", (s, n) -> s.gke().get().cluster() == null
                ? "is required with " + n.key("gke") + " (the cluster's name)" : null),
            matches("gke.cluster", s -> s.gke().get().cluster(), CLUSTER_NAME,
                "a GKE cluster name (lower-case letters, digits and '-', starting with a letter, at most 40 characters)"))
            .map(r -> when(named, r)).toList();
    }

    /** Every problem with {@code settings}, in table order. */
    public static List<String> check(Settings settings, io.memcachedgke.config.Naming naming) {
        return Rule.checkAll(TABLE, settings, naming).stream().filter(Objects::nonNull).toList();
    }
}
