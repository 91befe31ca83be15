package io.memcachedgke.gke;

import io.memcachedgke.config.ReleaseChannel;
import java.util.List;
import java.util.Map;
import io.memcachedgke.config.GcpLocations;

/**
 * A GKE Standard cluster hardened after terraform-google-modules' safer-cluster and Google's
 * "Harden your cluster's security": a dedicated least-privilege node service account, Workload
 * Identity, shielded COS_CONTAINERD nodes, Dataplane V2 (NetworkPolicy enforced), VPC-native
 * networking on its own VPC, no legacy ABAC or client certificate, a release channel.
 *
 * @param project                  GCP project id
 * @param name                     cluster name
 * @param location                 a zone (zonal cluster) or a region (regional cluster)
 * @param nodeLocations            zones for the nodes of a regional cluster; empty lets GKE choose
 * @param nodeCount                nodes per zone (the initial count when autoscaling)
 * @param minNodes                 autoscaling minimum per zone, or null for a fixed size
 * @param maxNodes                 autoscaling maximum per zone, or null for a fixed size
 * @param machineType              node machine type
 * @param spot                     Spot VMs (cheap, can be reclaimed at any time)
 * @param releaseChannel           GKE release channel
 * @param deletionProtection       GKE deletion protection, and Pulumi {@code protect} on the cluster
 * @param privateNodes             nodes without public IPs, egress through Cloud NAT
 * @param masterAuthorizedNetworks CIDRs allowed to reach the control plane; empty allows any
 * @param masterCidr               the control plane's /28 (private clusters)
 * @param subnetCidr               the node subnetwork's primary range
 * @param podsCidr                 the pods' secondary range
 * @param servicesCidr             the Services' secondary range
 * @param maintenanceStart         daily maintenance window start, "HH:MM" UTC
 * @param artifactRegistryReader   grant the nodes roles/artifactregistry.reader on the whole project (images in
 *                                 other repositories; the stack's own image repository is always readable)
 * @param connectGateway           register the cluster in the project's fleet and reach it through Connect gateway
 *                                 (IAM-authorised, from anywhere: GitHub's runners included) instead of its endpoint
 * @param upgradeSoakSeconds       node upgrades: 0 surges a node at a time; more runs blue-green upgrades that drain
 *                                 one old node at a time and wait this long before the next (a restarted shard's warm-up)
 */
public record GkeClusterArgs(
    String project, String name, String location, List<String> nodeLocations, int nodeCount,
    Integer minNodes, Integer maxNodes, String machineType, boolean spot, ReleaseChannel releaseChannel,
    boolean deletionProtection, boolean privateNodes, List<String> masterAuthorizedNetworks, String masterCidr,
    String subnetCidr, String podsCidr, String servicesCidr, String maintenanceStart, boolean artifactRegistryReader,
    boolean connectGateway, int upgradeSoakSeconds) {

    /** Least privilege for nodes: the one predefined role GKE documents for node service accounts. */
    public static final List<String> NODE_ROLES = List.of("roles/container.defaultNodeServiceAccount");
    public static final String ARTIFACT_REGISTRY_READER = "roles/artifactregistry.reader";
    public static final String CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";
    public static final String MONITORING_API = "monitoring.googleapis.com";
    /** APIs a fresh project needs before the first `pulumi up` can create the cluster. */
    public static final List<String> REQUIRED_APIS = List.of(
        "compute.googleapis.com", "container.googleapis.com", "iam.googleapis.com",
        "cloudresourcemanager.googleapis.com", "logging.googleapis.com", MONITORING_API,
        "artifactregistry.googleapis.com");
    /** What Connect gateway needs besides: the fleet (GKE Hub) and the gateway itself. */
    public static final List<String> CONNECT_GATEWAY_APIS = List.of("gkehub.googleapis.com", "connectgateway.googleapis.com");

    /** The node label that names the node pool of the current node settings ({@link #nodePoolId()}). */
    public static final String NODE_POOL_LABEL = "memcached-gke/node-pool";
    /** The nodes' boot disk. */
    public static final String NODE_DISK_TYPE = "pd-balanced";
    public static final int NODE_DISK_SIZE_GB = 50;
    /** The nodes' instance metadata: no legacy metadata endpoints. */
    public static final Map<String, String> NODE_METADATA = Map.of("disable-legacy-endpoints", "true");

    /**
     * The node settings a node pool cannot change in place, hashed: a pool is named after them, so a change of any
     * of them declares a new pool beside the old one. In terraform-provider-google-beta 5.0.0 (pulumi-gcp 7.0.0),
     * google-beta/services/container/node_config.go marks machine_type, disk_size_gb, disk_type, spot,
     * service_account, oauth_scopes, metadata and shielded_instance_config ForceNew (in place only from 5.10.0);
     * image_type, labels, workload_metadata_config and the pool's size, autoscaling, locations, management and
     * upgrade settings update in place (resource_container_node_pool.go, nodePoolUpdate) and are left out.
     */
    public String nodePoolId() {
        return io.memcachedgke.kube.Hashes.sha256(String.join("\n", "machineType=" + machineType,
            "diskType=" + NODE_DISK_TYPE, "diskSizeGb=" + NODE_DISK_SIZE_GB, "spot=" + spot,
            "serviceAccount=" + nodeServiceAccountId(), "oauthScopes=" + CLOUD_PLATFORM_SCOPE,
            "metadata=" + new java.util.TreeMap<>(NODE_METADATA), "shieldedInstanceConfig=secureBoot,integrityMonitoring"))
            .substring(0, 6);
    }

    /**
     * The node pool's resource name, {@code <cluster>-pool-<nodePoolId>}: another id is another resource, created
     * while the old one still runs and deleted at the end of the update. GKE's name for it is this plus the provider's
     * random suffix ({@code -xxxxxxx}); GKE allows 40 characters, so the cluster's part is cut to 18.
     */
    public String nodePoolResourceName() {
        var base = name.length() > 18 ? name.substring(0, 18).replaceAll("-+$", "") : name;
        return base + "-pool-" + nodePoolId();
    }

    /** The APIs this cluster needs enabled. */
    public List<String> apis() {
        return connectGateway
            ? java.util.stream.Stream.concat(REQUIRED_APIS.stream(), CONNECT_GATEWAY_APIS.stream()).toList()
            : REQUIRED_APIS;
    }

    /** The Artifact Registry Docker repository of the stack's own images (e.g. an mcrouter build): named after the cluster. */
    public String imageRepositoryId() {
        return name;
    }

    /** {@code <region>-docker.pkg.dev/<project>/<repository>}: where images are pushed and pulled. */
    public String imageRepository() {
        return region() + "-docker.pkg.dev/" + project + "/" + imageRepositoryId();
    }

    public GkeClusterArgs {
        nodeLocations = List.copyOf(nodeLocations);
        masterAuthorizedNetworks = List.copyOf(masterAuthorizedNetworks);
    }

    public boolean regional() {
        return GcpLocations.regional(location);
    }

    /** The region of the cluster's subnetwork, router and NAT. */
    public String region() {
        return GcpLocations.regionOf(location);
    }

    public boolean autoscaling() {
        return minNodes != null || maxNodes != null;
    }

    /** The node service account id: 6 to 30 characters, derived from the cluster name. */
    public String nodeServiceAccountId() {
        var base = name.length() > 24 ? name.substring(0, 24) : name;
        return base.replaceAll("-+$", "") + "-nodes";
    }

    public List<String> nodeRoles() {
        return artifactRegistryReader
            ? java.util.stream.Stream.concat(NODE_ROLES.stream(), java.util.stream.Stream.of(ARTIFACT_REGISTRY_READER)).toList()
            : NODE_ROLES;
    }
}
