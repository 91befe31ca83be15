package memcachedgke.mcrouter;

import com.pulumi.core.Output;
import com.pulumi.kubernetes.apps.v1.DaemonSet;
import com.pulumi.kubernetes.apps.v1.DaemonSetArgs;
import com.pulumi.kubernetes.apps.v1.inputs.DaemonSetSpecArgs;
import com.pulumi.kubernetes.apps.v1.inputs.DaemonSetUpdateStrategyArgs;
import com.pulumi.kubernetes.apps.v1.inputs.RollingUpdateDaemonSetArgs;
import com.pulumi.kubernetes.core.v1.ConfigMap;
import com.pulumi.kubernetes.core.v1.ConfigMapArgs;
import com.pulumi.kubernetes.core.v1.Service;
import com.pulumi.kubernetes.core.v1.ServiceArgs;
import com.pulumi.kubernetes.core.v1.inputs.ConfigMapVolumeSourceArgs;
import com.pulumi.kubernetes.core.v1.inputs.ContainerArgs;
import com.pulumi.kubernetes.core.v1.inputs.ContainerPortArgs;
import com.pulumi.kubernetes.core.v1.inputs.EmptyDirVolumeSourceArgs;
import com.pulumi.kubernetes.core.v1.inputs.EnvVarArgs;
import com.pulumi.kubernetes.core.v1.inputs.EnvVarSourceArgs;
import com.pulumi.kubernetes.core.v1.inputs.ObjectFieldSelectorArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodSpecArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodTemplateSpecArgs;
import com.pulumi.kubernetes.core.v1.inputs.ServicePortArgs;
import com.pulumi.kubernetes.core.v1.inputs.ServiceSpecArgs;
import com.pulumi.kubernetes.core.v1.inputs.VolumeArgs;
import com.pulumi.kubernetes.core.v1.inputs.VolumeMountArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.kubernetes.networking.v1.NetworkPolicy;
import com.pulumi.kubernetes.networking.v1.NetworkPolicyArgs;
import com.pulumi.kubernetes.networking.v1.inputs.NetworkPolicyIngressRuleArgs;
import com.pulumi.kubernetes.networking.v1.inputs.NetworkPolicySpecArgs;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import memcachedgke.memcached.MemcachedArgs;
import memcachedgke.metrics.Monitoring;

/**
 * mcrouter on every node: its config generated from the memcached tier's servers, a DaemonSet whose
 * pod template carries the config's hash (so a new server list rolls the proxies, one node at a
 * time), a node-local Service and a NetworkPolicy; with metrics on, an exporter sidecar in every
 * proxy pod and the monitoring objects that scrape it.
 */
public final class Mcrouter extends ComponentResource {
    public static final String TYPE = "memcached-gke:mcrouter:Mcrouter";

    private final Output<String> configJson;
    private final Output<String> configHash;
    private final Output<String> serviceHost;
    private final Output<Integer> port;

    private final Exposure exposure;
    private final String argsHash;

    /**
     * @param servers the memcached servers ({@code host:port}, in ordinal order), normally
     *                {@code Memcached.servers()}: the config is generated from them, never typed
     */
    public Mcrouter(String name, McrouterArgs args, Output<List<String>> servers, ComponentResourceOptions options) {
        super(TYPE, name, options);
        InvalidConfigException.throwIfAny(args.problems("mcrouter."));
        var child = CustomResourceOptions.builder().parent(this).build();
        var labels = Labels.mcrouter(args.namePrefix());
        var resourceName = Names.mcrouter(args.namePrefix());

        Output<McrouterConfig> config = servers.applyValue(McrouterConfig::forServers);
        this.configJson = config.applyValue(McrouterConfig::toJson);
        this.configHash = config.applyValue(McrouterConfig::sha256);

        var configMap = new ConfigMap(name + "-config", ConfigMapArgs.builder()
            .metadata(Meta.of(resourceName, args.namespace(), labels))
            .data(configJson.applyValue(json -> Map.of("config.json", json)))
            .build(), child);

        var volumes = new ArrayList<VolumeArgs>();
        var mounts = new ArrayList<VolumeMountArgs>();
        volumes.add(VolumeArgs.builder().name("config")
            .configMap(ConfigMapVolumeSourceArgs.builder().name(configMap.metadata().applyValue(Meta::nameOf)).build())
            .build());
        mounts.add(VolumeMountArgs.builder().name("config").mountPath(McrouterArgs.CONFIG_DIR).readOnly(true).build());
        for (int i = 0; i < McrouterArgs.WRITABLE_DIRS.size(); i++) {
            var volume = "scratch-" + i;
            volumes.add(VolumeArgs.builder().name(volume)
                .emptyDir(EmptyDirVolumeSourceArgs.builder().sizeLimit("64Mi").build()).build());
            mounts.add(VolumeMountArgs.builder().name(volume).mountPath(McrouterArgs.WRITABLE_DIRS.get(i)).build());
        }

        var containerPort = ContainerPortArgs.builder()
            .name(McrouterArgs.PORT_NAME).containerPort(args.port()).protocol("TCP");
        if (args.exposure() == Exposure.HOST_PORT) {
            containerPort.hostPort(args.port());
        }

        var containers = new ArrayList<ContainerArgs>();
        containers.add(ContainerArgs.builder()
            .name("mcrouter")
            .image(args.image())
            .command("mcrouter")
            .args("-p", Integer.toString(args.port()), "--config-file=" + McrouterArgs.CONFIG_FILE)
            .ports(containerPort.build())
            .readinessProbe(Probes.readiness(McrouterArgs.PORT_NAME))
            .livenessProbe(Probes.liveness(McrouterArgs.PORT_NAME))
            .resources(Resources.guaranteed(args.cpuMillis(), args.memoryMiB()))
            .securityContext(PodSecurity.container())
            .volumeMounts(mounts)
            .build());
        if (args.metrics().exporters()) {
            // mcrouter answers `stats` on its own port in the memcached text protocol; the exporter turns
            // that (and `stats servers`: per-server TKO, timeouts, errors) into Prometheus metrics.
            containers.add(Monitoring.exporter(args.exporterImage(), List.of(
                "-mcrouter.address=localhost:" + args.port(),
                "-web.listen-address=:" + McrouterArgs.EXPORTER_PORT,
                "-mcrouter.server_metrics"), McrouterArgs.EXPORTER_PORT));
        }

        new DaemonSet(name + "-daemonset", DaemonSetArgs.builder()
            .metadata(Meta.of(resourceName, args.namespace(), labels))
            .spec(DaemonSetSpecArgs.builder()
                .selector(Meta.selector(labels))
                .minReadySeconds(5)
                .updateStrategy(DaemonSetUpdateStrategyArgs.builder()
                    .type("RollingUpdate")
                    // One node at a time; no surge, as a second proxy could not bind the host port.
                    .rollingUpdate(RollingUpdateDaemonSetArgs.builder().maxUnavailable(1).maxSurge(0).build())
                    .build())
                .template(PodTemplateSpecArgs.builder()
                    .metadata(ObjectMetaArgs.builder()
                        .labels(labels.all())
                        .annotations(configHash.applyValue(h -> Map.of(McrouterArgs.CONFIG_HASH_ANNOTATION, h)))
                        .build())
                    .spec(PodSpecArgs.builder()
                        .automountServiceAccountToken(false)
                        .enableServiceLinks(false)
                        .securityContext(PodSecurity.pod(PodSecurity.NOBODY_UID))
                        .terminationGracePeriodSeconds(30)
                        .volumes(volumes)
                        .containers(containers)
                        .build())
                    .build())
                .build())
            .build(), child);

        // Node-local in both exposures: a client on a node is always served by that node's proxy.
        var servicePorts = new ArrayList<ServicePortArgs>();
        servicePorts.add(ServicePortArgs.builder()
            .name(McrouterArgs.PORT_NAME).protocol("TCP")
            .port(args.port()).targetPort(McrouterArgs.PORT_NAME).build());
        Monitoring.servicePort(args.metrics(), McrouterArgs.EXPORTER_PORT).ifPresent(servicePorts::add);
        var service = new Service(name + "-service", ServiceArgs.builder()
            .metadata(Meta.of(resourceName, args.namespace(), labels))
            .spec(ServiceSpecArgs.builder()
                .type("ClusterIP")
                .internalTrafficPolicy("Local")
                .selector(labels.selector())
                .ports(servicePorts)
                .build())
            .build(), child);

        if (args.networkPolicy()) {
            var ingress = new ArrayList<NetworkPolicyIngressRuleArgs>();
            ingress.add(NetworkPolicies.ingressFrom(args.allowedClients(), McrouterArgs.PORT_NAME));
            Monitoring.scraperIngress(args.metrics()).ifPresent(ingress::add);
            new NetworkPolicy(name + "-network-policy", NetworkPolicyArgs.builder()
                .metadata(Meta.of(resourceName, args.namespace(), labels))
                .spec(NetworkPolicySpecArgs.builder()
                    .podSelector(Meta.selector(labels))
                    .policyTypes("Ingress", "Egress")
                    .ingress(ingress)
                    .egress(
                        NetworkPolicies.egressTo(
                            ClientSelector.labels(Labels.memcached(args.namePrefix()).selector()), MemcachedArgs.PORT),
                        NetworkPolicies.dnsEgress())
                    .build())
                .build(), child);
        }

        Monitoring.declare(name, resourceName, args.namespace(), labels, args.metrics(), child);

        this.serviceHost = service.metadata().applyValue(m -> Names.serviceHost(Meta.nameOf(m), args.namespace()));
        this.port = Output.of(args.port());
        this.exposure = args.exposure();
        this.argsHash = Hashes.sha256(args.toString());
        registerOutputs(Map.of(
            "configJson", configJson,
            "configHash", configHash,
            "serviceHost", serviceHost,
            "port", port));
    }

    public Output<String> configJson() {
        return configJson;
    }

    public Output<String> configHash() {
        return configHash;
    }

    /** {@code <prefix>-mcrouter.<namespace>.svc.cluster.local}: the node-local Service. */
    public Output<String> serviceHost() {
        return serviceHost;
    }

    public Output<Integer> port() {
        return port;
    }

    /** How apps on a node reach this node's proxy. */
    public Exposure exposure() {
        return exposure;
    }

    /**
     * The environment that tells a client pod where the proxy on its own node answers:
     * {@value McrouterArgs#HOST_ENV} (the node's IP from the downward API with a host port, the node-local
     * Service's name otherwise) and {@value McrouterArgs#PORT_ENV}.
     */
    public List<EnvVarArgs> clientEnv() {
        var host = exposure == Exposure.HOST_PORT
            // The proxy listens on the node itself; the host IP needs no node-name DNS.
            ? EnvVarArgs.builder().name(McrouterArgs.HOST_ENV).valueFrom(EnvVarSourceArgs.builder()
                .fieldRef(ObjectFieldSelectorArgs.builder().fieldPath("status.hostIP").build()).build()).build()
            : EnvVarArgs.builder().name(McrouterArgs.HOST_ENV).value(serviceHost).build();
        return List.of(host, EnvVarArgs.builder().name(McrouterArgs.PORT_ENV).value(port.applyValue(String::valueOf)).build());
    }

    /** SHA-256 of the tier's arguments: changes whenever anything the tier deploys does. */
    public String argsHash() {
        return argsHash;
    }
}
