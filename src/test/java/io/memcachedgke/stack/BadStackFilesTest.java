package io.memcachedgke.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import io.memcachedgke.render.Render;
import io.memcachedgke.support.Stacks;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Realistic bad stack files, each as a user would write it, and the one line the render prints for it
 * (the same refusal {@code pulumi up} logs): exit 1, every problem with its full key, the value given and
 * what is allowed. Typos at every level, wrong types, wrong units, places and machines that do not exist,
 * YAML errors and production without its guards.
 */
class BadStackFilesTest {

    /** A production stack that passes, for the cases that take one guard away. */
    static final String PROD = """
        config:
          memcached-gke:environment: production
          memcached-gke:namespace: memcached
          memcached-gke:cluster:
            name: cache-prod
            location: europe-west4
            deletionProtection: true
            privateNodes: true
            masterAuthorizedNetworks: [198.51.100.0/24]
            machineType: n2-highmem-4
          memcached-gke:mcrouter:
            exposure: nodeLocalService
        """;

    static Stream<Arguments> cases() {
        return Stream.of(
            bad("several mistakes at once, all in one line", """
                config:
                  memcached-gke:namePrefx: acme
                  memcached-gke:memcached:
                    replicas: 0
                    memoryMiB: 4Gi
                  memcached-gke:cluster:
                    location: europe-west4-z
                """,
                "invalid configuration (4 problems): "
                + "memcached-gke:memcached.memoryMiB must be a whole number of MiB (4Gi is 4096), but '4Gi' was provided; "
                + "memcached-gke:namePrefx is not a known key (did you mean memcached-gke:namePrefix?); the known keys are "
                + "cluster, environment, kubeContext, mcrouter, memcached, metrics, namePrefix, namespace, networkPolicy, "
                + "nodeMemoryMiB, platform, sampleApp, smokeTest, tls; "
                + "memcached-gke:cluster.location must be a GCP zone (e.g. us-central1-f) or region (e.g. us-central1), "
                + "but 'europe-west4-z' was provided; europe-west4's zones are europe-west4-a, europe-west4-b, europe-west4-c; "
                + "memcached-gke:memcached.replicas must be between 1 and 64, but 0 was provided"),
            bad("a resize to the size it already has", """
                config:
                  memcached-gke:memcached:
                    replicas: 3
                    resize:
                      from: 3
                      startTime: "2026-12-01T10:00:00Z"
                      window: 1h
                """,
                "invalid configuration (1 problem): memcached-gke:memcached.resize.from must differ from memcached-gke:memcached.replicas (3), "
                + "but 3 was provided: nothing moves; remove the resize block"),
            bad("a resize window under a minute", """
                config:
                  memcached-gke:memcached:
                    replicas: 4
                    resize:
                      from: 3
                      startTime: "2026-12-01T10:00:00Z"
                      window: 30s
                """,
                "invalid configuration (1 problem): memcached-gke:memcached.resize.window must be between 1m and 7d, "
                + "but '30s' was provided"),
            bad("a resize block without from", """
                config:
                  memcached-gke:memcached:
                    replicas: 4
                    resize:
                      startTime: "2026-12-01T10:00:00Z"
                      window: 1h
                """,
                "invalid configuration (1 problem): memcached-gke:memcached.resize.from is required in a resize block (the number of pods clients use now, "
                + "e.g. from: 3)"),
            bad("a resize start time that is not UTC, and a window in words", """
                config:
                  memcached-gke:memcached:
                    replicas: 4
                    resize:
                      from: 3
                      startTime: "2026-12-01 10:00"
                      window: one hour
                      stratTime: "2026-12-01T10:00:00Z"
                """,
                "invalid configuration (3 problems): memcached-gke:memcached.resize.stratTime is not a known key (did you mean memcached-gke:memcached.resize.startTime?); "
                + "the known keys are copyTtl, finish, from, startTime, window; "
                + "memcached-gke:memcached.resize.startTime must be an RFC 3339 time in UTC such as 2026-12-01T10:00:00Z, "
                + "but '2026-12-01 10:00' was provided; "
                + "memcached-gke:memcached.resize.window must be a duration such as 30m, 1h or 1h30m, "
                + "but 'one hour' was provided"),
            bad("a whole section misspelt", """
                config:
                  memcached-gke:memcahced:
                    replicas: 4
                    memoryMiB: 4096
                """,
                "invalid configuration (1 problem): memcached-gke:memcahced is not a known key (did you mean memcached-gke:memcached?); "
                + "the known keys are cluster, environment, kubeContext, mcrouter, memcached, metrics, "
                + "namePrefix, namespace, networkPolicy, nodeMemoryMiB, platform, sampleApp, smokeTest, tls"),
            bad("a top-level key misspelt", """
                config:
                  memcached-gke:namePrefx: acme
                """,
                "invalid configuration (1 problem): memcached-gke:namePrefx is not a known key (did you mean memcached-gke:namePrefix?); "
                + "the known keys are cluster, environment, kubeContext, mcrouter, memcached, metrics, "
                + "namePrefix, namespace, networkPolicy, nodeMemoryMiB, platform, sampleApp, smokeTest, tls"),
            bad("the project namespace misspelt", """
                config:
                  memcached-gek:sampleApp:
                    replicas: 2
                """,
                "invalid configuration (1 problem): memcached-gek:sampleApp is in the namespace 'memcached-gek', "
                + "which nothing in this program reads (did you mean memcached-gke:sampleApp?); "
                + "the namespaces read are memcached-gke, gcp, pulumi"),
            bad("a key inside memcached misspelt", """
                config:
                  memcached-gke:memcached:
                    replica: 4
                """,
                "invalid configuration (1 problem): memcached-gke:memcached.replica is not a known key (did you mean memcached-gke:memcached.replicas?); "
                + "the known keys are cpuMillis, directClients, exporterImage, image, maxConnections, memoryMiB, nodeSelector, "
                + "replicas, resize, warmUpSeconds"),
            bad("a key inside cluster in the wrong case", """
                config:
                  memcached-gke:cluster:
                    machinetype: e2-standard-4
                """,
                "invalid configuration (1 problem): memcached-gke:cluster.machinetype is not a known key (did you mean memcached-gke:cluster.machineType?); "
                + "the known keys are artifactRegistryReader, connectGateway, deletionProtection, location, machineType, "
                + "maintenanceStart, masterAuthorizedNetworks, masterCidr, maxNodes, minNodes, name, nodeCount, "
                + "nodeLocations, podsCidr, privateNodes, releaseChannel, servicesCidr, spot, subnetCidr, upgradeSoakSeconds"),
            bad("a key inside mcrouter misspelt", """
                config:
                  memcached-gke:mcrouter:
                    exposre: nodeLocalService
                """,
                "invalid configuration (1 problem): memcached-gke:mcrouter.exposre is not a known key (did you mean memcached-gke:mcrouter.exposure?); "
                + "the known keys are allowedClients, cpuMillis, exporterImage, exposure, image, memoryMiB, port, "
                + "probeTimeoutInitialMs, probeTimeoutMaxMs, reconfigurationDelayMs, rolloutWaitSeconds, serverTimeoutMs, timeoutsUntilTko"),
            bad("a key inside metrics misspelt", """
                config:
                  memcached-gke:metrics:
                    podMonitor: true
                """,
                "invalid configuration (1 problem): memcached-gke:metrics.podMonitor is not a known key (did you mean memcached-gke:metrics.podMonitoring?); "
                + "the known keys are alertRules, dashboard, exporters, hitRatioFloor, interval, notificationEmails, "
                + "notificationTopics, podMonitoring, runbookBase, scraperNamespace, scraperPodLabels, serviceMonitor, "
                + "serviceMonitorLabels"),
            bad("alerting: a percentage for the floor, a name for an email, a topic without its project", """
                config:
                  memcached-gke:metrics:
                    hitRatioFloor: 80
                    notificationEmails: [oncall]
                    notificationTopics: [cache-alerts]
                """,
                "invalid configuration (3 problems): memcached-gke:metrics.hitRatioFloor must be a share of gets between 0 "
                + "and 1 (0.8 means 80% of gets hit), but 80.0 was provided; memcached-gke:metrics.notificationEmails must be "
                + "a list of email addresses, but 'oncall' was provided; memcached-gke:metrics.notificationTopics must be a "
                + "list of Pub/Sub topics (projects/<project>/topics/<topic>), but 'cache-alerts' was provided"),
            bad("alerting: notifications without managed Prometheus to evaluate them", """
                config:
                  memcached-gke:metrics:
                    podMonitoring: false
                    notificationEmails: [oncall@example.com]
                """,
                "invalid configuration (1 problem): memcached-gke:metrics.notificationEmails and "
                + "memcached-gke:metrics.notificationTopics need memcached-gke:metrics.podMonitoring and "
                + "memcached-gke:metrics.alertRules true (Cloud Monitoring evaluates the alerts on the managed Prometheus "
                + "metrics), but they are not"),
            bad("alerting: notifications on a cluster Cloud Monitoring does not watch", """
                config:
                  memcached-gke:platform: existing
                  memcached-gke:metrics:
                    podMonitoring: false
                    serviceMonitor: true
                    notificationTopics: [projects/acme-ops/topics/cache-alerts]
                """,
                "invalid configuration (2 problems): memcached-gke:metrics.notificationEmails and "
                + "memcached-gke:metrics.notificationTopics need memcached-gke:metrics.podMonitoring and "
                + "memcached-gke:metrics.alertRules true (Cloud Monitoring evaluates the alerts on the managed Prometheus "
                + "metrics), but they are not; memcached-gke:metrics.notificationTopics is only used with "
                + "memcached-gke:platform gke (Cloud Monitoring sends the notifications), but the platform is 'existing'; "
                + "remove it"),
            bad("a key inside networkPolicy misspelt", """
                config:
                  memcached-gke:networkPolicy:
                    enable: false
                """,
                "invalid configuration (1 problem): memcached-gke:networkPolicy.enable is not a known key (did you mean memcached-gke:networkPolicy.enabled?); "
                + "the known keys are allowKubectlRun, enabled"),
            bad("a key inside sampleApp misspelt", """
                config:
                  memcached-gke:sampleApp:
                    replcias: 2
                """,
                "invalid configuration (1 problem): memcached-gke:sampleApp.replcias is not a known key (did you mean memcached-gke:sampleApp.replicas?); "
                + "the known keys are cpuMillis, enabled, image, memoryMiB, replicas"),
            bad("a gcp provider key misspelt", """
                config:
                  gcp:projcet: my-project-1
                """,
                "invalid configuration (1 problem): gcp:projcet is not a key the gcp provider reads (did you mean gcp:project?); "
                + "see the provider's configuration reference"),
            bad("kubernetes provider config, which nothing reads", """
                config:
                  kubernetes:context: kind-kind
                """,
                "invalid configuration (1 problem): kubernetes:context is not read: the program's Kubernetes provider is explicit and takes no stack configuration; "
                + "set memcached-gke:kubeContext instead; remove it"),
            bad("a number written as a word", """
                config:
                  memcached-gke:memcached:
                    replicas: three
                """,
                "invalid configuration (1 problem): memcached-gke:memcached.replicas must be an integer, "
                + "but 'three' was provided"),
            bad("a section given as a scalar", """
                config:
                  memcached-gke:memcached: 3
                """,
                "invalid configuration (1 problem): memcached-gke:memcached must be an object (e.g. pulumi config set --path memcached-gke:memcached.<key> <value>), "
                + "but '3' was provided"),
            bad("a proxy timeout in seconds where milliseconds are asked", """
                config:
                  memcached-gke:mcrouter:
                    serverTimeoutMs: 1s
                """,
                "invalid configuration (1 problem): memcached-gke:mcrouter.serverTimeoutMs must be a whole number of "
                + "milliseconds (1s is 1000), but '1s' was provided"),
            bad("a boolean written as yes", """
                config:
                  memcached-gke:cluster:
                    deletionProtection: yes please
                """,
                "invalid configuration (1 problem): memcached-gke:cluster.deletionProtection must be true or false, "
                + "but 'yes please' was provided"),
            bad("memory in GiB where MiB are asked", """
                config:
                  memcached-gke:memcached:
                    memoryMiB: 4Gi
                """,
                "invalid configuration (1 problem): memcached-gke:memcached.memoryMiB must be a whole number of MiB (4Gi is 4096), "
                + "but '4Gi' was provided"),
            bad("CPU in cores where millicores are asked", """
                config:
                  memcached-gke:memcached:
                    cpuMillis: 0.5
                """,
                "invalid configuration (1 problem): memcached-gke:memcached.cpuMillis must be a whole number of millicores (1000 is one CPU; "
                + "0.5 is 500), but 0.5 was provided"),
            bad("proxy memory with a unit", """
                config:
                  memcached-gke:mcrouter:
                    memoryMiB: 256Mi
                """,
                "invalid configuration (1 problem): memcached-gke:mcrouter.memoryMiB must be a whole number of MiB (256Mi is 256), "
                + "but '256Mi' was provided"),
            bad("a fraction of a MiB", """
                config:
                  memcached-gke:memcached:
                    memoryMiB: 1.5Gi
                """,
                "invalid configuration (1 problem): memcached-gke:memcached.memoryMiB must be a whole number of MiB (1.5Gi is 1536), "
                + "but '1.5Gi' was provided"),
            bad("a zone that does not exist", """
                config:
                  memcached-gke:cluster:
                    location: europe-west4-z
                """,
                "invalid configuration (1 problem): memcached-gke:cluster.location must be a GCP zone (e.g. us-central1-f) or region (e.g. us-central1), "
                + "but 'europe-west4-z' was provided; europe-west4's zones are europe-west4-a, europe-west4-b, "
                + "europe-west4-c"),
            bad("a region that does not exist", """
                config:
                  memcached-gke:cluster:
                    location: us-west8
                """,
                "invalid configuration (1 problem): memcached-gke:cluster.location must be a GCP zone (e.g. us-central1-f) or region (e.g. us-central1), "
                + "but 'us-west8' was provided (did you mean 'us-west1'?)"),
            bad("node zones of another region", """
                config:
                  memcached-gke:cluster:
                    location: us-central1
                    nodeLocations: [us-central1-a, us-east1-b]
                """,
                "invalid configuration (1 problem): memcached-gke:cluster.nodeLocations must list zones of the cluster's region us-central1, "
                + "but 'us-east1-b' was provided; its zones are us-central1-a, us-central1-b, us-central1-c, "
                + "us-central1-f"),
            bad("an exposure in the wrong case", """
                config:
                  memcached-gke:mcrouter:
                    exposure: hostport
                """,
                "invalid configuration (1 problem): memcached-gke:mcrouter.exposure must be one of hostPort, "
                + "nodeLocalService, but 'hostport' was provided (did you mean 'hostPort'?)"),
            bad("a release channel in lower case", """
                config:
                  memcached-gke:cluster:
                    releaseChannel: stable
                """,
                "invalid configuration (1 problem): memcached-gke:cluster.releaseChannel must be one of RAPID, "
                + "REGULAR, STABLE, but 'stable' was provided (did you mean 'STABLE'?)"),
            bad("an image on latest", """
                config:
                  memcached-gke:memcached:
                    image: memcached:latest
                """,
                "invalid configuration (1 problem): memcached-gke:memcached.image must be an image reference pinned to a tag other than 'latest' or to a digest (e.g. memcached:1.6.38-alpine), "
                + "but 'memcached:latest' was provided"),
            bad("a cluster section on platform existing", """
                config:
                  memcached-gke:platform: existing
                  memcached-gke:cluster:
                    name: mine
                """,
                "invalid configuration (1 problem): memcached-gke:cluster is only used with memcached-gke:platform gke, "
                + "but the platform is 'existing'; remove it"),
            bad("YAML: a key indented one space too few", """
                config:
                  memcached-gke:memcached:
                    replicas: 4
                   memoryMiB: 64
                """,
                "Pulumi.case.yaml:4:4: expected <block end>, "
                + "but found '<block mapping start>' (while parsing a block mapping)"),
            bad("YAML: a key written twice", """
                config:
                  memcached-gke:platform: gke
                  memcached-gke:platform: existing
                """,
                "Pulumi.case.yaml:3:25: duplicate key memcached-gke:platform"),
            bad("YAML: a tab for indentation", """
                config:
                \tmemcached-gke:platform: gke
                """,
                "Pulumi.case.yaml:2:1: found character '\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for indentation) (while scanning for the next token)"),
            bad("YAML: an unclosed flow list", """
                config:
                  memcached-gke:cluster:
                    nodeLocations: [us-central1-a, us-central1-b
                """,
                "Pulumi.case.yaml:4:1: expected ',' or ']', but got <stream end> (while parsing a flow sequence)"),
            bad("YAML: config as a list", """
                config:
                  - memcached-gke:platform: gke
                """,
                "Pulumi.case.yaml: config must be a mapping of keys to values, but it is a list"),
            bad("production with a zonal control plane", PROD.replace("location: europe-west4", "location: europe-west4-a"), 
                "invalid configuration (1 problem): memcached-gke:cluster.location must be a region in production (a zonal control plane is a single point of failure), "
                + "but 'europe-west4-a' was provided"),
            bad("production without deletion protection", PROD.replace("deletionProtection: true", "deletionProtection: false"), 
                "invalid configuration (1 problem): memcached-gke:cluster.deletionProtection must be true in production, "
                + "but false was provided"),
            bad("production with public nodes", PROD.replace("privateNodes: true", "privateNodes: false"), 
                "invalid configuration (1 problem): memcached-gke:cluster.privateNodes must be true in production (nodes without public IPs), "
                + "but false was provided"),
            bad("production open to the internet", PROD.replace("masterAuthorizedNetworks: [198.51.100.0/24]", "masterAuthorizedNetworks: [0.0.0.0/0]"), 
                "invalid configuration (1 problem): memcached-gke:cluster.masterAuthorizedNetworks must not contain 0.0.0.0/0 in production (it opens the control plane to the internet), "
                + "but [0.0.0.0/0] was provided"),
            bad("production without authorized networks", PROD.replace("masterAuthorizedNetworks: [198.51.100.0/24]", "masterAuthorizedNetworks: []"), 
                "invalid configuration (1 problem): memcached-gke:cluster.masterAuthorizedNetworks must list the CIDR blocks allowed to reach the control plane in production, "
                + "but [] was provided"),
            bad("production without NetworkPolicies", PROD.replace("  memcached-gke:mcrouter:",
                "  memcached-gke:networkPolicy:\n    enabled: false\n  memcached-gke:mcrouter:"), 
                "invalid configuration (1 problem): memcached-gke:networkPolicy.enabled must be true in production (memcached has no authentication), "
                + "but false was provided"),
            bad("production with an unknown machine type", PROD.replace("machineType: n2-highmem-4", "machineType: n2-standrad-4"), 
                "invalid configuration (1 problem): memcached-gke:cluster.machineType must be a Compute Engine machine type this program knows in production (otherwise the memory fit cannot be checked), "
                + "but 'n2-standrad-4' was provided (did you mean 'n2-standard-4'?)"));
    }

    @org.junit.jupiter.api.Test
    void anUnknownMachineTypeOutsideProductionIsAWarningNamedInTheRender(@TempDir Path dir) throws Exception {
        Files.copy(Stacks.PROJECT_DIR.resolve("Pulumi.yaml"), dir.resolve("Pulumi.yaml"));
        Files.writeString(dir.resolve("Pulumi.case.yaml"), """
            config:
              memcached-gke:cluster:
                machineType: n2-standrad-4
            """);
        var outcome = Render.render(dir, "case");
        assertThat(outcome.exit()).isZero();
        assertThat(outcome.err()).containsExactly("render: case: warning: memcached-gke:cluster.machineType "
            + "'n2-standrad-4' is not a machine type this program knows (did you mean 'n2-standard-4'?): the memory fit "
            + "is not checked (set memcached-gke:nodeMemoryMiB to check it)");
    }

    static Arguments bad(String name, String yaml, String expected) {
        return Arguments.of(name, yaml, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedWithOneExactLine(String name, String yaml, String expected, @TempDir Path dir) throws Exception {
        Files.copy(Stacks.PROJECT_DIR.resolve("Pulumi.yaml"), dir.resolve("Pulumi.yaml"));
        Files.writeString(dir.resolve("Pulumi.case.yaml"), yaml);
        var outcome = Render.render(dir, "case");
        assertThat(outcome.exit()).as(name).isEqualTo(1);
        assertThat(outcome.out()).isEmpty();
        assertThat(outcome.err()).containsExactly("render: case: " + expected);
        assertThat(dir.resolve("target")).doesNotExist();
    }
}
