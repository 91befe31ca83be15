package io.memcachedgke.memcached;

import io.memcachedgke.kube.Ports;
import com.pulumi.core.Output;
import com.pulumi.kubernetes.apps.v1.StatefulSet;
import com.pulumi.kubernetes.apps.v1.StatefulSetArgs;
import com.pulumi.kubernetes.apps.v1.inputs.StatefulSetSpecArgs;
import com.pulumi.kubernetes.apps.v1.inputs.StatefulSetUpdateStrategyArgs;
import com.pulumi.kubernetes.core.v1.Service;
import com.pulumi.kubernetes.core.v1.ServiceArgs;
import com.pulumi.kubernetes.core.v1.inputs.AffinityArgs;
import com.pulumi.kubernetes.core.v1.inputs.ContainerArgs;
import com.pulumi.kubernetes.core.v1.inputs.ContainerPortArgs;
import com.pulumi.kubernetes.core.v1.inputs.ExecActionArgs;
import com.pulumi.kubernetes.core.v1.inputs.LifecycleArgs;
import com.pulumi.kubernetes.core.v1.inputs.LifecycleHandlerArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodAffinityTermArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodAntiAffinityArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodSpecArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodTemplateSpecArgs;
import com.pulumi.kubernetes.core.v1.inputs.ServicePortArgs;
import com.pulumi.kubernetes.core.v1.inputs.ServiceSpecArgs;
import com.pulumi.kubernetes.core.v1.inputs.TopologySpreadConstraintArgs;
import com.pulumi.kubernetes.core.v1.inputs.WeightedPodAffinityTermArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.kubernetes.networking.v1.NetworkPolicy;
import com.pulumi.kubernetes.networking.v1.NetworkPolicyArgs;
import com.pulumi.kubernetes.networking.v1.inputs.NetworkPolicyIngressRuleArgs;
import com.pulumi.kubernetes.networking.v1.inputs.NetworkPolicySpecArgs;
import com.pulumi.kubernetes.policy.v1.PodDisruptionBudget;
import com.pulumi.kubernetes.policy.v1.PodDisruptionBudgetArgs;
import com.pulumi.kubernetes.policy.v1.inputs.PodDisruptionBudgetSpecArgs;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import io.memcachedgke.kube.Children;
import io.memcachedgke.kube.ClientSelector;
import io.memcachedgke.kube.Hashes;
import io.memcachedgke.kube.Labels;
import io.memcachedgke.kube.Meta;
import io.memcachedgke.kube.NetworkPolicies;
import io.memcachedgke.kube.Names;
import io.memcachedgke.kube.PodSecurity;
import io.memcachedgke.kube.Probes;
import io.memcachedgke.kube.Resources;
import io.memcachedgke.kube.Spread;
import io.memcachedgke.sizing.MemcachedSizing;

/**
 * A memcached pool: a StatefulSet whose pods have stable, ordered DNS names through the headless
 * Service it owns, a PodDisruptionBudget and a NetworkPolicy. A pod holds memcached and nothing else:
 * metrics are scraped from outside ({@code metrics.Metrics}), so no metrics change ever restarts a shard.
 * Shards restart one at a time, the next only {@code warmUpSeconds} after the previous is ready.
 * Clients find the servers through {@link #servers()}, in ordinal order, the order mcrouter's consistent
 * hashing depends on.
 */
public final class Memcached extends ComponentResource {
    public static final String TYPE = "memcached-gke:memcached:Memcached";
    /** The cluster autoscaler's opt-out from evicting a pod when it scales a node pool down. */
    public static final String SAFE_TO_EVICT = "cluster-autoscaler.kubernetes.io/safe-to-evict";

    private final Output<String> serviceHost;
    private final Output<List<String>> servers;
    private final Output<String> statefulSetName;
    private final Output<String> rollCheckJob;
    private final String argsHash;

    public Memcached(String name, MemcachedArgs args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var child = Children.of(this, options).build();
        var labels = Labels.memcached(args.namePrefix());
        var resourceName = Names.memcached(args.namePrefix());
        var sizing = args.sizing();

        var servicePorts = new ArrayList<ServicePortArgs>();
        servicePorts.add(ServicePortArgs.builder()
            .name(Ports.MEMCACHED_NAME).protocol("TCP")
            .port(Ports.MEMCACHED).targetPort(Ports.MEMCACHED_NAME)
            .build());
        var service = new Service(name + "-service", ServiceArgs.builder()
            .metadata(Meta.of(resourceName, args.namespace(), labels))
            .spec(ServiceSpecArgs.builder()
                .clusterIP("None")
                .selector(labels.selector())
                .ports(servicePorts)
                .build())
            .build(), child);

        Output<String> serviceName = service.metadata().applyValue(Meta::nameOf);
        // A rolling update restarts one shard, waits until it is ready and then minReadySeconds more (the
        // warm-up) before the next; the roll check waits for the whole roll, so give it the time it takes.
        var rollTime = Duration.ofSeconds((long) args.podCount() * (args.warmUpSeconds() + POD_START_SECONDS) + 600);
        var statefulSet = new StatefulSet(name + "-statefulset", StatefulSetArgs.builder()
            .metadata(ObjectMetaArgs.builder()
                .name(resourceName)
                .namespace(args.namespace())
                .labels(labels.all())
                // The provider neither awaits it nor checks it on refresh: the roll check waits (RollCheck says why).
                .annotations(Map.of(RollCheck.SKIP_AWAIT, "true"))
                .build())
            .spec(StatefulSetSpecArgs.builder()
                .serviceName(serviceName)
                .replicas(args.podCount())
                // A cache shard needs no ordered start: all pods come up at once (rolling updates still go one by one).
                .podManagementPolicy("Parallel")
                .minReadySeconds(args.warmUpSeconds())
                .updateStrategy(StatefulSetUpdateStrategyArgs.builder().type("RollingUpdate").build())
                .selector(Meta.selector(labels))
                .template(podTemplate(args, labels, sizing))
                .build())
            .build(), child);
        this.rollCheckJob = RollCheck.declare(name, args, rollTime, this, options, statefulSet).metadata()
            .applyValue(Meta::nameOf);

        new PodDisruptionBudget(name + "-pdb", PodDisruptionBudgetArgs.builder()
            .metadata(Meta.of(resourceName, args.namespace(), labels))
            .spec(PodDisruptionBudgetSpecArgs.builder()
                .maxUnavailable(1)
                .selector(Meta.selector(labels))
                .build())
            .build(), child);

        if (args.networkPolicy()) {
            var clients = new ArrayList<ClientSelector>();
            clients.add(ClientSelector.labels(Labels.mcrouter(args.namePrefix()).selector()));
            clients.add(ClientSelector.labels(Map.of(Labels.DIRECT_CLIENT, "true")));
            clients.addAll(args.directClients());
            var ingress = new ArrayList<NetworkPolicyIngressRuleArgs>();
            ingress.add(NetworkPolicies.ingressFrom(clients, Ports.MEMCACHED_NAME));
            new NetworkPolicy(name + "-network-policy", NetworkPolicyArgs.builder()
                .metadata(Meta.of(resourceName, args.namespace(), labels))
                .spec(NetworkPolicySpecArgs.builder()
                    .podSelector(Meta.selector(labels))
                    .policyTypes("Ingress", "Egress")
                    .ingress(ingress)
                    // memcached opens no connection of its own: no egress at all. "Egress" among the policyTypes
                    // with no egress rule denies every egress (Kubernetes docs, Network Policies: "Default deny all
                    // egress traffic"). No `egress: []`: the Kubernetes provider drops an empty list from the
                    // inputs it checks, so the state would differ from what the program declares (the real-engine
                    // suite's export test), and the API server does not keep it either.
                    .build())
                .build(), child);
        }

        if (args.reload() != null) {
            CertReloader.declare(name, args, this, options, statefulSet);
        }

        this.argsHash = Hashes.sha256(args.toString());
        this.statefulSetName = statefulSet.metadata().applyValue(Meta::nameOf);
        this.serviceHost = serviceName.applyValue(svc -> Names.serviceHost(svc, args.namespace()));
        // Every pod the StatefulSet runs, known once it exists; the names are MemcachedArgs.servers(), the one
        // place they are made, so the proxies' config (built from the same args) and this output agree.
        this.servers = statefulSetName.applyValue(sts -> args.servers(args.podCount()));
        registerOutputs(Map.of(
            "serviceHost", serviceHost,
            "servers", servers,
            "statefulSetName", statefulSetName,
            "rollCheckJob", rollCheckJob));
    }

    /** What a restarted shard's pod takes to be scheduled, pull its image and become ready, at most. */
    public static final int POD_START_SECONDS = 120;

    private static PodTemplateSpecArgs podTemplate(MemcachedArgs args, Labels labels, MemcachedSizing sizing) {
        var spread = new ArrayList<TopologySpreadConstraintArgs>();
        spread.add(Spread.over(Spread.NODES, "DoNotSchedule", labels));
        if (args.spreadZones()) {
            spread.add(Spread.over(Spread.ZONES, "ScheduleAnyway", labels));
        }
        var spec = PodSpecArgs.builder();
        if (!args.nodeSelector().isEmpty()) {
            // A new value (a GKE stack's replaced node pool) changes the template: the StatefulSet's RollingUpdate
            // moves the shards onto the new nodes from the highest ordinal down, each after the previous has been
            // Ready for minReadySeconds (the warm-up), and the provider waits for the roll (Kubernetes docs,
            // StatefulSet "Rolling Updates" and "Minimum ready seconds"). Spreading counts only the selected
            // nodes (topologySpreadConstraints nodeAffinityPolicy: Honor, the default).
            spec.nodeSelector(new TreeMap<>(args.nodeSelector()));
        }
        if (args.tls() != null) {
            // The certificate as a directory (TlsMount): a renewal changes the files, not the pod template.
            spec.volumes(args.tls().volume());
        }
        return PodTemplateSpecArgs.builder()
            .metadata(ObjectMetaArgs.builder()
                .labels(labels.all())
                // The cluster autoscaler must not evict a shard to consolidate nodes: the shard would start empty.
                .annotations(Map.of(SAFE_TO_EVICT, "false"))
                .build())
            .spec(spec
                .automountServiceAccountToken(false)
                .enableServiceLinks(false)
                .securityContext(PodSecurity.pod(PodSecurity.MEMCACHED_UID))
                .terminationGracePeriodSeconds(30)
                .topologySpreadConstraints(spread)
                .affinity(AffinityArgs.builder()
                    .podAntiAffinity(PodAntiAffinityArgs.builder()
                        .preferredDuringSchedulingIgnoredDuringExecution(WeightedPodAffinityTermArgs.builder()
                            .weight(100)
                            .podAffinityTerm(PodAffinityTermArgs.builder()
                                .topologyKey(Spread.NODES)
                                .labelSelector(Meta.selector(labels))
                                .build())
                            .build())
                        .build())
                    .build())
                .containers(containers(args, sizing))
                .build())
            .build();
    }

    /** memcached's command line: the sizing's flags, then TLS's. */
    static List<String> args(MemcachedArgs args, MemcachedSizing sizing) {
        var out = new ArrayList<>(sizing.args(Ports.MEMCACHED));
        out.addAll(args.tlsArgs());
        return out;
    }

    /** memcached, alone. */
    private static List<ContainerArgs> containers(MemcachedArgs args, MemcachedSizing sizing) {
        var memcached = ContainerArgs.builder();
        if (args.tls() != null) {
            memcached.volumeMounts(args.tls().mount());
        }
        var containers = new ArrayList<ContainerArgs>();
        containers.add(memcached
            .name("memcached")
            .image(args.image())
            .command("memcached")
            .args(args(args, sizing))
            .ports(ContainerPortArgs.builder()
                .name(Ports.MEMCACHED_NAME).containerPort(Ports.MEMCACHED).protocol("TCP").build())
            .readinessProbe(Probes.readiness(Ports.MEMCACHED_NAME))
            .livenessProbe(Probes.liveness(Ports.MEMCACHED_NAME))
            .resources(Resources.guaranteed(args.cpuMillis(), sizing.limitMiB()))
            .securityContext(PodSecurity.container())
            // Let endpoint and DNS removal reach clients before the process stops serving.
            .lifecycle(LifecycleArgs.builder()
                .preStop(LifecycleHandlerArgs.builder()
                    .exec(ExecActionArgs.builder().command("sleep", "5").build()).build())
                .build())
            .build());
        return containers;
    }

    /** {@code <service>.<namespace>.svc.cluster.local}: resolves to every memcached pod. */
    public Output<String> serviceHost() {
        return serviceHost;
    }

    /** {@code <pod>.<service>.<namespace>.svc.cluster.local:11211} for every pod, in ordinal order. */
    public Output<List<String>> servers() {
        return servers;
    }

    /** The Job that waited for the shards' last roll: {@code kubectl logs job/<name>}. */
    public Output<String> rollCheckJob() {
        return rollCheckJob;
    }

    /** SHA-256 of the tier's arguments: changes whenever anything the tier deploys does. */
    public String argsHash() {
        return argsHash;
    }
}
