package memcachedgke.memcached;

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
import com.pulumi.resources.CustomResourceOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import memcachedgke.config.InvalidConfigException;
import memcachedgke.kube.ClientSelector;
import memcachedgke.kube.Hashes;
import memcachedgke.kube.Labels;
import memcachedgke.kube.Meta;
import memcachedgke.kube.NetworkPolicies;
import memcachedgke.kube.Names;
import memcachedgke.kube.PodSecurity;
import memcachedgke.kube.Probes;
import memcachedgke.kube.Resources;
import memcachedgke.kube.Spread;
import memcachedgke.metrics.Monitoring;
import memcachedgke.sizing.MemcachedSizing;

/**
 * A memcached pool: a StatefulSet whose pods have stable, ordered DNS names through the headless
 * Service it owns, a PodDisruptionBudget and a NetworkPolicy; with metrics on, an exporter sidecar in
 * every pod and the monitoring objects that scrape it. Clients find the servers through
 * {@link #servers()}, in ordinal order, the order mcrouter's consistent hashing depends on.
 */
public final class Memcached extends ComponentResource {
    public static final String TYPE = "memcached-gke:memcached:Memcached";

    private final Output<String> serviceHost;
    private final Output<List<String>> servers;
    private final Output<String> statefulSetName;
    private final String argsHash;

    public Memcached(String name, MemcachedArgs args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        InvalidConfigException.throwIfAny(args.problems("memcached."));
        var child = CustomResourceOptions.builder().parent(this).build();
        var labels = Labels.memcached(args.namePrefix());
        var resourceName = Names.memcached(args.namePrefix());
        var sizing = args.sizing();

        var servicePorts = new ArrayList<ServicePortArgs>();
        servicePorts.add(ServicePortArgs.builder()
            .name(MemcachedArgs.PORT_NAME).protocol("TCP")
            .port(MemcachedArgs.PORT).targetPort(MemcachedArgs.PORT_NAME)
            .build());
        Monitoring.servicePort(args.metrics(), MemcachedArgs.EXPORTER_PORT).ifPresent(servicePorts::add);
        var service = new Service(name + "-service", ServiceArgs.builder()
            .metadata(Meta.of(resourceName, args.namespace(), labels))
            .spec(ServiceSpecArgs.builder()
                .clusterIP("None")
                .selector(labels.selector())
                .ports(servicePorts)
                .build())
            .build(), child);

        Output<String> serviceName = service.metadata().applyValue(Meta::nameOf);
        var statefulSet = new StatefulSet(name + "-statefulset", StatefulSetArgs.builder()
            .metadata(Meta.of(resourceName, args.namespace(), labels))
            .spec(StatefulSetSpecArgs.builder()
                .serviceName(serviceName)
                .replicas(args.replicas())
                // A cache shard needs no ordered start: all pods come up at once.
                .podManagementPolicy("Parallel")
                .minReadySeconds(10)
                .updateStrategy(StatefulSetUpdateStrategyArgs.builder().type("RollingUpdate").build())
                .selector(Meta.selector(labels))
                .template(podTemplate(args, labels, sizing))
                .build())
            .build(), child);

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
            clients.add(ClientSelector.labels(Map.of(MemcachedArgs.DIRECT_CLIENT_LABEL, "true")));
            clients.addAll(args.directClients());
            var ingress = new ArrayList<NetworkPolicyIngressRuleArgs>();
            ingress.add(NetworkPolicies.ingressFrom(clients, MemcachedArgs.PORT_NAME));
            Monitoring.scraperIngress(args.metrics()).ifPresent(ingress::add);
            new NetworkPolicy(name + "-network-policy", NetworkPolicyArgs.builder()
                .metadata(Meta.of(resourceName, args.namespace(), labels))
                .spec(NetworkPolicySpecArgs.builder()
                    .podSelector(Meta.selector(labels))
                    .policyTypes("Ingress", "Egress")
                    .ingress(ingress)
                    // memcached opens no connection of its own: no egress at all.
                    .egress(List.of())
                    .build())
                .build(), child);
        }

        Monitoring.declare(name, resourceName, args.namespace(), labels, args.metrics(), child);

        this.argsHash = Hashes.sha256(args.toString());
        this.statefulSetName = statefulSet.metadata().applyValue(Meta::nameOf);
        this.serviceHost = serviceName.applyValue(svc -> Names.serviceHost(svc, args.namespace()));
        this.servers = Output.tuple(statefulSetName, serviceName).applyValue(t ->
            IntStream.range(0, args.replicas())
                .mapToObj(i -> Names.podHost(t.t1, i, t.t2, args.namespace()) + ":" + MemcachedArgs.PORT)
                .toList());
        registerOutputs(Map.of(
            "serviceHost", serviceHost,
            "servers", servers,
            "statefulSetName", statefulSetName));
    }

    private static PodTemplateSpecArgs podTemplate(MemcachedArgs args, Labels labels, MemcachedSizing sizing) {
        var spread = new ArrayList<TopologySpreadConstraintArgs>();
        spread.add(Spread.over(Spread.NODES, "DoNotSchedule", labels));
        if (args.spreadZones()) {
            spread.add(Spread.over(Spread.ZONES, "ScheduleAnyway", labels));
        }
        return PodTemplateSpecArgs.builder()
            .metadata(ObjectMetaArgs.builder().labels(labels.all()).build())
            .spec(PodSpecArgs.builder()
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

    /** memcached, and the exporter sidecar when metrics are on. */
    private static List<ContainerArgs> containers(MemcachedArgs args, MemcachedSizing sizing) {
        var containers = new ArrayList<ContainerArgs>();
        containers.add(ContainerArgs.builder()
            .name("memcached")
            .image(args.image())
            .command("memcached")
            .args(sizing.args(MemcachedArgs.PORT))
            .ports(ContainerPortArgs.builder()
                .name(MemcachedArgs.PORT_NAME).containerPort(MemcachedArgs.PORT).protocol("TCP").build())
            .readinessProbe(Probes.readiness(MemcachedArgs.PORT_NAME))
            .livenessProbe(Probes.liveness(MemcachedArgs.PORT_NAME))
            .resources(Resources.guaranteed(args.cpuMillis(), sizing.limitMiB()))
            .securityContext(PodSecurity.container())
            // Let endpoint and DNS removal reach clients before the process stops serving.
            .lifecycle(LifecycleArgs.builder()
                .preStop(LifecycleHandlerArgs.builder()
                    .exec(ExecActionArgs.builder().command("sleep", "5").build()).build())
                .build())
            .build());
        if (args.metrics().exporters()) {
            containers.add(Monitoring.exporter(args.exporterImage(), List.of(
                "--memcached.address=localhost:" + MemcachedArgs.PORT,
                "--web.listen-address=:" + MemcachedArgs.EXPORTER_PORT), MemcachedArgs.EXPORTER_PORT));
        }
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

    public Output<String> statefulSetName() {
        return statefulSetName;
    }

    /** SHA-256 of the tier's arguments: changes whenever anything the tier deploys does. */
    public String argsHash() {
        return argsHash;
    }
}
