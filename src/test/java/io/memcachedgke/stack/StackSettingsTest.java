package io.memcachedgke.stack;

import io.memcachedgke.cache.Plan;
import io.memcachedgke.settings.SettingsReader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.memcachedgke.stack.App;
import io.memcachedgke.config.Environment;
import io.memcachedgke.config.InvalidConfigException;
import io.memcachedgke.config.Platform;
import io.memcachedgke.config.ReleaseChannel;
import io.memcachedgke.config.Exposure;
import io.memcachedgke.kube.Scraper;
import io.memcachedgke.namespace.PodSecurityLevel;
import io.memcachedgke.smoke.SmokeTestArgs;
import io.memcachedgke.render.Rendering;
import io.memcachedgke.support.Stacks;
import org.junit.jupiter.api.Test;

/** Every bad input a user can give, with the exact message they get. */
class StackSettingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A stack file's configuration as a mutable map. */
    private static Map<String, String> stack(String name) {
        return new HashMap<>(Stacks.config(name));
    }

    /** Sets {@code field} inside the object config {@code memcached-gke:<object>}. */
    private static Map<String, String> with(Map<String, String> config, String object, String field, Object value) {
        try {
            var key = "memcached-gke:" + object;
            var node = (ObjectNode) JSON.readTree(config.getOrDefault(key, "{}"));
            node.set(field, JSON.valueToTree(value));
            config.put(key, JSON.writeValueAsString(node));
            return config;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a stack's configuration becomes: the settings, read through the stack's front door, and the tiers' plan. */
    record Read(SettingsReader.Read read, Plan plan) {
        Environment environment() {
            return read.settings().environment();
        }

        Platform platform() {
            return read.settings().stack().orElseThrow().platform();
        }

        java.util.Optional<io.memcachedgke.gke.GkeClusterArgs> cluster() {
            return plan.cluster();
        }

        io.memcachedgke.namespace.CacheNamespaceArgs namespace() {
            return plan.namespace();
        }

        io.memcachedgke.memcached.MemcachedArgs memcached() {
            return plan.memcached();
        }

        io.memcachedgke.mcrouter.McrouterArgs mcrouter() {
            return plan.mcrouter();
        }

        io.memcachedgke.metrics.MetricsArgs metrics() {
            return plan.metrics();
        }

        java.util.Optional<io.memcachedgke.sampleapp.SampleAppArgs> sampleApp() {
            return plan.sampleApp();
        }

        java.util.Optional<io.memcachedgke.smoke.SmokeTestArgs> smokeTest() {
            return plan.smokeTest();
        }

        List<String> warnings() {
            return read.warnings();
        }
    }

    private static Read read(Map<String, String> config) {
        return read(config, java.time.Clock.systemUTC());
    }

    private static Read read(Map<String, String> config, java.time.Clock clock) {
        var read = StackSettings.read(config, clock);
        return new Read(read, Plan.of(read.settings()));
    }

    private static List<String> problems(Map<String, String> config) {
        return catchThrowableOfType(() -> read(config), InvalidConfigException.class).problems();
    }

    @Test
    void anEmptyConfigurationIsTheLab() {
        var c = read(Map.of("gcp:project", "my-project-1"));
        assertThat(c.platform()).isEqualTo(Platform.GKE);
        assertThat(c.cluster().orElseThrow().location()).isEqualTo("us-central1-f");
        assertThat(c.cluster().orElseThrow().nodeCount()).isEqualTo(3);
        assertThat(c.cluster().orElseThrow().releaseChannel()).isEqualTo(ReleaseChannel.REGULAR);
        assertThat(c.cluster().orElseThrow().deletionProtection()).isTrue();
        assertThat(c.namespace().name()).isEqualTo("default");
        assertThat(c.namespace().create()).isFalse();
        assertThat(c.memcached().namePrefix()).isEqualTo("mycache");
        assertThat(c.memcached().replicas()).isEqualTo(3);
        assertThat(c.mcrouter().port()).isEqualTo(5000);
        assertThat(c.mcrouter().exposure()).isEqualTo(Exposure.HOST_PORT);
        assertThat(c.sampleApp().orElseThrow().replicas()).isEqualTo(5);
    }

    @Test
    void theStackFilesReadAsDesigned() {
        var dev = read(stack("dev"));
        assertThat(dev.cluster().orElseThrow().deletionProtection()).isFalse();
        var prod = read(stack("prod"));
        assertThat(prod.environment()).isEqualTo(Environment.PRODUCTION);
        assertThat(prod.namespace().enforce()).isEqualTo(PodSecurityLevel.RESTRICTED);
        assertThat(prod.mcrouter().exposure()).isEqualTo(Exposure.NODE_LOCAL_SERVICE);
        var local = read(stack("local"));
        assertThat(local.platform()).isEqualTo(Platform.EXISTING);
        assertThat(local.cluster()).isEmpty();
    }

    @Test
    void replicasZero() {
        assertThat(problems(with(stack("dev"), "memcached", "replicas", 0)))
            .containsExactly("memcached-gke:memcached.replicas must be between 1 and 64, but 0 was provided");
    }

    @Test
    void negativeMemory() {
        assertThat(problems(with(stack("dev"), "memcached", "memoryMiB", -5)))
            .containsExactly("memcached-gke:memcached.memoryMiB must be between 16 and 262144, but -5 was provided");
    }

    @Test
    void namespaceThatIsNotADnsLabel() {
        var config = stack("dev");
        config.put("memcached-gke:namespace", "My_Cache");
        assertThat(problems(config)).containsExactly("memcached-gke:namespace must be an RFC 1123 label (lower-case "
            + "letters, digits and '-', starting and ending with a letter or digit, at most 63 characters), but 'My_Cache' was provided");
    }

    @Test
    void prefixTooLongForThePodNames() {
        var config = stack("dev");
        var prefix = "a".repeat(43);
        config.put("memcached-gke:namePrefix", prefix);
        assertThat(problems(config)).containsExactly("memcached-gke:namePrefix must be at most 42 characters, so that the "
            + "StatefulSet <prefix>-memcached (at most 52) and its pods' names stay valid DNS labels, but '" + prefix
            + "' (43 characters) was provided");
    }

    @Test
    void malformedLocation() {
        assertThat(problems(with(stack("dev"), "cluster", "location", "uscentral1")))
            .containsExactly("memcached-gke:cluster.location must be a GCP zone (e.g. us-central1-f) or region "
                + "(e.g. us-central1), but 'uscentral1' was provided (did you mean 'us-central1'?)");
    }

    @Test
    void aZoneWhereProductionDemandsARegion() {
        assertThat(problems(with(stack("prod"), "cluster", "location", "us-central1-a")))
            .containsExactly("memcached-gke:cluster.location must be a region in production (a zonal control plane is a "
                + "single point of failure), but 'us-central1-a' was provided");
    }

    @Test
    void unknownReleaseChannel() {
        assertThat(problems(with(stack("dev"), "cluster", "releaseChannel", "BETA")))
            .containsExactly("memcached-gke:cluster.releaseChannel must be one of RAPID, REGULAR, STABLE, but 'BETA' was provided");
    }

    @Test
    void minNodesAboveMaxNodes() {
        var config = with(with(stack("prod"), "cluster", "minNodes", 3), "cluster", "maxNodes", 1);
        assertThat(problems(config)).containsExactly(
            "memcached-gke:cluster.minNodes must not exceed memcached-gke:cluster.maxNodes (1), but 3 was provided");
    }

    @Test
    void authorizedNetworkThatIsNotACidr() {
        assertThat(problems(with(stack("prod"), "cluster", "masterAuthorizedNetworks", List.of("10.0.0.0/33"))))
            .containsExactly("memcached-gke:cluster.masterAuthorizedNetworks must be a list of IPv4 CIDR blocks "
                + "(e.g. 203.0.113.0/24), but '10.0.0.0/33' was provided");
    }

    @Test
    void openControlPlaneInProduction() {
        assertThat(problems(with(stack("prod"), "cluster", "masterAuthorizedNetworks", List.of("0.0.0.0/0"))))
            .containsExactly("memcached-gke:cluster.masterAuthorizedNetworks must not contain 0.0.0.0/0 in production "
                + "(it opens the control plane to the internet), but [0.0.0.0/0] was provided");
    }

    @Test
    void openControlPlaneIsAllowedInDevelopment() {
        assertThat(read(with(stack("dev"), "cluster", "masterAuthorizedNetworks", List.of("0.0.0.0/0")))
            .cluster().orElseThrow().masterAuthorizedNetworks()).containsExactly("0.0.0.0/0");
    }

    @Test
    void productionKeepsDeletionProtectionAndPrivateNodes() {
        var config = with(with(stack("prod"), "cluster", "deletionProtection", false), "cluster", "privateNodes", false);
        assertThat(problems(config)).containsExactly(
            "memcached-gke:cluster.deletionProtection must be true in production, but false was provided",
            "memcached-gke:cluster.privateNodes must be true in production (nodes without public IPs), but false was provided");
    }

    @Test
    void aCpuRequestThatYieldsZeroThreads() {
        assertThat(problems(with(stack("dev"), "memcached", "cpuMillis", 100)))
            .containsExactly("memcached-gke:memcached.cpuMillis must be at least 250 (one memcached worker thread per "
                + "250m), but 100 was provided, which gives 0 threads");
    }

    @Test
    void anExposureThatIsNeitherValue() {
        assertThat(problems(with(stack("dev"), "mcrouter", "exposure", "nodePort")))
            .containsExactly("memcached-gke:mcrouter.exposure must be one of hostPort, nodeLocalService, but 'nodePort' was provided");
    }

    @Test
    void aCacheThatCannotFitTheNode() {
        // 4096 MiB of items needs a 4728 MiB container (20 connections, 2 thread, 384 hash table, 205 slack, 16 base),
        // each mcrouter pod holds a 32 MiB exporter, and the memcached exporter pod (3 x 32 MiB) may land on any node.
        assertThat(problems(with(stack("dev"), "memcached", "memoryMiB", 4096)))
            .containsExactly("memcached-gke:memcached.memoryMiB 4096 does not fit: each e2-medium node (4096 MiB, "
                + "2972 MiB allocatable) would need 5640 MiB (1 memcached pod(s) x 4728 MiB limit, "
                + "mcrouter 128 MiB + 32 MiB exporter, memcached exporter pod 96 MiB, 2 sample-app pod(s) x 128 MiB, "
                + "400 MiB for GKE system pods)");
    }

    @Test
    void aGkeStackWithoutAProject() {
        var config = stack("dev");
        config.remove("gcp:project");
        assertThat(problems(config)).containsExactly(
            "gcp:project is not set; a GKE stack needs it: pulumi config set gcp:project <your-project-id>");
    }

    @Test
    void aLatestImage() {
        assertThat(problems(with(stack("dev"), "memcached", "image", "memcached:latest")))
            .containsExactly("memcached-gke:memcached.image must be an image reference pinned to a tag other than "
                + "'latest' or to a digest (e.g. memcached:1.6.38-alpine), but 'memcached:latest' was provided");
    }

    @Test
    void aTypoIsNotIgnored() {
        assertThat(problems(with(stack("dev"), "memcached", "replica", 3)))
            .containsExactly("memcached-gke:memcached.replica is not a known key (did you mean memcached-gke:memcached.replicas?); the known keys are cpuMillis, "
                + "directClients, exporterImage, image, maxConnections, memoryMiB, nodeSelector, replicas, resize, warmUpSeconds");
    }

    @Test
    void aWrongType() {
        assertThat(problems(with(stack("dev"), "memcached", "replicas", "three")))
            .containsExactly("memcached-gke:memcached.replicas must be an integer, but 'three' was provided");
    }

    @Test
    void aClusterBlockOnAnExistingCluster() {
        assertThat(problems(with(stack("local"), "cluster", "location", "us-central1-f"))).containsExactly(
            "memcached-gke:cluster is only used with memcached-gke:platform gke, but the platform is 'existing'; remove it");
    }

    @Test
    void theSmokeTestIsOnByDefaultAndItsPodsAreTheProxysClients() {
        var dev = read(stack("dev"));
        assertThat(dev.smokeTest()).isPresent();
        assertThat(dev.mcrouter().allowedClients()).contains(SmokeTestArgs.client("mycache"));
        var off = read(with(stack("dev"), "smokeTest", "enabled", false));
        assertThat(off.smokeTest()).isEmpty();
        assertThat(off.mcrouter().allowedClients()).doesNotContain(SmokeTestArgs.client("mycache"));
    }

    @Test
    void aSmokeTestTypoAndALatestImage() {
        assertThat(problems(with(with(stack("dev"), "smokeTest", "enable", false), "smokeTest", "image", "busybox:latest")))
            .containsExactly(
                "memcached-gke:smokeTest.enable is not a known key (did you mean memcached-gke:smokeTest.enabled?); the known keys are enabled, image",
                "memcached-gke:smokeTest.image must be an image reference pinned to a tag other than 'latest' or to a "
                    + "digest (e.g. memcached:1.6.38-alpine), but 'busybox:latest' was provided");
    }

    @Test
    void managedPrometheusIsTheDefaultOnGkeOnly() {
        assertThat(read(stack("dev")).metrics().podMonitoring()).isTrue();
        var local = stack("local");
        local.remove("memcached-gke:metrics");
        assertThat(read(local).metrics().podMonitoring()).isFalse();
        assertThat(read(with(local, "metrics", "podMonitoring", true)).metrics().podMonitoring()).isTrue();
    }

    @Test
    void thePrometheusOperatorScraperIsConfigurable() {
        var config = with(with(with(stack("local"), "metrics", "serviceMonitor", true),
            "metrics", "scraperNamespace", "observability"), "metrics", "serviceMonitorLabels", Map.of("release", "kps"));
        var metrics = read(config).metrics();
        assertThat(metrics.scrapers()).containsExactly(
            Scraper.inNamespace("observability", Map.of("app.kubernetes.io/name", "prometheus")));
        assertThat(metrics.serviceMonitorLabels()).isEqualTo(Map.of("release", "kps"));
        assertThat(read(with(config, "metrics", "scraperPodLabels", Map.of("app", "prom"))).metrics().scraper())
            .isEqualTo(Scraper.inNamespace("observability", Map.of("app", "prom")));
    }

    @Test
    void metricsProblemsNameTheirKeys() {
        var noExporters = stack("dev");
        noExporters.remove("memcached-gke:metrics");
        var off = read(with(noExporters, "metrics", "exporters", false)).metrics();
        assertThat(off.podMonitoring()).as("no PodMonitoring without exporters unless asked for").isFalse();
        var config = with(with(with(stack("dev"), "metrics", "exporters", false), "metrics", "interval", "soon"),
            "metrics", "podMonitoring", true);
        assertThat(problems(with(config, "metrics", "scraperPodLabels", List.of("prometheus")))).containsExactly(
            "memcached-gke:metrics.scraperPodLabels must be a label map (e.g. {app.kubernetes.io/name: prometheus}), "
                + "but [\"prometheus\"] was provided",
            "memcached-gke:metrics.interval must be a number of seconds or minutes such as 30s or 1m, but 'soon' was provided",
            "memcached-gke:metrics.podMonitoring is true, which needs memcached-gke:metrics.exporters true (without the "
                + "exporters nothing serves metrics), but exporters false was provided");
    }

    @Test
    void everyProblemIsReportedInOneError() {
        var config = with(with(stack("dev"), "memcached", "replicas", 0), "mcrouter", "port", 80);
        config.put("memcached-gke:namespace", "Bad");
        var e = catchThrowableOfType(() -> read(config), InvalidConfigException.class);
        assertThat(e.problems()).hasSize(3);
        assertThat(e).hasMessage("invalid configuration (3 problems): "
            + "memcached-gke:namespace must be an RFC 1123 label (lower-case letters, digits and '-', starting and ending "
            + "with a letter or digit, at most 63 characters), but 'Bad' was provided; "
            + "memcached-gke:memcached.replicas must be between 1 and 64, but 0 was provided; "
            + "memcached-gke:mcrouter.port must be between 1024 and 65535, but 80 was provided");
        assertThat(e.getMessage()).doesNotContain("\n");
    }

    @Test
    void nothingIsRegisteredWhenTheConfigurationIsBad() {
        var config = with(stack("dev"), "memcached", "replicas", 0);
        var rendering = Rendering.attempt("dev", config, Set.of(), ctx -> App.stack(ctx, config));
        assertThat(rendering.errors()).containsExactly("invalid configuration (1 problem): "
            + "memcached-gke:memcached.replicas must be between 1 and 64, but 0 was provided");
        assertThat(rendering.resources()).isEmpty();
    }

    @Test
    void theEngineRejectsBadConfigurationBeforeAnyResource() {
        var config = with(stack("dev"), "memcached", "replicas", 0);
        assertThatThrownBy(() -> Stacks.program(config))
            .isInstanceOf(InvalidConfigException.class)
            .hasMessageContaining("memcached-gke:memcached.replicas must be between 1 and 64, but 0 was provided");
    }

    @Test
    void aResizeThatStartsTooSoonIsAWarningAndTheConfigDoesNotDependOnTheClock() {
        var config = with(with(stack("dev"), "memcached", "replicas", 4), "memcached", "resize",
            Map.of("from", 3, "startTime", "2026-12-01T10:00:00Z", "window", "1h"));
        var early = java.time.Clock.fixed(java.time.Instant.parse("2026-12-01T09:00:00Z"), java.time.ZoneOffset.UTC);
        var late = java.time.Clock.fixed(java.time.Instant.parse("2026-12-01T09:55:00Z"), java.time.ZoneOffset.UTC);
        assertThat(read(config, early).warnings()).isEmpty();
        assertThat(read(config, late).warnings()).containsExactly("memcached-gke:memcached.resize.startTime "
            + "2026-12-01T10:00:00Z is less than 10 minutes away: if this up starts the move, set it later (proxies load "
            + "the new config over a minute or two, and keys must not switch before all have it); on a later up during "
            + "the move, ignore this");
        assertThat(read(config, late).memcached()).isEqualTo(read(config, early).memcached());
    }
}
