package io.memcachedgke.gke;

import io.memcachedgke.config.ReleaseChannel;
import com.pulumi.core.Output;
import com.pulumi.gcp.artifactregistry.Repository;
import com.pulumi.gcp.artifactregistry.RepositoryArgs;
import com.pulumi.gcp.artifactregistry.RepositoryIamMember;
import com.pulumi.gcp.artifactregistry.RepositoryIamMemberArgs;
import com.pulumi.gcp.container.inputs.NodePoolUpgradeSettingsBlueGreenSettingsArgs;
import com.pulumi.gcp.container.inputs.NodePoolUpgradeSettingsBlueGreenSettingsStandardRolloutPolicyArgs;
import com.pulumi.gcp.gkehub.Membership;
import com.pulumi.gcp.gkehub.MembershipArgs;
import com.pulumi.gcp.gkehub.inputs.MembershipEndpointArgs;
import com.pulumi.gcp.gkehub.inputs.MembershipEndpointGkeClusterArgs;
import com.pulumi.gcp.organizations.OrganizationsFunctions;
import com.pulumi.gcp.organizations.inputs.GetProjectArgs;
import com.pulumi.gcp.organizations.outputs.GetProjectResult;
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
    private final Output<String> imageRepository;
    private final Provider provider;
    private final Resource monitoringApi;

    /**
     * Node-pool fields GKE fills in that the program does not declare and google-beta 5.0.0 neither marks computed
     * nor suppresses, so every preview after the first {@code up} would plan to remove them, and the update the
     * provider then sends names no field and fails with GKE's 400 "At least one of [...] must be specified":
     * <ul>
     *   <li>{@code nodeConfig.resourceLabels}: GKE adds {@code goog-gke-node-pool-provisioning-model}
     *       (hashicorp/terraform-provider-google#15848; suppressed upstream only from 5.45.1). The program sets no
     *       resource labels on the pool: every one there is GKE's.
     *   <li>{@code nodeConfig.kubeletConfig}: GKE returns {@code insecureKubeletReadonlyPortEnabled} and
     *       {@code maxParallelImagePulls}, which 5.0.0 reads back as a block the program "removes"
     *       (terraform-google-modules/terraform-google-kubernetes-engine#2014 and #2193; computed upstream from
     *       5.44.2). The program sets no kubelet config.
     *   <li>{@code initialNodeCount}: only the size a new pool starts with (ForceNew in 5.0.0); afterwards the
     *       autoscaler owns the size, as terraform-google-modules' node pools ignore it.
     * </ul>
     * The bridge applies ignoreChanges to the provider's diff, so the fields GKE set never show.
     */
    static final List<String> NODE_POOL_FIELDS_GKE_OWNS = List.of(
        "nodeConfig.resourceLabels", "nodeConfig.kubeletConfig", "initialNodeCount");

    /**
     * Cluster fields GKE owns. {@code nodeConfig}: only the short-lived default pool's, which is removed at once (and
     * 5.0.0 updates none of it but the image type, hashicorp/terraform-provider-google#19225). {@code dnsConfig}: the
     * program sets none, and 5.0.0 makes the block ForceNew without marking it computed
     * (resource_container_cluster.go), so a DNS config GKE reports would plan a replacement of the whole cluster,
     * every shard with it (hashicorp/terraform-provider-google#14959; in place upstream later).
     */
    static final List<String> CLUSTER_FIELDS_GKE_OWNS = List.of("nodeConfig", "dnsConfig");

    public GkeCluster(String name, GkeClusterArgs args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var child = CustomResourceOptions.builder().parent(this).build();
        var project = args.project();

        var apis = new ArrayList<Resource>();
        for (var api : args.apis()) {
            apis.add(new Service(name + "-api-" + api.substring(0, api.indexOf('.')), ServiceArgs.builder()
                .project(project)
                .service(api)
                // Other workloads in the project may use these APIs: never turn them off on destroy.
                .disableOnDestroy(false)
                .disableDependentServices(false)
                .build(), child));
        }
        this.monitoringApi = apis.get(GkeClusterArgs.REQUIRED_APIS.indexOf(GkeClusterArgs.MONITORING_API));
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
                .ignoreChanges(CLUSTER_FIELDS_GKE_OWNS)
                .build());

        // The stack's own images (an mcrouter build: images/mcrouter), readable by the nodes and nothing else.
        var repository = new Repository(name + "-images", RepositoryArgs.builder()
            .project(project)
            .location(args.region())
            .repositoryId(args.imageRepositoryId())
            .format("DOCKER")
            .description("Images of the " + args.name() + " cluster (memcached-gke)")
            .labels(Map.of("managed-by", "pulumi", "part-of", "memcached-gke"))
            .build(), afterApis);
        nodePrerequisites.add(new RepositoryIamMember(name + "-nodes-read-images", RepositoryIamMemberArgs.builder()
            .project(project)
            .location(args.region())
            .repository(repository.repositoryId())
            .role(GkeClusterArgs.ARTIFACT_REGISTRY_READER)
            .member(member)
            .build(), child));

        // Named after the node settings GKE cannot change in place (GkeClusterArgs.nodePoolId): changing one declares
        // another pool, created beside this one before anything else of the update, while the old pool is deleted
        // last (a resource the program no longer declares goes at the end of the update). In between, the memcached
        // StatefulSet selects the new pool's nodes and rolls its shards onto them one at a time, each after the
        // previous has warmed up (MemcachedArgs.nodeSelector). The pool's GKE name is left to the provider
        // (<resource name>-<random suffix>): with an explicit name, pulumi-terraform-bridge makes every replacement
        // delete-before-replace (pkg/tfbridge/schema.go, nameRequiresDeleteBeforeReplace), which would delete the only
        // pool, and every shard on it, before an empty one is created.
        var nodePool = new NodePool(args.nodePoolResourceName(), nodePoolArgs(args, cluster, nodeAccount),
            CustomResourceOptions.builder().parent(this).dependsOn(nodePrerequisites)
                .ignoreChanges(NODE_POOL_FIELDS_GKE_OWNS)
                .build());

        this.clusterName = cluster.name();
        this.imageRepository = repository.repositoryId().applyValue(id -> args.imageRepository());
        if (args.connectGateway()) {
            // Registered in the project's fleet, the cluster is reached through Connect gateway: IAM decides who may,
            // from anywhere, and the control plane stays closed to every network but the authorized ones.
            var membership = new Membership(name + "-membership", MembershipArgs.builder()
                .project(project)
                .membershipId(args.name())
                .endpoint(MembershipEndpointArgs.builder()
                    .gkeCluster(MembershipEndpointGkeClusterArgs.builder()
                        .resourceLink(cluster.id().applyValue(id -> "//container.googleapis.com/" + id)).build())
                    .build())
                .labels(Map.of("managed-by", "pulumi", "part-of", "memcached-gke"))
                .build(), CustomResourceOptions.builder().parent(this).dependsOn(nodePool).build());
            var projectNumber = OrganizationsFunctions.getProject(GetProjectArgs.builder().projectId(project).build())
                .applyValue(GetProjectResult::number);
            this.kubeconfig = Output.tuple(membership.membershipId(), projectNumber)
                .applyValue(t -> Kubeconfig.gateway(project, args.location(), args.name(), t.t2, t.t1))
                .asSecret();
        } else {
            this.kubeconfig = Output.tuple(cluster.name(), cluster.endpoint(), cluster.masterAuth())
                .applyValue(t -> Kubeconfig.render(project, args.location(), t.t1, t.t2, caOf(t.t3)))
                .asSecret();
        }
        // Kubernetes objects wait for nodes: a workload on a cluster without nodes never gets ready.
        // ConfigMaps are updated in place, not replaced (pulumi-kubernetes#1567, the option from #1926): the proxies
        // reload a changed config file without a restart.
        this.provider = new Provider(name + "-k8s", ProviderArgs.builder().kubeconfig(kubeconfig)
            .enableConfigMapMutable(true).build(),
            CustomResourceOptions.builder().parent(this).dependsOn(nodePool).build());

        registerOutputs(Map.of("clusterName", clusterName, "kubeconfig", kubeconfig, "imageRepository", imageRepository));
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
                .metadata(GkeClusterArgs.NODE_METADATA)
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
                // kube-state-metrics for the DaemonSet and StatefulSet: the "node without a ready proxy" alert.
                .enableComponents("SYSTEM_COMPONENTS", "DAEMONSET", "STATEFULSET", "POD")
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
            .cluster(cluster.name())
            .location(args.location())
            .management(NodePoolManagementArgs.builder().autoRepair(true).autoUpgrade(true).build())
            .upgradeSettings(upgradeSettings(args))
            .nodeConfig(NodePoolNodeConfigArgs.builder()
                .machineType(args.machineType())
                .imageType("COS_CONTAINERD")
                .diskType(GkeClusterArgs.NODE_DISK_TYPE)
                .diskSizeGb(GkeClusterArgs.NODE_DISK_SIZE_GB)
                .spot(args.spot())
                .serviceAccount(nodeAccount.email())
                .oauthScopes(GkeClusterArgs.CLOUD_PLATFORM_SCOPE)
                .workloadMetadataConfig(NodePoolNodeConfigWorkloadMetadataConfigArgs.builder().mode("GKE_METADATA").build())
                .shieldedInstanceConfig(NodePoolNodeConfigShieldedInstanceConfigArgs.builder()
                    .enableSecureBoot(true).enableIntegrityMonitoring(true).build())
                .metadata(GkeClusterArgs.NODE_METADATA)
                // The label the memcached shards select: the nodes of this pool, not of one being replaced.
                .labels(Map.of("part-of", "memcached-gke", GkeClusterArgs.NODE_POOL_LABEL, args.nodePoolId()))
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

    /**
     * How node upgrades drain nodes, each drain restarting the shard on it. Surge (development): a new node first,
     * then one old node drained at a time, with nothing to stop two drains within a shard's warm-up. Blue-green
     * (production, {@code upgradeSoakSeconds > 0}): a new pool beside the old, then one old node drained per batch
     * and a soak of {@code upgradeSoakSeconds} after each before the next, so no two shards restart within the
     * warm-up; the old pool stays until the end, so a bad upgrade rolls back onto it.
     */
    static NodePoolUpgradeSettingsArgs upgradeSettings(GkeClusterArgs args) {
        if (args.upgradeSoakSeconds() == 0) {
            return NodePoolUpgradeSettingsArgs.builder().strategy("SURGE").maxSurge(1).maxUnavailable(0).build();
        }
        return NodePoolUpgradeSettingsArgs.builder()
            .strategy("BLUE_GREEN")
            .blueGreenSettings(NodePoolUpgradeSettingsBlueGreenSettingsArgs.builder()
                .standardRolloutPolicy(NodePoolUpgradeSettingsBlueGreenSettingsStandardRolloutPolicyArgs.builder()
                    .batchNodeCount(1)
                    .batchSoakDuration(args.upgradeSoakSeconds() + "s")
                    .build())
                // After the last drain: time to watch the new nodes before the old pool is deleted.
                .nodePoolSoakDuration(args.upgradeSoakSeconds() + "s")
                .build())
            .build();
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

    /** {@code <region>-docker.pkg.dev/<project>/<repository>}: the stack's image repository. */
    public Output<String> imageRepository() {
        return imageRepository;
    }

    /** What enables the project's Monitoring API: Cloud Monitoring resources of the stack wait for it. */
    public Resource monitoringApi() {
        return monitoringApi;
    }

    /** The Kubernetes provider for the cluster; pass it once to the Kubernetes tiers. */
    public Provider provider() {
        return provider;
    }
}
