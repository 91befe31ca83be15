package io.memcachedgke.stack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.pulumi.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import io.memcachedgke.config.Environment;
import io.memcachedgke.config.Formats;
import io.memcachedgke.config.InvalidConfigException;
import io.memcachedgke.config.Json;
import io.memcachedgke.config.Platform;
import io.memcachedgke.config.Rule;
import io.memcachedgke.config.Suggest;
import io.memcachedgke.gke.GkeClusterArgs;
import io.memcachedgke.gke.ReleaseChannel;
import io.memcachedgke.kube.ClientSelector;
import io.memcachedgke.kube.Names;
import io.memcachedgke.mcrouter.Exposure;
import io.memcachedgke.mcrouter.McrouterArgs;
import io.memcachedgke.memcached.Memcached;
import io.memcachedgke.memcached.MemcachedArgs;
import io.memcachedgke.memcached.Resize;
import io.memcachedgke.metrics.MetricsArgs;
import io.memcachedgke.metrics.Scraper;
import io.memcachedgke.namespace.CacheNamespaceArgs;
import io.memcachedgke.namespace.PodSecurityLevel;
import io.memcachedgke.sampleapp.SampleAppArgs;
import io.memcachedgke.sizing.MachineTypes;
import io.memcachedgke.sizing.NodeFit;
import io.memcachedgke.smoke.SmokeTestArgs;

/**
 * The one place stack configuration is read. Everything a stack can set is here, under
 * {@code memcached-gke:}; what is not set keeps the tier's documented default. Every problem is
 * collected and reported together, before any resource exists.
 */
public final class ConfigReader {
    private ConfigReader() {}

    public static final String PROJECT = "memcached-gke";
    static final String P = PROJECT + ":";

    private static final ObjectMapper JSON = Json.MAPPER;

    /** Reads the stack's configuration from the Pulumi engine: every key of every namespace. */
    public static StackConfig read(Context ctx) {
        return read(EngineConfig.all());
    }

    /**
     * @param config every configuration key, namespace included ({@code memcached-gke:memcached},
     *               {@code gcp:project}), to its value as the engine passes it: a string, objects and lists as JSON
     * @throws InvalidConfigException with every problem found
     */
    public static StackConfig read(Map<String, String> config) {
        return read(config, java.time.Clock.systemUTC());
    }

    /**
     * @param clock only for warnings (a resize starting too soon): the configuration read never depends on it
     */
    public static StackConfig read(Map<String, String> config, java.time.Clock clock) {
        var problems = new ArrayList<String>();
        var warnings = new ArrayList<String>();
        problems.addAll(ConfigNamespaces.problems(config.keySet()));
        Optional<String> gcpProject = Optional.ofNullable(config.get("gcp:project"));
        var root = new Section(P, rootNode(config), problems);
        var common = readCommon(root, section(root, "networkPolicy", problems));
        var clusterSection = section(root, "cluster", problems);
        var soak = new Integer[1];
        var clusterBuilder = common.platform() == Platform.GKE
            ? Optional.of(readCluster(clusterSection, gcpProject.orElse(""), v -> soak[0] = v)) : Optional.<GkeClusterArgs.Builder>empty();
        var memcachedSection = section(root, "memcached", problems);
        var mcrouterSection = section(root, "mcrouter", problems);
        var metrics = readMetrics(section(root, "metrics", problems), common.platform(), memcachedSection);
        var memcached = readMemcached(memcachedSection, common, clusterBuilder.map(GkeClusterArgs.Builder::build));
        // Production drains one node at a time with a soak of a shard's warm-up plus its start; elsewhere nodes surge.
        Optional<GkeClusterArgs> cluster = clusterBuilder.map(b -> b.upgradeSoakSeconds(soak[0] != null ? soak[0]
            : common.environment() == Environment.PRODUCTION ? memcached.warmUpSeconds() + Memcached.POD_START_SECONDS : 0)
            .build());
        // Before mcrouter, whose NetworkPolicy must admit the smoke test's pods and whose check uses its image.
        var smoke = readSmokeTest(section(root, "smokeTest", problems), common);
        var mcrouter = readMcrouter(mcrouterSection, common, metrics, smoke);
        var app = readSampleApp(section(root, "sampleApp", problems), common);
        // Last: every top-level key has been asked for by now, so what is left is a typo.
        root.rejectUnknown();
        var ns = CacheNamespaceArgs.of(common.namespace(),
            mcrouter.exposure() == Exposure.HOST_PORT ? PodSecurityLevel.PRIVILEGED : PodSecurityLevel.RESTRICTED,
            common.prefix(), common.networkPolicy());

        cluster.ifPresent(c -> problems.addAll(c.problems(P + "cluster.")));
        problems.addAll(ns.problems(P));
        problems.addAll(metrics.problems(P + "metrics.", P + "memcached."));
        problems.addAll(memcached.problems(P + "memcached."));
        problems.addAll(mcrouter.problems(P + "mcrouter."));
        app.ifPresent(a -> problems.addAll(a.problems(P + "sampleApp.")));
        smoke.ifPresent(t -> problems.addAll(t.problems(P + "smokeTest.")));
        problems.addAll(Rule.checkAll(StackRules.RULES, new StackFacts(common.platform(), common.environment(),
            common.prefix(), gcpProject, common.kubeContext(), clusterSection.present(), cluster, memcached,
            common.networkPolicy(), metrics), P));

        unknownMachineType(cluster, common).ifPresent(m -> (common.environment() == Environment.PRODUCTION
            ? problems : warnings).add(m));
        if (problems.isEmpty()) {
            resizeStartsTooSoon(memcached, clock).ifPresent(warnings::add);
        }
        Optional<NodeFit> fit = Optional.empty();
        if (problems.isEmpty()) {
            fit = nodeFit(cluster, common.nodeMemoryMiB(), memcached, mcrouter, metrics, app.orElse(null));
            fit.filter(f -> !f.fits()).ifPresent(f -> problems.add(P + "memcached.memoryMiB " + memcached.memoryMiB()
                + " does not fit: " + f.shortfall()));
        }
        InvalidConfigException.throwIfAny(problems);
        return new StackConfig(common.platform(), common.environment(), cluster, Optional.ofNullable(common.kubeContext()),
            ns, memcached, mcrouter, metrics, app, smoke, fit, warnings);
    }

    /**
     * The top-level keys and the networkPolicy switches, which every tier reads.
     *
     * @param kubectlRun the extra client selector of {@code networkPolicy.allowKubectlRun}, or none
     */
    record Common(Platform platform, Environment environment, String prefix, String namespace, String kubeContext,
                  Integer nodeMemoryMiB, boolean networkPolicy, List<ClientSelector> kubectlRun) {}

    private static Common readCommon(Section root, Section netpol) {
        var platform = new Platform[] {Platform.GKE};
        root.choice("platform", Platform.class, v -> platform[0] = v);
        var environment = new Environment[] {Environment.DEVELOPMENT};
        root.choice("environment", Environment.class, v -> environment[0] = v);
        var prefix = new String[] {Names.DEFAULT_PREFIX};
        root.string("namePrefix", v -> prefix[0] = v);
        var namespace = new String[] {Names.DEFAULT_NAMESPACE};
        root.string("namespace", v -> namespace[0] = v);
        var kubeContext = new String[1];
        root.string("kubeContext", v -> kubeContext[0] = v);
        var nodeMemory = new Integer[1];
        root.integer("nodeMemoryMiB", v -> nodeMemory[0] = v);
        // These two switches exist only here, so their defaults are written here.
        var policies = new boolean[] {true, false};
        netpol.bool("enabled", v -> policies[0] = v);
        netpol.bool("allowKubectlRun", v -> policies[1] = v);
        netpol.rejectUnknown();
        return new Common(platform[0], environment[0], prefix[0], namespace[0], kubeContext[0], nodeMemory[0],
            policies[0], policies[1] ? List.of(ClientSelector.KUBECTL_RUN) : List.of());
    }

    /**
     * Shared by both cache tiers. A PodMonitoring needs GKE's managed Prometheus and something to scrape:
     * off the platform gke, or without the exporters, it is off unless set.
     */
    private static MetricsArgs readMetrics(Section x, Platform platform, Section memcached) {
        var metricsBuilder = MetricsArgs.builder();
        // The memcached exporter's image keeps its key under memcached (where users look for it).
        memcached.string("exporterImage", metricsBuilder::memcachedExporterImage);
        var exporters = new boolean[] {MetricsArgs.builder().build().exporters()};
        x.bool("exporters", v -> exporters[0] = v);
        metricsBuilder.exporters(exporters[0]);
        if (platform != Platform.GKE || !exporters[0]) {
            metricsBuilder.podMonitoring(false);
        }
        x.bool("podMonitoring", metricsBuilder::podMonitoring);
        x.bool("serviceMonitor", metricsBuilder::serviceMonitor);
        x.string("interval", metricsBuilder::interval);
        var scraperDefaults = MetricsArgs.builder().build().scraper();
        var scraperNamespace = new String[1];
        var scraperPods = new HashMap<String, String>();
        x.string("scraperNamespace", v -> scraperNamespace[0] = v);
        x.labelMap("scraperPodLabels", scraperPods::putAll);
        if (scraperNamespace[0] != null || !scraperPods.isEmpty()) {
            metricsBuilder.scraper(new Scraper(
                scraperNamespace[0] != null
                    ? Map.of(Scraper.NAMESPACE_NAME_LABEL, scraperNamespace[0]) : scraperDefaults.namespaceLabels(),
                !scraperPods.isEmpty() ? scraperPods : scraperDefaults.podLabels()));
        }
        x.labelMap("serviceMonitorLabels", metricsBuilder::serviceMonitorLabels);
        x.bool("alertRules", metricsBuilder::alertRules);
        x.bool("dashboard", metricsBuilder::dashboard);
        x.number("hitRatioFloor", metricsBuilder::hitRatioFloor);
        x.string("runbookBase", metricsBuilder::runbookBase);
        x.strings("notificationEmails", metricsBuilder::notificationEmails);
        x.strings("notificationTopics", metricsBuilder::notificationTopics);
        x.rejectUnknown();
        return metricsBuilder.build();
    }

    private static MemcachedArgs readMemcached(Section m, Common common, Optional<GkeClusterArgs> cluster) {
        var memcached = MemcachedArgs.builder().namePrefix(common.prefix()).namespace(common.namespace())
            .networkPolicy(common.networkPolicy()).spreadZones(cluster.map(GkeClusterArgs::regional).orElse(false))
            // On GKE the shards run on the node pool of the current node settings: a replaced pool is taken over
            // one shard at a time (GkeCluster, the node pool).
            .nodeSelector(cluster.map(c -> Map.of(GkeClusterArgs.NODE_POOL_LABEL, c.nodePoolId()))
                .orElse(Map.of()))
            .environment(common.environment());
        m.integer("replicas", memcached::replicas);
        m.integer("memoryMiB", memcached::memoryMiB);
        m.integer("cpuMillis", memcached::cpuMillis);
        m.integer("maxConnections", memcached::maxConnections);
        m.string("image", memcached::image);
        m.integer("warmUpSeconds", memcached::warmUpSeconds);
        m.labelMap("nodeSelector", selector -> {
            if (cluster.isPresent()) {
                m.problem("nodeSelector", "is set by the program on GKE stacks (the shards run on the cluster's node "
                    + "pool), but " + selector + " was provided; remove it");
            } else {
                memcached.nodeSelector(selector);
            }
        });
        var directClients = new ArrayList<>(common.kubectlRun());
        m.labelMaps("directClients", maps -> maps.forEach(l -> directClients.add(ClientSelector.labels(l))));
        memcached.directClients(directClients);
        m.child("resize").ifPresent(r -> {
            var from = new Integer[1];
            var text = new String[3];
            var finish = new boolean[1];
            r.integer("from", v -> from[0] = v);
            r.string("startTime", v -> text[0] = v);
            r.string("window", v -> text[1] = v);
            r.string("copyTtl", v -> text[2] = v);
            r.bool("finish", v -> finish[0] = v);
            r.rejectUnknown();
            memcached.resize(new Resize(from[0], text[0], text[1], text[2], finish[0]));
        });
        m.rejectUnknown();
        return memcached.build();
    }

    /** @return the smoke test's args, or empty when it is turned off */
    private static Optional<SmokeTestArgs> readSmokeTest(Section t, Common common) {
        var enabled = new boolean[] {true};
        t.bool("enabled", v -> enabled[0] = v);
        var smoke = SmokeTestArgs.builder().namePrefix(common.prefix()).namespace(common.namespace());
        t.string("image", smoke::image);
        t.rejectUnknown();
        return enabled[0] ? Optional.of(smoke.build()) : Optional.empty();
    }

    private static McrouterArgs readMcrouter(Section r, Common common, MetricsArgs metrics,
                                             Optional<SmokeTestArgs> smokeTest) {
        var mcrouter = McrouterArgs.builder().namePrefix(common.prefix()).namespace(common.namespace())
            .networkPolicy(common.networkPolicy());
        r.string("image", mcrouter::image);
        var exporterImage = new String[] {McrouterArgs.builder().build().exporterImage()};
        r.string("exporterImage", v -> exporterImage[0] = v);
        mcrouter.exporterImage(metrics.exporters() ? exporterImage[0] : null);
        r.integer("port", mcrouter::port);
        r.choice("exposure", Exposure.class, mcrouter::exposure);
        r.integer("cpuMillis", mcrouter::cpuMillis);
        r.integer("memoryMiB", mcrouter::memoryMiB);
        r.integer("serverTimeoutMs", mcrouter::serverTimeoutMs);
        r.integer("probeTimeoutInitialMs", mcrouter::probeTimeoutInitialMs);
        r.integer("probeTimeoutMaxMs", mcrouter::probeTimeoutMaxMs);
        r.integer("timeoutsUntilTko", mcrouter::timeoutsUntilTko);
        r.integer("reconfigurationDelayMs", mcrouter::reconfigurationDelayMs);
        r.integer("rolloutWaitSeconds", mcrouter::rolloutWaitSeconds);
        // The rollout check runs the smoke test's image: both are busybox scripts (a bad one is reported once, there).
        smokeTest.map(SmokeTestArgs::image).filter(i -> Formats.PINNED_IMAGE.matcher(i).matches())
            .ifPresent(mcrouter::checkImage);
        var given = new ArrayList<ClientSelector>();
        var clientsGiven = new boolean[1];
        r.labelMaps("allowedClients", maps -> {
            clientsGiven[0] = true;
            maps.forEach(l -> given.add(ClientSelector.labels(l)));
        });
        r.rejectUnknown();
        var allowed = new ArrayList<>(clientsGiven[0] ? given : McrouterArgs.builder().build().allowedClients());
        allowed.addAll(common.kubectlRun());
        if (smokeTest.isPresent()) {
            allowed.add(SmokeTestArgs.client(common.prefix()));
        }
        return mcrouter.allowedClients(allowed).build();
    }

    /** @return the sample app's args, or empty when it is turned off */
    private static Optional<SampleAppArgs> readSampleApp(Section a, Common common) {
        var enabled = new boolean[] {true};
        a.bool("enabled", v -> enabled[0] = v);
        var app = SampleAppArgs.builder().namePrefix(common.prefix()).namespace(common.namespace());
        a.integer("replicas", app::replicas);
        a.string("image", app::image);
        a.integer("cpuMillis", app::cpuMillis);
        a.integer("memoryMiB", app::memoryMiB);
        a.rejectUnknown();
        return enabled[0] ? Optional.of(app.build()) : Optional.empty();
    }

    private static GkeClusterArgs.Builder readCluster(Section c, String project, Consumer<Integer> upgradeSoakSeconds) {
        var b = GkeClusterArgs.builder().project(project);
        c.string("name", b::name);
        c.string("location", b::location);
        c.strings("nodeLocations", b::nodeLocations);
        c.integer("nodeCount", b::nodeCount);
        c.integer("minNodes", b::minNodes);
        c.integer("maxNodes", b::maxNodes);
        c.string("machineType", b::machineType);
        c.bool("spot", b::spot);
        c.choice("releaseChannel", ReleaseChannel.class, b::releaseChannel);
        c.bool("deletionProtection", b::deletionProtection);
        c.bool("privateNodes", b::privateNodes);
        c.strings("masterAuthorizedNetworks", b::masterAuthorizedNetworks);
        c.string("masterCidr", b::masterCidr);
        c.string("subnetCidr", b::subnetCidr);
        c.string("podsCidr", b::podsCidr);
        c.string("servicesCidr", b::servicesCidr);
        c.string("maintenanceStart", b::maintenanceStart);
        c.bool("artifactRegistryReader", b::artifactRegistryReader);
        c.bool("connectGateway", b::connectGateway);
        c.integer("upgradeSoakSeconds", upgradeSoakSeconds);
        c.rejectUnknown();
        return b;
    }

    private static Optional<NodeFit> nodeFit(Optional<GkeClusterArgs> cluster, Integer nodeMemoryMiB,
                                             MemcachedArgs memcached, McrouterArgs mcrouter, MetricsArgs metrics,
                                             SampleAppArgs app) {
        Optional<String> machineType = cluster.map(GkeClusterArgs::machineType);
        Integer machineMiB = nodeMemoryMiB;
        if (machineMiB == null && machineType.isPresent()) {
            var known = MachineTypes.memoryMiB(machineType.get());
            machineMiB = known.isPresent() ? known.getAsInt() : null;
        }
        if (machineMiB == null) {
            return Optional.empty();
        }
        int nodes = cluster.map(ConfigReader::fewestNodes).orElse(1);
        return Optional.of(NodeFit.of(machineType.orElse("existing"), machineMiB, nodes, memcached.podCount(),
            memcached.sizing(), mcrouter.memoryMiB(), metrics.exporterMiB(),
            metrics.memcachedExporterPodMiB(memcached.podCount()),
            app == null ? 0 : app.replicas(), app == null ? 0 : app.memoryMiB()));
    }

    /**
     * A machine type the sizing table does not know: its memory, and so the fit of the pods, cannot be
     * checked. Production refuses it; elsewhere it is a warning.
     */
    private static Optional<String> unknownMachineType(Optional<GkeClusterArgs> cluster, Common common) {
        var production = common.environment() == Environment.PRODUCTION;
        return cluster.map(GkeClusterArgs::machineType)
            .filter(t -> MachineTypes.memoryMiB(t).isEmpty())
            .map(t -> production
                ? P + "cluster.machineType must be a Compute Engine machine type this program knows in production "
                    + "(otherwise the memory fit cannot be checked), but " + Rule.quote(t) + " was provided"
                    + Suggest.didYouMean(t, MachineTypes.names())
                : P + "cluster.machineType " + Rule.quote(t) + " is not a machine type this program knows"
                    + Suggest.didYouMean(t, MachineTypes.names()) + ": the memory fit is "
                    + (common.nodeMemoryMiB() == null ? "not checked (set " + P + "nodeMemoryMiB to check it)"
                        : "checked against " + P + "nodeMemoryMiB " + common.nodeMemoryMiB()));
    }

    /** How long before a move's start every proxy must have loaded the moving config (kubelet's sync and the check). */
    static final java.time.Duration RESIZE_LEAD = java.time.Duration.ofMinutes(10);

    /**
     * A move that starts within {@link #RESIZE_LEAD} (or started): on the up that introduces it, proxies load the
     * moving config over a minute or two, and until all have, one that reads the new layout can copy a key that
     * another, still on the old config, updates or deletes in the old layout only (ResizeCaveatsTest). On a later up
     * during the window this is harmless, and the config is the same whatever the clock says: a warning, not a refusal.
     */
    static Optional<String> resizeStartsTooSoon(MemcachedArgs memcached, java.time.Clock clock) {
        return memcached.resizing().filter(r -> !r.finish())
            .filter(r -> r.start().isBefore(clock.instant().plus(RESIZE_LEAD)))
            .map(r -> P + "memcached.resize.startTime " + r.startTime() + " is less than " + RESIZE_LEAD.toMinutes()
                + " minutes away: if this up starts the move, set it later (proxies load the new config over a minute "
                + "or two, and keys must not switch before all have it); on a later up during the move, ignore this");
    }

    /** The fewest nodes the cluster runs: per-zone minimum (or fixed count) times the zones. */
    static int fewestNodes(GkeClusterArgs c) {
        int zones = !c.regional() ? 1 : c.nodeLocations().isEmpty() ? 3 : c.nodeLocations().size();
        int perZone = c.autoscaling() ? Math.max(1, c.minNodes()) : c.nodeCount();
        return perZone * zones;
    }

    /** The project's keys, without {@code memcached-gke:}: objects and lists parsed, scalars as text. */
    private static ObjectNode rootNode(Map<String, String> config) {
        var root = JsonNodeFactory.instance.objectNode();
        config.forEach((key, value) -> {
            if (!key.startsWith(P)) {
                return;
            }
            var name = key.substring(P.length());
            JsonNode node = TextNode.valueOf(value);
            if (value.startsWith("{") || value.startsWith("[")) {
                try {
                    node = JSON.readTree(value);
                } catch (JsonProcessingException e) {
                    // Kept as text: the getter that reads it names the key and the value.
                }
            }
            root.set(name, node);
        });
        return root;
    }

    private static Section section(Section root, String key, List<String> problems) {
        var holder = new JsonNode[1];
        root.raw(key).ifPresent(v -> holder[0] = v);
        if (holder[0] == null) {
            return Section.empty(P + key + ".", problems);
        }
        if (!holder[0].isObject()) {
            problems.add(P + key + " must be an object (e.g. pulumi config set --path " + P + key + ".<key> <value>), but "
                + Section.show(holder[0]) + " was provided");
            return Section.empty(P + key + ".", problems);
        }
        return new Section(P + key + ".", (ObjectNode) holder[0], problems);
    }

    /** What the cross-tier rules look at. */
    record StackFacts(Platform platform, Environment environment, String namePrefix, Optional<String> gcpProject,
                      String kubeContext, boolean clusterGiven, Optional<GkeClusterArgs> cluster,
                      MemcachedArgs memcached, boolean networkPolicy, MetricsArgs metrics) {
        boolean gke() {
            return platform == Platform.GKE;
        }

        boolean production() {
            return environment == Environment.PRODUCTION;
        }
    }
}
