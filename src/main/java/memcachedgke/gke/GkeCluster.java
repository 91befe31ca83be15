package memcachedgke.gke;

import com.pulumi.core.Output;
import com.pulumi.gcp.compute.Network;
import com.pulumi.gcp.compute.NetworkArgs;
import com.pulumi.gcp.compute.Router;
import com.pulumi.gcp.compute.RouterArgs;
import com.pulumi.gcp.compute.RouterNat;
import com.pulumi.gcp.compute.RouterNatArgs;
import com.pulumi.gcp.compute.Subnetwork;
import com.pulumi.gcp.compute.SubnetworkArgs;
import com.pulumi.gcp.compute.inputs.RouterNatLogConfigArgs;
import com.pulumi.gcp.compute.inputs.SubnetworkSecondaryIpRangeArgs;
import com.pulumi.gcp.container.Cluster;
import com.pulumi.gcp.container.ClusterArgs;
import com.pulumi.gcp.container.NodePool;
import com.pulumi.gcp.container.NodePoolArgs;
import com.pulumi.gcp.container.inputs.ClusterIpAllocationPolicyArgs;
import com.pulumi.gcp.container.inputs.ClusterLoggingConfigArgs;
import com.pulumi.gcp.container.inputs.ClusterMaintenancePolicyArgs;
import com.pulumi.gcp.container.inputs.ClusterMaintenancePolicyDailyMaintenanceWindowArgs;
import com.pulumi.gcp.container.inputs.ClusterMasterAuthArgs;
import com.pulumi.gcp.container.inputs.ClusterMasterAuthClientCertificateConfigArgs;
import com.pulumi.gcp.container.inputs.ClusterMasterAuthorizedNetworksConfigArgs;
import com.pulumi.gcp.container.inputs.ClusterMasterAuthorizedNetworksConfigCidrBlockArgs;
import com.pulumi.gcp.container.inputs.ClusterMonitoringConfigArgs;
import com.pulumi.gcp.container.inputs.ClusterMonitoringConfigManagedPrometheusArgs;
import com.pulumi.gcp.container.inputs.ClusterNodeConfigArgs;
import com.pulumi.gcp.container.inputs.ClusterNodeConfigShieldedInstanceConfigArgs;
import com.pulumi.gcp.container.inputs.ClusterNodeConfigWorkloadMetadataConfigArgs;
import com.pulumi.gcp.container.inputs.ClusterPrivateClusterConfigArgs;
import com.pulumi.gcp.container.inputs.ClusterReleaseChannelArgs;
import com.pulumi.gcp.container.inputs.ClusterWorkloadIdentityConfigArgs;
import com.pulumi.gcp.container.inputs.NodePoolAutoscalingArgs;
import com.pulumi.gcp.container.inputs.NodePoolManagementArgs;
import com.pulumi.gcp.container.inputs.NodePoolNodeConfigArgs;
import com.pulumi.gcp.container.inputs.NodePoolNodeConfigShieldedInstanceConfigArgs;
import com.pulumi.gcp.container.inputs.NodePoolNodeConfigWorkloadMetadataConfigArgs;
import com.pulumi.gcp.container.inputs.NodePoolUpgradeSettingsArgs;
import com.pulumi.gcp.container.outputs.ClusterMasterAuth;
import com.pulumi.gcp.projects.IAMMember;
import com.pulumi.gcp.projects.IAMMemberArgs;
import com.pulumi.gcp.projects.Service;
import com.pulumi.gcp.projects.ServiceArgs;
import com.pulumi.gcp.serviceaccount.Account;
import com.pulumi.gcp.serviceaccount.AccountArgs;
import com.pulumi.kubernetes.Provider;
import com.pulumi.kubernetes.ProviderArgs;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import memcachedgke.config.InvalidConfigException;

/**
 * The GKE cluster and everything it needs in a fresh project: the APIs, its own VPC, a dedicated
 * node service account, (for private nodes) Cloud NAT, a separately managed node pool, and a
 * Kubernetes provider built from a kubeconfig that authenticates with gke-gcloud-auth-plugin.
 */
public final class GkeCluster extends ComponentResource {
    public static final String TYPE = "memcached-gke:gke:GkeCluster";
    static final String PODS_RANGE = "pods";
    static final String SERVICES_RANGE = "services";

    private final Output<String> clusterName;
    private final Output<String> kubeconfig;
    private final Provider provider;

    public GkeCluster(String name, GkeClusterArgs args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        InvalidConfigException.throwIfAny(args.problems("cluster."));
        var child = CustomResourceOptions.builder().parent(this).build();
        var project = args.project();

        var apis = new ArrayList<Resource>();
        for (var api : GkeClusterArgs.REQUIRED_APIS) {
            apis.add(new Service(name + "-api-" + api.substring(0, api.indexOf('.')), ServiceArgs.builder()
                .project(project)
                .service(api)
                // Other workloads in the project may use these APIs: never turn them off on destroy.
                .disableOnDestroy(false)
                .disableDependentServices(false)
                .build(), child));
        }
        var afterApis = CustomResourceOptions.builder().parent(this).dependsOn(apis).build();

        var nodeAccount = new Account(name + "-nodes", AccountArgs.builder()
            .project(project)
            .accountId(args.nodeServiceAccountId())
            .displayName("GKE nodes of " + args.name())
            .description("Least-privilege node service account of the " + args.name() + " cluster (memcached-gke)")
            .build(), afterApis);
        var member = nodeAccount.email().applyValue(email -> "serviceAccount:" + email);
        var roleBindings = new ArrayList<Resource>();
        for (var role : args.nodeRoles()) {
            roleBindings.add(new IAMMember(name + "-nodes-" + role.substring(role.lastIndexOf('/') + 1),
                IAMMemberArgs.builder().project(project).role(role).member(member).build(), child));
        }

        var network = new Network(name + "-network", NetworkArgs.builder()
            .project(project)
            .name(args.name())
            .autoCreateSubnetworks(false)
            .routingMode("REGIONAL")
            .build(), afterApis);
        var subnet = new Subnetwork(name + "-subnet", SubnetworkArgs.builder()
            .project(project)
            .name(args.name() + "-nodes")
            .region(args.region())
            .network(network.id())
            .ipCidrRange(args.subnetCidr())
            .privateIpGoogleAccess(true)
            .secondaryIpRanges(
                SubnetworkSecondaryIpRangeArgs.builder().rangeName(PODS_RANGE).ipCidrRange(args.podsCidr()).build(),
                SubnetworkSecondaryIpRangeArgs.builder().rangeName(SERVICES_RANGE).ipCidrRange(args.servicesCidr()).build())
            .build(), child);

        // What nodes need before they start: their account's role, and (private nodes) a way to pull images.
        var nodePrerequisites = new ArrayList<Resource>(roleBindings);
        if (args.privateNodes()) {
            var router = new Router(name + "-router", RouterArgs.builder()
                .project(project).name(args.name() + "-router").region(args.region()).network(network.id())
                .build(), child);
            nodePrerequisites.add(new RouterNat(name + "-nat", RouterNatArgs.builder()
                .project(project)
                .name(args.name() + "-nat")
                .region(args.region())
                .router(router.name())
                .natIpAllocateOption("AUTO_ONLY")
                .sourceSubnetworkIpRangesToNat("ALL_SUBNETWORKS_ALL_IP_RANGES")
                .logConfig(RouterNatLogConfigArgs.builder().enable(true).filter("ERRORS_ONLY").build())
                .build(), child));
        }
        var clusterDependencies = new ArrayList<Resource>(apis);
        clusterDependencies.addAll(nodePrerequisites);

        var cluster = new Cluster(name, clusterArgs(args, network, subnet, nodeAccount),
            CustomResourceOptions.builder()
                .parent(this)
                // The short-lived default pool already runs as the node account.
                .dependsOn(clusterDependencies)
                .protect(args.deletionProtection())
                // The default pool's node config only matters at creation: the pool is removed at once.
                .ignoreChanges("nodeConfig")
                .build());

        var nodePool = new NodePool(name + "-pool", nodePoolArgs(args, cluster, nodeAccount),
            CustomResourceOptions.builder().parent(this).dependsOn(nodePrerequisites).build());

        this.clusterName = cluster.name();
        this.kubeconfig = Output.tuple(cluster.name(), cluster.endpoint(), cluster.masterAuth())
            .applyValue(t -> Kubeconfig.render(project, args.location(), t.t1, t.t2, caOf(t.t3)))
            .asSecret();
        // Kubernetes objects wait for nodes: a workload on a cluster without nodes never gets ready.
        // ConfigMaps are updated in place, not replaced (pulumi-kubernetes#1567, the option from #1926): the proxies
        // reload a changed config file without a restart.
        this.provider = new Provider(name + "-k8s", ProviderArgs.builder().kubeconfig(kubeconfig)
            .enableConfigMapMutable(true).build(),
            CustomResourceOptions.builder().parent(this).dependsOn(nodePool).build());

        registerOutputs(Map.of("clusterName", clusterName, "kubeconfig", kubeconfig));
    }

    private static ClusterArgs clusterArgs(GkeClusterArgs args, Network network, Subnetwork subnet, Account nodeAccount) {
        var b = ClusterArgs.builder()
            .project(args.project())
            .name(args.name())
            .location(args.location())
            .description("Memcached with mcrouter (memcached-gke)")
            .deletionProtection(args.deletionProtection())
            .removeDefaultNodePool(true)
            .initialNodeCount(1)
            // The short-lived default pool is hardened too, so no node ever runs as the Compute Engine default account.
            .nodeConfig(ClusterNodeConfigArgs.builder()
                .serviceAccount(nodeAccount.email())
                .oauthScopes(GkeClusterArgs.CLOUD_PLATFORM_SCOPE)
                .workloadMetadataConfig(ClusterNodeConfigWorkloadMetadataConfigArgs.builder().mode("GKE_METADATA").build())
                .shieldedInstanceConfig(ClusterNodeConfigShieldedInstanceConfigArgs.builder()
                    .enableSecureBoot(true).enableIntegrityMonitoring(true).build())
                .build())
            .releaseChannel(ClusterReleaseChannelArgs.builder().channel(args.releaseChannel().name()).build())
            .networkingMode("VPC_NATIVE")
            .network(network.id())
            .subnetwork(subnet.id())
            .ipAllocationPolicy(ClusterIpAllocationPolicyArgs.builder()
                .clusterSecondaryRangeName(PODS_RANGE).servicesSecondaryRangeName(SERVICES_RANGE).build())
            // Dataplane V2 enforces NetworkPolicy without the Calico add-on.
            .datapathProvider("ADVANCED_DATAPATH")
            .enableLegacyAbac(false)
            .enableShieldedNodes(true)
            .masterAuth(ClusterMasterAuthArgs.builder()
                .clientCertificateConfig(ClusterMasterAuthClientCertificateConfigArgs.builder()
                    .issueClientCertificate(false).build())
                .build())
            .workloadIdentityConfig(ClusterWorkloadIdentityConfigArgs.builder()
                .workloadPool(args.project() + ".svc.id.goog").build())
            .monitoringConfig(ClusterMonitoringConfigArgs.builder()
                .enableComponents("SYSTEM_COMPONENTS")
                .managedPrometheus(ClusterMonitoringConfigManagedPrometheusArgs.builder().enabled(true).build())
                .build())
            .loggingConfig(ClusterLoggingConfigArgs.builder().enableComponents("SYSTEM_COMPONENTS", "WORKLOADS").build())
            .maintenancePolicy(ClusterMaintenancePolicyArgs.builder()
                .dailyMaintenanceWindow(ClusterMaintenancePolicyDailyMaintenanceWindowArgs.builder()
                    .startTime(args.maintenanceStart()).build())
                .build())
            .resourceLabels(Map.of("managed-by", "pulumi", "part-of", "memcached-gke"));
        if (args.regional() && !args.nodeLocations().isEmpty()) {
            b.nodeLocations(args.nodeLocations());
        }
        if (args.privateNodes()) {
            b.privateClusterConfig(ClusterPrivateClusterConfigArgs.builder()
                .enablePrivateNodes(true)
                // The control plane keeps its public endpoint, limited by the authorized networks.
                .enablePrivateEndpoint(false)
                .masterIpv4CidrBlock(args.masterCidr())
                .build());
        }
        if (!args.masterAuthorizedNetworks().isEmpty()) {
            b.masterAuthorizedNetworksConfig(ClusterMasterAuthorizedNetworksConfigArgs.builder()
                .cidrBlocks(args.masterAuthorizedNetworks().stream()
                    .map(cidr -> ClusterMasterAuthorizedNetworksConfigCidrBlockArgs.builder()
                        .cidrBlock(cidr).displayName("authorized " + cidr).build())
                    .toList())
                .build());
        }
        return b.build();
    }

    private static NodePoolArgs nodePoolArgs(GkeClusterArgs args, Cluster cluster, Account nodeAccount) {
        var b = NodePoolArgs.builder()
            .project(args.project())
            .name(args.name() + "-pool")
            .cluster(cluster.name())
            .location(args.location())
            .management(NodePoolManagementArgs.builder().autoRepair(true).autoUpgrade(true).build())
            // Surge one node, never take one away first: a drained node takes a cache shard with it.
            .upgradeSettings(NodePoolUpgradeSettingsArgs.builder().maxSurge(1).maxUnavailable(0).build())
            .nodeConfig(NodePoolNodeConfigArgs.builder()
                .machineType(args.machineType())
                .imageType("COS_CONTAINERD")
                .diskType("pd-balanced")
                .diskSizeGb(50)
                .spot(args.spot())
                .serviceAccount(nodeAccount.email())
                .oauthScopes(GkeClusterArgs.CLOUD_PLATFORM_SCOPE)
                .workloadMetadataConfig(NodePoolNodeConfigWorkloadMetadataConfigArgs.builder().mode("GKE_METADATA").build())
                .shieldedInstanceConfig(NodePoolNodeConfigShieldedInstanceConfigArgs.builder()
                    .enableSecureBoot(true).enableIntegrityMonitoring(true).build())
                .metadata(Map.of("disable-legacy-endpoints", "true"))
                .labels(Map.of("part-of", "memcached-gke"))
                .build());
        if (args.regional() && !args.nodeLocations().isEmpty()) {
            b.nodeLocations(args.nodeLocations());
        }
        if (args.autoscaling()) {
            b.initialNodeCount(args.nodeCount())
                .autoscaling(NodePoolAutoscalingArgs.builder()
                    .minNodeCount(args.minNodes()).maxNodeCount(args.maxNodes()).build());
        } else {
            b.nodeCount(args.nodeCount());
        }
        return b.build();
    }

    private static String caOf(ClusterMasterAuth auth) {
        return auth.clusterCaCertificate().orElseThrow(() ->
            new IllegalStateException("GKE returned no cluster CA certificate"));
    }

    /** The cluster's name as GKE knows it. */
    public Output<String> clusterName() {
        return clusterName;
    }

    /** A kubeconfig (secret) for the cluster; needs gcloud and gke-gcloud-auth-plugin where it is used. */
    public Output<String> kubeconfig() {
        return kubeconfig;
    }

    /** The Kubernetes provider for the cluster; pass it once to the Kubernetes tiers. */
    public Provider provider() {
        return provider;
    }
}
