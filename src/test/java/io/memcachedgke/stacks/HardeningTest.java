package io.memcachedgke.stacks;

import static io.memcachedgke.support.Stacks.one;
import static io.memcachedgke.support.Stacks.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import io.memcachedgke.render.RecordedResource;
import io.memcachedgke.render.Rendering;
import io.memcachedgke.support.Stacks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every hardening setting of the GKE stacks, read from what each stack file really renders. */
class HardeningTest {
    private static final Map<String, Rendering> RENDERS = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLUSTER = "gcp:container/cluster:Cluster";
    private static final String POOL = "gcp:container/nodePool:NodePool";

    static Rendering stack(String name) {
        return RENDERS.computeIfAbsent(name, Stacks::render);
    }

    @ParameterizedTest(name = "{0}: {1} {2} = {3}")
    @CsvSource(delimiter = '|', value = {
        // Identity, shielded nodes and Dataplane V2 cost nothing: dev has them too.
        "dev  | " + CLUSTER + " | enableLegacyAbac | false",
        "dev  | " + CLUSTER + " | masterAuth.clientCertificateConfig.issueClientCertificate | false",
        "dev  | " + CLUSTER + " | datapathProvider | \"ADVANCED_DATAPATH\"",
        "dev  | " + CLUSTER + " | enableShieldedNodes | true",
        "dev  | " + CLUSTER + " | workloadIdentityConfig.workloadPool | \"render-placeholder-project.svc.id.goog\"",
        "dev  | " + CLUSTER + " | releaseChannel.channel | \"REGULAR\"",
        "dev  | " + CLUSTER + " | networkingMode | \"VPC_NATIVE\"",
        "dev  | " + CLUSTER + " | deletionProtection | false",
        "dev  | " + POOL + " | nodeConfig.workloadMetadataConfig.mode | \"GKE_METADATA\"",
        "dev  | " + POOL + " | nodeConfig.shieldedInstanceConfig | {\"enableIntegrityMonitoring\":true,\"enableSecureBoot\":true}",
        "dev  | " + POOL + " | nodeConfig.imageType | \"COS_CONTAINERD\"",
        "dev  | " + POOL + " | management | {\"autoRepair\":true,\"autoUpgrade\":true}",
        "dev  | " + POOL + " | nodeConfig.serviceAccount | \"demo-cluster-nodes@render-placeholder-project.iam.gserviceaccount.com\"",
        "dev  | " + POOL + " | nodeConfig.oauthScopes | [\"https://www.googleapis.com/auth/cloud-platform\"]",
        "dev  | " + POOL + " | nodeConfig.spot | false",
        "prod | " + CLUSTER + " | location | \"us-central1\"",
        "prod | " + CLUSTER + " | nodeLocations | [\"us-central1-a\",\"us-central1-b\",\"us-central1-c\"]",
        "prod | " + CLUSTER + " | releaseChannel.channel | \"STABLE\"",
        "prod | " + CLUSTER + " | enableLegacyAbac | false",
        "prod | " + CLUSTER + " | masterAuth.clientCertificateConfig.issueClientCertificate | false",
        "prod | " + CLUSTER + " | datapathProvider | \"ADVANCED_DATAPATH\"",
        "prod | " + CLUSTER + " | enableShieldedNodes | true",
        "prod | " + CLUSTER + " | workloadIdentityConfig.workloadPool | \"render-placeholder-project.svc.id.goog\"",
        "prod | " + CLUSTER + " | networkingMode | \"VPC_NATIVE\"",
        "prod | " + CLUSTER + " | ipAllocationPolicy | {\"clusterSecondaryRangeName\":\"pods\",\"servicesSecondaryRangeName\":\"services\"}",
        "prod | " + CLUSTER + " | privateClusterConfig.enablePrivateNodes | true",
        "prod | " + CLUSTER + " | masterAuthorizedNetworksConfig.cidrBlocks.0.cidrBlock | \"203.0.113.0/24\"",
        "prod | " + CLUSTER + " | monitoringConfig.managedPrometheus.enabled | true",
        "prod | " + CLUSTER + " | loggingConfig.enableComponents | [\"SYSTEM_COMPONENTS\",\"WORKLOADS\"]",
        "prod | " + CLUSTER + " | maintenancePolicy.dailyMaintenanceWindow.startTime | \"03:00\"",
        "prod | " + CLUSTER + " | deletionProtection | true",
        "prod | " + CLUSTER + " | nodeConfig.serviceAccount | \"memcached-prod-nodes@render-placeholder-project.iam.gserviceaccount.com\"",
        "prod | " + POOL + " | autoscaling | {\"maxNodeCount\":3,\"minNodeCount\":1}",
        "prod | " + POOL + " | management | {\"autoRepair\":true,\"autoUpgrade\":true}",
        "prod | " + POOL + " | nodeConfig.imageType | \"COS_CONTAINERD\"",
        "prod | " + POOL + " | nodeConfig.workloadMetadataConfig.mode | \"GKE_METADATA\"",
        "prod | " + POOL + " | nodeConfig.shieldedInstanceConfig | {\"enableIntegrityMonitoring\":true,\"enableSecureBoot\":true}",
        "prod | " + POOL + " | nodeConfig.serviceAccount | \"memcached-prod-nodes@render-placeholder-project.iam.gserviceaccount.com\"",
        "prod | " + POOL + " | nodeConfig.oauthScopes | [\"https://www.googleapis.com/auth/cloud-platform\"]",
        "prod | " + POOL + " | nodeConfig.metadata | {\"disable-legacy-endpoints\":\"true\"}",
        // Production upgrades drain one old node at a time and soak a shard's warm-up (300 s) plus its start (120 s).
        "prod | " + POOL + " | upgradeSettings | {\"strategy\":\"BLUE_GREEN\",\"blueGreenSettings\":{\"nodePoolSoakDuration\":\"420s\",\"standardRolloutPolicy\":{\"batchNodeCount\":1,\"batchSoakDuration\":\"420s\"}}}",
        "dev  | " + POOL + " | upgradeSettings | {\"strategy\":\"SURGE\",\"maxSurge\":1,\"maxUnavailable\":0}",
        "prod | " + CLUSTER + " | nodeConfig.metadata | {\"disable-legacy-endpoints\":\"true\"}",
        "prod | " + CLUSTER + " | monitoringConfig.enableComponents | [\"SYSTEM_COMPONENTS\",\"DAEMONSET\",\"STATEFULSET\",\"POD\"]",
    })
    void setting(String stack, String type, String path, String expectedJson) throws Exception {
        var actual = JSON.readTree(JSON.writeValueAsString(value(one(stack(stack), type).inputs(), path)));
        assertThat(actual).isEqualTo(JSON.readTree(expectedJson));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theNodeServiceAccountIsDedicatedAndLeastPrivileged(String name) {
        var r = stack(name);
        var account = one(r, "gcp:serviceaccount/account:Account");
        var email = account.inputs().get("accountId") + "@render-placeholder-project.iam.gserviceaccount.com";
        assertThat(email).doesNotContain("compute@developer");
        var bindings = Stacks.ofType(r, "gcp:projects/iAMMember:IAMMember");
        assertThat(bindings).extracting(b -> b.inputs().get("role")).containsExactly("roles/container.defaultNodeServiceAccount");
        assertThat(bindings).extracting(b -> b.inputs().get("member")).containsOnly("serviceAccount:" + email);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theApisAFreshProjectNeedsAreEnabledAndNeverDisabled(String name) {
        var services = Stacks.ofType(stack(name), "gcp:projects/service:Service");
        var expected = new java.util.ArrayList<>(List.of(
            "compute.googleapis.com", "container.googleapis.com", "iam.googleapis.com",
            "cloudresourcemanager.googleapis.com", "logging.googleapis.com", "monitoring.googleapis.com",
            "artifactregistry.googleapis.com"));
        if (name.equals("prod")) {
            // Connect gateway: the fleet and the gateway.
            expected.addAll(List.of("gkehub.googleapis.com", "connectgateway.googleapis.com"));
        }
        assertThat(services).extracting(s -> s.inputs().get("service")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(services).allSatisfy(s -> assertThat(s.inputs()).containsEntry("disableOnDestroy", false));
    }

    @Test
    void prodIsReachedThroughConnectGatewayAndItsImagesComeFromItsOwnRepository() {
        var prod = stack("prod");
        var membership = one(prod, "gcp:gkehub/membership:Membership");
        assertThat(membership.inputs()).containsEntry("membershipId", "memcached-prod");
        assertThat(value(membership.inputs(), "endpoint.gkeCluster.resourceLink")).isEqualTo(
            "//container.googleapis.com/projects/render-placeholder-project/locations/us-central1/clusters/memcached-prod");
        assertThat(Stacks.ofType(stack("dev"), "gcp:gkehub/membership:Membership")).isEmpty();
        for (var name : List.of("dev", "prod")) {
            var r = stack(name);
            var repo = one(r, "gcp:artifactregistry/repository:Repository");
            assertThat(repo.inputs()).containsEntry("format", "DOCKER").containsEntry("location", "us-central1");
            var reader = one(r, "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember");
            assertThat(reader.inputs()).containsEntry("role", "roles/artifactregistry.reader")
                .containsEntry("repository", repo.inputs().get("repositoryId"));
            assertThat((String) reader.inputs().get("member")).startsWith("serviceAccount:").endsWith("-nodes@render-placeholder-project.iam.gserviceaccount.com");
        }
        assertThat(prod.outputs().get("imageRepository"))
            .isEqualTo("us-central1-docker.pkg.dev/render-placeholder-project/memcached-prod");
    }

    @Test
    void prodIsProtectedTwice() {
        var cluster = one(stack("prod"), CLUSTER);
        assertThat(cluster.protect()).isTrue();
        assertThat(cluster.inputs()).containsEntry("deletionProtection", true);
        assertThat(one(stack("dev"), CLUSTER).protect()).isFalse();
    }

    @Test
    void prodNodesHaveNoPublicIpsButPullImagesThroughCloudNat() {
        var r = stack("prod");
        var nat = one(r, "gcp:compute/routerNat:RouterNat");
        assertThat(nat.inputs()).containsEntry("router", "memcached-prod-router")
            .containsEntry("sourceSubnetworkIpRangesToNat", "ALL_SUBNETWORKS_ALL_IP_RANGES");
        assertThat(one(r, "gcp:compute/router:Router").inputs()).containsEntry("region", "us-central1");
        var subnet = one(r, "gcp:compute/subnetwork:Subnetwork");
        assertThat(subnet.inputs()).containsEntry("privateIpGoogleAccess", true);
        assertThat((List<?>) subnet.inputs().get("secondaryIpRanges")).hasSize(2);
        assertThat(Stacks.ofType(stack("dev"), "gcp:compute/routerNat:RouterNat")).isEmpty();
    }

    @Test
    void nodesStartOnlyOnceTheirAccountHasItsRoleAndPrivateNodesCanPullImages() {
        var prod = stack("prod");
        var binding = one(prod, "gcp:projects/iAMMember:IAMMember").ref();
        var nat = one(prod, "gcp:compute/routerNat:RouterNat").ref();
        assertThat(one(prod, CLUSTER).dependencies()).contains(binding, nat);
        assertThat(one(prod, POOL).dependencies()).contains(binding, nat);
        assertThat(one(stack("dev"), POOL).dependencies()).contains(one(stack("dev"), "gcp:projects/iAMMember:IAMMember").ref());
    }

    @Test
    void theDefaultPoolNeverRunsAsTheComputeDefaultAccount() {
        for (var name : List.of("dev", "prod")) {
            RecordedResource cluster = one(stack(name), CLUSTER);
            assertThat(cluster.inputs()).containsEntry("removeDefaultNodePool", true);
            assertThat((String) value(cluster.inputs(), "nodeConfig.serviceAccount")).endsWith("-nodes@render-placeholder-project.iam.gserviceaccount.com");
            assertThat(cluster.ignoreChanges()).containsExactly("nodeConfig", "dnsConfig");
        }
    }

    /**
     * The node pool: named by the provider (an explicit name makes every replacement delete-before-replace), its
     * nodes labelled with the settings GKE cannot change in place, and only the fields GKE fills in ignored.
     */
    @Test
    void theNodePoolIsNamedByItsSettingsAndIgnoresOnlyWhatGkeFillsIn() {
        for (var name : List.of("dev", "prod")) {
            RecordedResource pool = one(stack(name), "gcp:container/nodePool:NodePool");
            var id = (String) value(pool.inputs(), "nodeConfig.labels.memcached-gke/node-pool");
            assertThat(id).matches("[0-9a-f]{6}");
            assertThat(pool.name()).endsWith("-pool-" + id);
            assertThat(pool.inputs()).doesNotContainKey("name");
            assertThat(pool.ignoreChanges())
                .containsExactly("nodeConfig.resourceLabels", "nodeConfig.kubeletConfig", "initialNodeCount");
            var sts = Stacks.ofType(stack(name), "kubernetes:apps/v1:StatefulSet").get(0);
            assertThat((Map<String, Object>) value(sts.inputs(), "spec.template.spec.nodeSelector"))
                .isEqualTo(Map.of("memcached-gke/node-pool", id));
        }
    }
}
