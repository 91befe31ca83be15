package io.memcachedgke.settings;

import io.memcachedgke.config.ReleaseChannel;
import java.util.List;

/** The GKE cluster of a GKE stack (the stack program only). */
@Doc("The GKE cluster a GKE stack creates, hardened, on its own VPC.")
public record ClusterSpec(
    @Doc("A GKE cluster name: lower-case letters, digits and `-`, starting with a letter, at most 40 characters. The "
        + "VPC, subnetwork, router, NAT, node service account, Artifact Registry repository and fleet membership are "
        + "named after it")
    String name,
    @Doc("A zone (zonal cluster) or a region (regional cluster) that exists. Must be a region in production")
    String location,
    @Doc(value = "Zones of the cluster's region, for a regional cluster's nodes", dflt = "`[]` (GKE picks)")
    List<String> nodeLocations,
    @Doc("1–100 nodes per zone. The initial count when autoscaling, within `minNodes..maxNodes`") int nodeCount,
    @Doc(value = "0–100 per zone. Set together with `maxNodes` to autoscale. Must not exceed `maxNodes`",
        dflt = "unset (fixed size)")
    Integer minNodes,
    @Doc(value = "1–100 per zone", dflt = "unset (fixed size)") Integer maxNodes,
    @Doc("A Compute Engine machine type. Production requires one the program knows (its memory is needed for the fit "
        + "check)")
    String machineType,
    @Doc("Spot VMs for the node pool") boolean spot,
    @Doc("`RAPID`, `REGULAR` or `STABLE`") ReleaseChannel releaseChannel,
    @Doc("GKE deletion protection **and** Pulumi `protect` on the cluster. Must be `true` in production")
    boolean deletionProtection,
    @Doc("Nodes without public IPs, egress through Cloud NAT. Must be `true` in production") boolean privateNodes,
    @Doc(value = "IPv4 CIDR blocks allowed to reach the control plane's endpoint. In production: not empty, and "
        + "without a `/0` range such as `0.0.0.0/0`",
        dflt = "`[]` (any address)")
    List<String> masterAuthorizedNetworks,
    @Doc("An IPv4 `/28` for the control plane of a private cluster") String masterCidr,
    @Doc("IPv4 CIDR: the nodes' subnetwork") String subnetCidr,
    @Doc("IPv4 CIDR: the pods' secondary range") String podsCidr,
    @Doc("IPv4 CIDR: the Services' secondary range") String servicesCidr,
    @Doc("`HH:MM` UTC, start of the daily maintenance window") String maintenanceStart,
    @Doc("Also grant the nodes `roles/artifactregistry.reader` on the whole project. The stack's own repository "
        + "(named after the cluster) is always readable by the nodes")
    boolean artifactRegistryReader,
    @Doc("Register the cluster in the project's fleet. The `kubeconfig` output (and the program's Kubernetes "
        + "provider) then goes through Connect gateway instead of the endpoint")
    boolean connectGateway,
    @Doc(value = "`0` gives surge node upgrades (one new node, then one old node drained at a time); 60–86400 gives "
        + "blue-green upgrades that drain one old node per batch and wait this long before the next",
        dflt = "production: `memcached.warmUpSeconds` + 120 (`420` by default); development: `0`")
    Integer upgradeSoakSeconds) {

    public static final ClusterSpec DEFAULTS = new ClusterSpec("demo-cluster", "us-central1-f", List.of(), 3, null, null,
        "e2-medium", false, ReleaseChannel.REGULAR, true, false, List.of(), "172.16.0.0/28", "10.10.0.0/20",
        "10.20.0.0/14", "10.24.0.0/20", "03:00", false, false, null);

    public ClusterSpec {
        nodeLocations = List.copyOf(nodeLocations);
        masterAuthorizedNetworks = List.copyOf(masterAuthorizedNetworks);
    }
}
