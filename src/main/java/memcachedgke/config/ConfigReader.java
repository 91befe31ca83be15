package memcachedgke.config;

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
import java.util.function.Function;
import java.util.stream.Stream;
import memcachedgke.gke.GkeClusterArgs;
import memcachedgke.gke.ReleaseChannel;
import memcachedgke.kube.ClientSelector;
import memcachedgke.mcrouter.Exposure;
import memcachedgke.mcrouter.McrouterArgs;
import memcachedgke.memcached.MemcachedArgs;
import memcachedgke.metrics.MetricsArgs;
import memcachedgke.metrics.Scraper;
import memcachedgke.namespace.CacheNamespaceArgs;
import memcachedgke.namespace.PodSecurityLevel;
import memcachedgke.sampleapp.SampleAppArgs;
import memcachedgke.sizing.MachineTypes;
import memcachedgke.sizing.NodeFit;
import memcachedgke.smoke.SmokeTestArgs;

/**
 * The one place stack configuration is read. Everything a stack can set is here, under
 * {@code memcached-gke:}; what is not set keeps the tier's documented default. Every problem is
 * collected and reported together, before any resource exists.
 */
public final class ConfigReader {
    private ConfigReader() {}

    public static final String PROJECT = "memcached-gke";
    static final String P = PROJECT + ":";

    private static final List<String> SCALAR_KEYS =
        List.of("platform", "environment", "namePrefix", "namespace", "kubeContext", "nodeMemoryMiB");
    private static final List<String> OBJECT_KEYS =
        List.of("networkPolicy", "cluster", "metrics", "memcached", "mcrouter", "sampleApp", "smokeTest");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads the stack's configuration from the Pulumi engine. */
    public static StackConfig read(Context ctx) {
        return read(key -> ctx.config().get(key), ctx.config("gcp").get("project"));
    }

    /**
     * @param config     a project config key ({@code replicas}, without {@code memcached-gke:}) to its
     *                   value as the engine passes it: a string, objects and lists as JSON
     * @param gcpProject {@code gcp:project}
     * @throws InvalidConfigException with every problem found
     */
    public static StackConfig read(Function<String, Optional<String>> config, Optional<String> gcpProject) {
        var problems = new ArrayList<String>();
        var root = new Section(P, rootNode(config, problems), problems);

        var platform = new Platform[] {Platform.GKE};
        root.choice("platform", Platform.configValues(), Platform::fromConfig, v -> platform[0] = v);
        var environment = new Environment[] {Environment.DEVELOPMENT};
        root.choice("environment", Environment.configValues(), Environment::fromConfig, v -> environment[0] = v);
        var prefix = new String[] {memcachedgke.kube.Names.DEFAULT_PREFIX};
        root.string("namePrefix", v -> prefix[0] = v);
        var namespace = new String[] {memcachedgke.kube.Names.DEFAULT_NAMESPACE};
        root.string("namespace", v -> namespace[0] = v);
        var kubeContext = new String[1];
        root.string("kubeContext", v -> kubeContext[0] = v);
        var nodeMemory = new Integer[1];
        root.integer("nodeMemoryMiB", v -> nodeMemory[0] = v);

        // networkPolicy: these two switches exist only here, so their defaults are written here.
        var netpol = section(root, "networkPolicy", problems);
        var policies = new boolean[] {true, false};
        netpol.bool("enabled", v -> policies[0] = v);
        netpol.bool("allowKubectlRun", v -> policies[1] = v);
        netpol.rejectUnknown();
        var kubectlRun = policies[1] ? List.of(ClientSelector.KUBECTL_RUN) : List.<ClientSelector>of();

        var clusterSection = section(root, "cluster", problems);
        Optional<GkeClusterArgs> cluster = Optional.empty();
        if (platform[0] == Platform.GKE) {
            cluster = Optional.of(readCluster(clusterSection, gcpProject.orElse("")));
        }

        // metrics: shared by both cache tiers. A PodMonitoring needs GKE's managed Prometheus and something
        // to scrape: off the platform gke, or without the exporters, it is off unless set.
        var x = section(root, "metrics", problems);
        var metricsBuilder = MetricsArgs.builder();
        var exporters = new boolean[] {MetricsArgs.builder().build().exporters()};
        x.bool("exporters", v -> exporters[0] = v);
        metricsBuilder.exporters(exporters[0]);
        if (platform[0] != Platform.GKE || !exporters[0]) {
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
        x.rejectUnknown();
        var metrics = metricsBuilder.build();

        var m = section(root, "memcached", problems);
        var memcached = MemcachedArgs.builder().namePrefix(prefix[0]).namespace(namespace[0])
            .networkPolicy(policies[0]).spreadZones(cluster.map(GkeClusterArgs::regional).orElse(false))
            .metrics(metrics);
        m.integer("replicas", memcached::replicas);
        m.integer("memoryMiB", memcached::memoryMiB);
        m.integer("cpuMillis", memcached::cpuMillis);
        m.integer("maxConnections", memcached::maxConnections);
        m.string("image", memcached::image);
        m.string("exporterImage", memcached::exporterImage);
        var directClients = new ArrayList<>(kubectlRun);
        m.labelMaps("directClients", maps -> maps.forEach(l -> directClients.add(ClientSelector.labels(l))));
        memcached.directClients(directClients);
        m.rejectUnknown();

        // smokeTest: read before mcrouter, whose NetworkPolicy must admit the test's pods.
        var t = section(root, "smokeTest", problems);
        var smokeEnabled = new boolean[] {true};
        t.bool("enabled", v -> smokeEnabled[0] = v);
        var smoke = SmokeTestArgs.builder().namePrefix(prefix[0]).namespace(namespace[0]);
        t.string("image", smoke::image);
        t.rejectUnknown();

        var r = section(root, "mcrouter", problems);
        var mcrouter = McrouterArgs.builder().namePrefix(prefix[0]).namespace(namespace[0]).networkPolicy(policies[0])
            .metrics(metrics);
        r.string("image", mcrouter::image);
        r.string("exporterImage", mcrouter::exporterImage);
        r.integer("port", mcrouter::port);
        r.choice("exposure", Exposure.configValues(), Exposure::fromConfig, mcrouter::exposure);
        r.integer("cpuMillis", mcrouter::cpuMillis);
        r.integer("memoryMiB", mcrouter::memoryMiB);
        var clientsGiven = new boolean[1];
        var allowed = new ArrayList<ClientSelector>();
        r.labelMaps("allowedClients", maps -> {
            clientsGiven[0] = true;
            maps.forEach(l -> allowed.add(ClientSelector.labels(l)));
        });
        var mcrouterDefaults = McrouterArgs.builder().build();
        allowed.addAll(0, clientsGiven[0] ? List.of() : mcrouterDefaults.allowedClients());
        allowed.addAll(kubectlRun);
        if (smokeEnabled[0]) {
            allowed.add(SmokeTestArgs.client(prefix[0]));
        }
        mcrouter.allowedClients(allowed);
        r.rejectUnknown();

        var a = section(root, "sampleApp", problems);
        var appEnabled = new boolean[] {true};
        a.bool("enabled", v -> appEnabled[0] = v);
        var app = SampleAppArgs.builder().namePrefix(prefix[0]).namespace(namespace[0]);
        a.integer("replicas", app::replicas);
        a.string("image", app::image);
        a.integer("cpuMillis", app::cpuMillis);
        a.integer("memoryMiB", app::memoryMiB);
        a.rejectUnknown();

        var builtMemcached = memcached.build();
        var builtMcrouter = mcrouter.build();
        var builtApp = app.build();
        var builtSmoke = smoke.build();
        var ns = CacheNamespaceArgs.of(namespace[0],
            builtMcrouter.exposure() == Exposure.HOST_PORT ? PodSecurityLevel.PRIVILEGED : PodSecurityLevel.RESTRICTED,
            prefix[0], policies[0]);

        cluster.ifPresent(c -> problems.addAll(c.problems(P + "cluster.")));
        problems.addAll(ns.problems(P));
        problems.addAll(metrics.problems(P + "metrics."));
        problems.addAll(builtMemcached.problems(P + "memcached."));
        problems.addAll(builtMcrouter.problems(P + "mcrouter."));
        if (appEnabled[0]) {
            problems.addAll(builtApp.problems(P + "sampleApp."));
        }
        if (smokeEnabled[0]) {
            problems.addAll(builtSmoke.problems(P + "smokeTest."));
        }

        var facts = new StackFacts(platform[0], environment[0], prefix[0], gcpProject, kubeContext[0],
            clusterSection.present(), cluster, builtMemcached, policies[0]);
        problems.addAll(Rule.checkAll(StackRules.RULES, facts, P));

        Optional<NodeFit> fit = Optional.empty();
        if (problems.isEmpty()) {
            fit = nodeFit(cluster, nodeMemory[0], builtMemcached, builtMcrouter, appEnabled[0] ? builtApp : null);
            fit.filter(f -> !f.fits()).ifPresent(f -> problems.add(P + "memcached.memoryMiB " + builtMemcached.memoryMiB()
                + " does not fit: " + f.shortfall()));
        }
        InvalidConfigException.throwIfAny(problems);
        return new StackConfig(platform[0], environment[0], cluster, Optional.ofNullable(kubeContext[0]), ns,
            builtMemcached, builtMcrouter, appEnabled[0] ? Optional.of(builtApp) : Optional.empty(),
            smokeEnabled[0] ? Optional.of(builtSmoke) : Optional.empty(), fit);
    }

    private static GkeClusterArgs readCluster(Section c, String project) {
        var b = GkeClusterArgs.builder().project(project);
        c.string("name", b::name);
        c.string("location", b::location);
        c.strings("nodeLocations", b::nodeLocations);
        c.integer("nodeCount", b::nodeCount);
        c.integer("minNodes", b::minNodes);
        c.integer("maxNodes", b::maxNodes);
        c.string("machineType", b::machineType);
        c.bool("spot", b::spot);
        c.choice("releaseChannel", ReleaseChannel.names(),
            v -> Stream.of(ReleaseChannel.values()).filter(rc -> rc.name().equals(v)).findFirst(), b::releaseChannel);
        c.bool("deletionProtection", b::deletionProtection);
        c.bool("privateNodes", b::privateNodes);
        c.strings("masterAuthorizedNetworks", b::masterAuthorizedNetworks);
        c.string("masterCidr", b::masterCidr);
        c.string("subnetCidr", b::subnetCidr);
        c.string("podsCidr", b::podsCidr);
        c.string("servicesCidr", b::servicesCidr);
        c.string("maintenanceStart", b::maintenanceStart);
        c.bool("artifactRegistryReader", b::artifactRegistryReader);
        c.rejectUnknown();
        return b.build();
    }

    private static Optional<NodeFit> nodeFit(Optional<GkeClusterArgs> cluster, Integer nodeMemoryMiB,
                                             MemcachedArgs memcached, McrouterArgs mcrouter, SampleAppArgs app) {
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
        return Optional.of(NodeFit.of(machineType.orElse("existing"), machineMiB, nodes, memcached.replicas(),
            memcached.sizing(), mcrouter.memoryMiB(), memcached.metrics().exporterMiB(),
            app == null ? 0 : app.replicas(), app == null ? 0 : app.memoryMiB()));
    }

    /** The fewest nodes the cluster runs: per-zone minimum (or fixed count) times the zones. */
    static int fewestNodes(GkeClusterArgs c) {
        int zones = !c.regional() ? 1 : c.nodeLocations().isEmpty() ? 3 : c.nodeLocations().size();
        int perZone = c.autoscaling() ? Math.max(1, c.minNodes()) : c.nodeCount();
        return perZone * zones;
    }

    private static ObjectNode rootNode(Function<String, Optional<String>> config, List<String> problems) {
        var root = JsonNodeFactory.instance.objectNode();
        for (var key : SCALAR_KEYS) {
            config.apply(key).ifPresent(v -> root.set(key, TextNode.valueOf(v)));
        }
        for (var key : OBJECT_KEYS) {
            config.apply(key).ifPresent(v -> {
                try {
                    root.set(key, JSON.readTree(v));
                } catch (JsonProcessingException e) {
                    root.set(key, TextNode.valueOf(v));
                }
            });
        }
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
                      MemcachedArgs memcached, boolean networkPolicy) {
        boolean gke() {
            return platform == Platform.GKE;
        }

        boolean production() {
            return environment == Environment.PRODUCTION;
        }
    }
}
