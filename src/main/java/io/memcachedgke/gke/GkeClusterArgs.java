package io.memcachedgke.gke;

import java.util.List;
import java.util.Map;
import io.memcachedgke.config.Formats;
import io.memcachedgke.config.GcpLocations;
import io.memcachedgke.config.Suggest;
import io.memcachedgke.config.Rule;

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
        return Formats.GCP_REGION.matcher(location).matches();
    }

    /** The region of the cluster's subnetwork, router and NAT. */
    public String region() {
        int dash = location.lastIndexOf('-');
        return regional() || dash < 0 ? location : location.substring(0, dash);
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

    public static final List<Rule<GkeClusterArgs>> RULES = List.of(
        Rule.matches("name", GkeClusterArgs::name, java.util.regex.Pattern.compile("[a-z]([-a-z0-9]{0,38}[a-z0-9])?"),
            "a GKE cluster name (lower-case letters, digits and '-', starting with a letter, at most 40 characters)"),
        // The real list of regions and zones (GcpLocations names its source): a zone that does not exist
        // would only fail minutes into `pulumi up`.
        Rule.custom("location", (a, p) -> GcpLocations.isZone(a.location()) || GcpLocations.isRegion(a.location()) ? null
            : "must be a GCP zone (e.g. us-central1-f) or region (e.g. us-central1), but " + Rule.quote(a.location())
                + " was provided" + knownZonesOf(a.location())),
        Rule.custom("nodeLocations", (a, p) -> a.nodeLocations().stream()
            .filter(z -> !GcpLocations.zonesOf(a.region()).contains(z))
            .findFirst()
            .map(z -> "must list zones of the cluster's region " + a.region() + ", but " + Rule.quote(z) + " was provided"
                + (GcpLocations.isRegion(a.region()) ? "; its zones are " + String.join(", ", GcpLocations.zonesOf(a.region())) : ""))
            .orElse(null)),
        Rule.between("nodeCount", GkeClusterArgs::nodeCount, 1, 100),
        Rule.of("minNodes", GkeClusterArgs::minNodes, v -> v >= 0 && v <= 100, v -> "must be between 0 and 100"),
        Rule.of("maxNodes", GkeClusterArgs::maxNodes, v -> v >= 1 && v <= 100, v -> "must be between 1 and 100"),
        Rule.custom("minNodes", (a, p) -> a.autoscaling() && (a.minNodes() == null || a.maxNodes() == null)
            ? "and " + p + "maxNodes must be set together to turn on autoscaling" : null),
        Rule.custom("minNodes", (a, p) -> a.minNodes() != null && a.maxNodes() != null && a.minNodes() > a.maxNodes()
            ? "must not exceed " + p + "maxNodes (" + a.maxNodes() + "), but " + a.minNodes() + " was provided" : null),
        Rule.custom("nodeCount", (a, p) -> a.minNodes() != null && a.maxNodes() != null && a.minNodes() <= a.maxNodes()
                && (a.nodeCount() < a.minNodes() || a.nodeCount() > a.maxNodes())
            ? "must be within " + p + "minNodes.." + p + "maxNodes (" + a.minNodes() + ".." + a.maxNodes()
                + ") when autoscaling, but " + a.nodeCount() + " was provided" : null),
        Rule.custom("masterAuthorizedNetworks", (a, p) -> a.masterAuthorizedNetworks().stream()
            .filter(c -> !Formats.isIpv4Cidr(c)).findFirst()
            .map(c -> "must be a list of IPv4 CIDR blocks (e.g. 203.0.113.0/24), but " + Rule.quote(c) + " was provided")
            .orElse(null)),
        Rule.of("masterCidr", GkeClusterArgs::masterCidr, c -> Formats.isIpv4Cidr(c) && c.endsWith("/28"),
            v -> "must be an IPv4 /28 CIDR block for the control plane"),
        Rule.of("subnetCidr", GkeClusterArgs::subnetCidr, Formats::isIpv4Cidr, v -> "must be an IPv4 CIDR block"),
        Rule.of("podsCidr", GkeClusterArgs::podsCidr, Formats::isIpv4Cidr, v -> "must be an IPv4 CIDR block"),
        Rule.of("servicesCidr", GkeClusterArgs::servicesCidr, Formats::isIpv4Cidr, v -> "must be an IPv4 CIDR block"),
        Rule.matches("maintenanceStart", GkeClusterArgs::maintenanceStart, Formats.HOUR_MINUTE, "a time \"HH:MM\" (UTC)"),
        Rule.matches("machineType", GkeClusterArgs::machineType, java.util.regex.Pattern.compile("[a-z][a-z0-9]*-[a-z0-9-]+"),
            "a Compute Engine machine type (e.g. e2-medium)"),
        Rule.of("upgradeSoakSeconds", GkeClusterArgs::upgradeSoakSeconds, v -> v == 0 || (v >= 60 && v <= 86400),
            v -> "must be 0 (surge upgrades) or between 60 and 86400 (blue-green upgrades, seconds between drained nodes)"));

    public List<String> problems(String keyPrefix) {
        return Rule.checkAll(RULES, this, keyPrefix);
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

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String project;
        private String name = "demo-cluster";
        private String location = "us-central1-f";
        private List<String> nodeLocations = List.of();
        private int nodeCount = 3;
        private Integer minNodes;
        private Integer maxNodes;
        private String machineType = "e2-medium";
        private boolean spot = false;
        private ReleaseChannel releaseChannel = ReleaseChannel.REGULAR;
        private boolean deletionProtection = true;
        private boolean privateNodes = false;
        private List<String> masterAuthorizedNetworks = List.of();
        private String masterCidr = "172.16.0.0/28";
        private String subnetCidr = "10.10.0.0/20";
        private String podsCidr = "10.20.0.0/14";
        private String servicesCidr = "10.24.0.0/20";
        private String maintenanceStart = "03:00";
        private boolean artifactRegistryReader = false;
        private boolean connectGateway = false;
        private int upgradeSoakSeconds = 0;

        /** @param v GCP project id; required (from {@code gcp:project}) */
        public Builder project(String v) { this.project = v; return this; }
        /** @param v cluster name. @default {@code demo-cluster} (the lab's) */
        public Builder name(String v) { this.name = v; return this; }
        /** @param v zone or region. @default {@code us-central1-f} (the lab's zone) */
        public Builder location(String v) { this.location = v; return this; }
        /** @param v zones of a regional cluster's nodes. @default empty: GKE picks */
        public Builder nodeLocations(List<String> v) { this.nodeLocations = v; return this; }
        /** @param v nodes per zone. @default 3 (the lab's {@code --num-nodes 3}) */
        public Builder nodeCount(int v) { this.nodeCount = v; return this; }
        /** @param v autoscaling minimum per zone. @default null: fixed size */
        public Builder minNodes(Integer v) { this.minNodes = v; return this; }
        /** @param v autoscaling maximum per zone. @default null: fixed size */
        public Builder maxNodes(Integer v) { this.maxNodes = v; return this; }
        /** @param v machine type. @default {@code e2-medium} (gcloud's default, the lab's) */
        public Builder machineType(String v) { this.machineType = v; return this; }
        /** @param v Spot VMs. @default false */
        public Builder spot(boolean v) { this.spot = v; return this; }
        /** @param v release channel. @default {@link ReleaseChannel#REGULAR} */
        public Builder releaseChannel(ReleaseChannel v) { this.releaseChannel = v; return this; }
        /** @param v deletion protection (GKE and Pulumi). @default true: destroying a cluster is a decision */
        public Builder deletionProtection(boolean v) { this.deletionProtection = v; return this; }
        /** @param v private nodes with Cloud NAT. @default false */
        public Builder privateNodes(boolean v) { this.privateNodes = v; return this; }
        /** @param v control plane allow-list. @default empty: any address (with Google auth still required) */
        public Builder masterAuthorizedNetworks(List<String> v) { this.masterAuthorizedNetworks = v; return this; }
        /** @param v control plane range. @default {@code 172.16.0.0/28} */
        public Builder masterCidr(String v) { this.masterCidr = v; return this; }
        /** @param v node range. @default {@code 10.10.0.0/20} */
        public Builder subnetCidr(String v) { this.subnetCidr = v; return this; }
        /** @param v pod range. @default {@code 10.20.0.0/14} */
        public Builder podsCidr(String v) { this.podsCidr = v; return this; }
        /** @param v Service range. @default {@code 10.24.0.0/20} */
        public Builder servicesCidr(String v) { this.servicesCidr = v; return this; }
        /** @param v maintenance window start. @default {@code 03:00} UTC */
        public Builder maintenanceStart(String v) { this.maintenanceStart = v; return this; }
        /** @param v grant Artifact Registry read. @default false (public images need none) */
        public Builder artifactRegistryReader(boolean v) { this.artifactRegistryReader = v; return this; }

        /** @param v reach the cluster through Connect gateway. @default false: its own endpoint */
        public Builder connectGateway(boolean v) { this.connectGateway = v; return this; }
        /** @param v blue-green soak between drained nodes, or 0 for surge upgrades. @default 0 (surge) */
        public Builder upgradeSoakSeconds(int v) { this.upgradeSoakSeconds = v; return this; }

        public GkeClusterArgs build() {
            if (project == null) {
                throw new IllegalStateException("GkeClusterArgs.project is required");
            }
            return new GkeClusterArgs(project, name, location, nodeLocations, nodeCount, minNodes, maxNodes,
                machineType, spot, releaseChannel, deletionProtection, privateNodes, masterAuthorizedNetworks,
                masterCidr, subnetCidr, podsCidr, servicesCidr, maintenanceStart, artifactRegistryReader, connectGateway,
                upgradeSoakSeconds);
        }
    }
}
