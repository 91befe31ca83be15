package io.memcachedgke.mcrouter;

import io.memcachedgke.kube.Ports;
import io.memcachedgke.config.Exposure;
import com.pulumi.core.Output;
import com.pulumi.kubernetes.apps.v1.DaemonSet;
import com.pulumi.kubernetes.apps.v1.DaemonSetArgs;
import com.pulumi.kubernetes.apps.v1.inputs.DaemonSetSpecArgs;
import com.pulumi.kubernetes.apps.v1.inputs.DaemonSetUpdateStrategyArgs;
import com.pulumi.kubernetes.apps.v1.inputs.RollingUpdateDaemonSetArgs;
import com.pulumi.kubernetes.batch.v1.Job;
import com.pulumi.kubernetes.batch.v1.JobArgs;
import com.pulumi.kubernetes.batch.v1.inputs.JobSpecArgs;
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
import com.pulumi.kubernetes.core.v1.inputs.ExecActionArgs;
import com.pulumi.kubernetes.core.v1.inputs.LifecycleArgs;
import com.pulumi.kubernetes.core.v1.inputs.LifecycleHandlerArgs;
import com.pulumi.kubernetes.core.v1.inputs.ObjectFieldSelectorArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodSpecArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodTemplateSpecArgs;
import com.pulumi.kubernetes.core.v1.inputs.ProbeArgs;
import com.pulumi.kubernetes.core.v1.inputs.ServicePortArgs;
import com.pulumi.kubernetes.core.v1.inputs.ServiceSpecArgs;
import com.pulumi.kubernetes.core.v1.inputs.TCPSocketActionArgs;
import com.pulumi.kubernetes.core.v1.inputs.VolumeArgs;
import com.pulumi.kubernetes.core.v1.inputs.VolumeMountArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.kubernetes.networking.v1.NetworkPolicy;
import com.pulumi.kubernetes.networking.v1.NetworkPolicyArgs;
import com.pulumi.kubernetes.networking.v1.inputs.NetworkPolicySpecArgs;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.CustomTimeouts;
import com.pulumi.resources.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.memcachedgke.kube.CheckJobs;
import io.memcachedgke.kube.Children;
import io.memcachedgke.kube.ClientSelector;
import io.memcachedgke.kube.Exporters;
import io.memcachedgke.kube.Hashes;
import io.memcachedgke.kube.Labels;
import io.memcachedgke.kube.Meta;
import io.memcachedgke.kube.NetworkPolicies;
import io.memcachedgke.kube.Names;
import io.memcachedgke.kube.PodSecurity;
import io.memcachedgke.kube.Probes;
import io.memcachedgke.kube.Resources;
import io.memcachedgke.probe.ProbeScript;

/**
 * mcrouter on every node, and proof that every proxy runs what was declared.
 *
 * <ul>
 *   <li>A ConfigMap with the generated {@code config.json}, mounted as a directory: a change of servers or
 *       routes is written in place (the Kubernetes provider runs with {@code enableConfigMapMutable}), kubelet
 *       swaps the file, and every proxy reloads it without a restart. The pod template carries nothing of the
 *       config, so a new config restarts no proxy; what mcrouter cannot reload (image, flags) does roll them.
 *   <li>A DaemonSet whose rolls keep every node served: with a node-local Service a new proxy starts beside
 *       the old one ({@code maxSurge 1}); with a host port, where two cannot bind, the gap is a restart.
 *   <li>A node-local Service (the applications' way in either exposure) and a headless one listing every
 *       proxy pod, ready or not, for the rollout check.
 *   <li>A Job that waits until every proxy reports the config's digest and runs the current pod template
 *       ({@link ProbeScript#rollout}) and, with mutual TLS to the shards, round-trips a set and a get through it
 *       (which only its TLS pool and its certificate can store); the provider waits for Jobs, so a proxy that never
 *       converges fails {@code pulumi up} with its node named.
 * </ul>
 */
public final class Mcrouter extends ComponentResource {
    public static final String TYPE = "memcached-gke:mcrouter:Mcrouter";
    /** Characters of the hash in the rollout Job's name. */
    static final int HASH_LENGTH = 8;
    /** Bumped when the pod template's shape changes in code, so that the revision the check expects changes too. */
    static final int POD_TEMPLATE_SCHEMA = 1;

    private final Output<String> configJson;
    private final Output<String> configDigest;
    private final Output<String> serviceHost;
    private final Output<String> proxiesHost;
    private final Output<Integer> port;
    private final Output<String> rolloutJobName;
    private final Exposure exposure;
    private final String templateRevision;
    private final String argsHash;

    /**
     * @param config  the proxies' config, generated from the memcached tier's layout (never typed)
     * @param sidecar a container to run beside mcrouter in every proxy pod (the metrics exporter), or null
     */
    public Mcrouter(String name, McrouterArgs args, McrouterConfig config, ContainerArgs sidecar,
                    ComponentResourceOptions options) {
        super(TYPE, name, options);
        var child = Children.of(this, options).build();
        var labels = Labels.mcrouter(args.namePrefix());
        var resourceName = Names.mcrouter(args.namePrefix());

        this.configJson = Output.of(config.toJson());
        this.configDigest = Output.of(config.md5());
        this.templateRevision = templateRevision(args, sidecar != null);

        var configMap = new ConfigMap(name + "-config", ConfigMapArgs.builder()
            .metadata(Meta.of(resourceName, args.namespace(), labels))
            .data(configJson.applyValue(json -> Map.of("config.json", json)))
            .build(), child);

        var daemonSet = new DaemonSet(name + "-daemonset", DaemonSetArgs.builder()
            .metadata(Meta.of(resourceName, args.namespace(), labels))
            .spec(DaemonSetSpecArgs.builder()
                .selector(Meta.selector(labels))
                .minReadySeconds(5)
                .updateStrategy(DaemonSetUpdateStrategyArgs.builder()
                    .type("RollingUpdate")
                    .rollingUpdate(rolling(args.exposure()))
                    .build())
                .template(PodTemplateSpecArgs.builder()
                    .metadata(ObjectMetaArgs.builder().labels(labels.all()).build())
                    .spec(PodSpecArgs.builder()
                        .automountServiceAccountToken(false)
                        .enableServiceLinks(false)
                        .securityContext(PodSecurity.pod(PodSecurity.NOBODY_UID))
                        // preStop (5 s) plus mcrouter's own shutdown.
                        .terminationGracePeriodSeconds(15)
                        .volumes(volumes(args, configMap))
                        .containers(containers(args, sidecar, templateRevision))
                        .build())
                    .build())
                .build())
            .build(), child);

        var servicePort = ServicePortArgs.builder()
            .name(McrouterArgs.PORT_NAME).protocol("TCP").port(args.port()).targetPort(McrouterArgs.PORT_NAME).build();
        // Node-local in both exposures: a client on a node is always served by that node's proxy.
        var service = new Service(name + "-service", ServiceArgs.builder()
            .metadata(Meta.of(resourceName, args.namespace(), labels))
            .spec(ServiceSpecArgs.builder()
                .type("ClusterIP")
                .internalTrafficPolicy("Local")
                .selector(labels.selector())
                .ports(servicePort)
                .build())
            .build(), child);

        // Every proxy pod's address in DNS, ready or not: the rollout check must see a crash-looping proxy too.
        var proxiesName = resourceName + "-proxies";
        var proxies = new Service(name + "-proxies", ServiceArgs.builder()
            .metadata(Meta.of(proxiesName, args.namespace(), labels))
            .spec(ServiceSpecArgs.builder()
                .clusterIP("None")
                .publishNotReadyAddresses(true)
                .selector(labels.selector())
                .ports(servicePort)
                .build())
            .build(), child);

        var checkLabels = Labels.rolloutCheck(args.namePrefix());
        var tierResources = new ArrayList<Resource>(List.of(configMap, daemonSet, proxies));
        if (args.networkPolicy()) {
            var clients = new ArrayList<>(args.allowedClients());
            clients.add(ClientSelector.labels(checkLabels.selector()));
            tierResources.add(new NetworkPolicy(name + "-network-policy", NetworkPolicyArgs.builder()
                .metadata(Meta.of(resourceName, args.namespace(), labels))
                .spec(NetworkPolicySpecArgs.builder()
                    .podSelector(Meta.selector(labels))
                    .policyTypes("Ingress", "Egress")
                    .ingress(NetworkPolicies.ingressFrom(clients, McrouterArgs.PORT_NAME))
                    .egress(
                        NetworkPolicies.egressTo(
                            ClientSelector.labels(Labels.memcached(args.namePrefix()).selector()), Ports.MEMCACHED),
                        NetworkPolicies.dnsEgress())
                    .build())
                .build(), child));
        }

        this.proxiesHost = proxies.metadata().applyValue(m -> Names.serviceHost(Meta.nameOf(m), args.namespace()));
        this.rolloutJobName = rolloutJob(name, args, config, checkLabels, tierResources, options);
        this.serviceHost = service.metadata().applyValue(m -> Names.serviceHost(Meta.nameOf(m), args.namespace()));
        this.port = Output.of(args.port());
        this.exposure = args.exposure();
        this.argsHash = Hashes.sha256(args.toString());
        registerOutputs(Map.of(
            "configJson", configJson,
            "configDigest", configDigest,
            "serviceHost", serviceHost,
            "proxiesHost", proxiesHost,
            "port", port,
            "rolloutJobName", rolloutJobName));
    }

    /**
     * With a node-local Service a new proxy starts beside the old before it goes ({@code maxSurge 1,
     * maxUnavailable 0}): the Service always has a ready endpoint on the node. With a host port two proxies
     * cannot bind one node's port, so the old goes first ({@code maxSurge 0, maxUnavailable 1}) and the gap is
     * the new proxy's start.
     */
    static RollingUpdateDaemonSetArgs rolling(Exposure exposure) {
        return exposure == Exposure.NODE_LOCAL_SERVICE
            ? RollingUpdateDaemonSetArgs.builder().maxSurge(1).maxUnavailable(0).build()
            : RollingUpdateDaemonSetArgs.builder().maxSurge(0).maxUnavailable(1).build();
    }

    private static List<ContainerArgs> containers(McrouterArgs args, ContainerArgs sidecar, String revision) {
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
            .args(args.flags().args(revision))
            .env(EnvVarArgs.builder().name("NODE_NAME").valueFrom(EnvVarSourceArgs.builder()
                .fieldRef(ObjectFieldSelectorArgs.builder().fieldPath("spec.nodeName").build()).build()).build())
            .ports(containerPort.build())
            // Ready as soon as it accepts connections, checked often: a restarted proxy takes traffic quickly.
            .readinessProbe(ProbeArgs.builder()
                .tcpSocket(TCPSocketActionArgs.builder().port(McrouterArgs.PORT_NAME).build())
                .periodSeconds(2).timeoutSeconds(1).failureThreshold(2).build())
            .livenessProbe(Probes.liveness(McrouterArgs.PORT_NAME))
            .resources(Resources.guaranteed(args.cpuMillis(), args.memoryMiB()))
            .securityContext(PodSecurity.container())
            // In-flight requests finish, and a node-local Service drops the endpoint, before mcrouter stops.
            .lifecycle(LifecycleArgs.builder()
                .preStop(LifecycleHandlerArgs.builder()
                    .exec(ExecActionArgs.builder().command("sleep", "5").build()).build())
                .build())
            .volumeMounts(volumeMounts(args))
            .build());
        if (sidecar != null) {
            containers.add(sidecar);
        }
        return containers;
    }

    /** The config (a directory: reloaded in place), the scratch space, and with TLS the client certificate. */
    private static List<VolumeArgs> volumes(McrouterArgs args, ConfigMap configMap) {
        var out = new ArrayList<VolumeArgs>();
        out.add(VolumeArgs.builder().name("config")
            .configMap(ConfigMapVolumeSourceArgs.builder().name(configMap.metadata().applyValue(Meta::nameOf)).build())
            .build());
        out.add(VolumeArgs.builder().name("scratch")
            .emptyDir(EmptyDirVolumeSourceArgs.builder().sizeLimit("64Mi").build()).build());
        if (args.tls() != null) {
            out.add(args.tls().volume());
        }
        return out;
    }

    private static List<VolumeMountArgs> volumeMounts(McrouterArgs args) {
        var out = new ArrayList<VolumeMountArgs>();
        out.add(VolumeMountArgs.builder().name("config").mountPath(McrouterArgs.CONFIG_DIR).readOnly(true).build());
        out.add(VolumeMountArgs.builder().name("scratch").mountPath(McrouterArgs.WRITABLE_DIR).build());
        if (args.tls() != null) {
            out.add(args.tls().mount());
        }
        return out;
    }

    /**
     * What the proxies' pod template is made of, hashed: the image, the flags, the resources, the exposure and
     * the sidecar's presence; never the config, which reloads. It is passed to each proxy as a config param, so
     * the rollout check can tell a proxy still on the old template.
     */
    static String templateRevision(McrouterArgs args, boolean sidecar) {
        var flags = args.flags().list().stream()
            .filter(f -> !f.flag().equals("--config-params")).map(McrouterFlags.Flag::arg).toList();
        return Hashes.sha256(String.join("\n", "schema " + POD_TEMPLATE_SCHEMA, args.image(), args.exposure().configValue(),
            args.cpuMillis() + "m", args.memoryMiB() + "Mi", String.join(" ", flags),
            sidecar ? String.valueOf(args.exporterImage()) : "no sidecar", args.namePrefix()))
            .substring(0, 10);
    }

    private Output<String> rolloutJob(String name, McrouterArgs args, McrouterConfig config, Labels labels,
                                      List<Resource> tierResources, ComponentResourceOptions options) {
        var script = ProbeScript.rollout(args.rolloutWaitSeconds(), args.tls() != null);
        var jobName = proxiesHost.applyValue(host -> Names.rolloutCheck(args.namePrefix()) + "-" + Hashes.sha256(
            String.join("\n", config.md5(), templateRevision, host, args.checkImage(), script.sha256()))
            .substring(0, HASH_LENGTH));
        var deadline = args.rolloutWaitSeconds() + 120;
        var job = new Job(name + "-rollout", JobArgs.builder()
            .metadata(ObjectMetaArgs.builder().name(jobName).namespace(args.namespace()).labels(labels.all()).build())
            .spec(JobSpecArgs.builder()
                // Waiting again would only wait as long again: a proxy that did not converge fails the up.
                .backoffLimit(0)
                .activeDeadlineSeconds(deadline)
                // No ttlSecondsAfterFinished: the finished Job stays until the next change replaces it (CheckJobs says why).
                .template(PodTemplateSpecArgs.builder()
                    .metadata(ObjectMetaArgs.builder().labels(labels.all()).build())
                    .spec(CheckJobs.podSpec(ContainerArgs.builder()
                        .name("rollout")
                        .image(args.checkImage())
                        .command("sh", "-c", script.text())
                        .env(
                            EnvVarArgs.builder().name(ProbeScript.PROXY_SERVICE_ENV).value(proxiesHost).build(),
                            EnvVarArgs.builder().name(ProbeScript.LOCAL_PORT_ENV).value(Integer.toString(args.port())).build(),
                            EnvVarArgs.builder().name(ProbeScript.DIGEST_ENV).value(config.md5()).build(),
                            EnvVarArgs.builder().name(ProbeScript.TEMPLATE_ENV).value(templateRevision).build())
                        .resources(Resources.guaranteed(20, 16))))
                    .build())
                .build())
            .build(), Children.of(this, options, tierResources)
                .customTimeouts(CustomTimeouts.builder().create(Duration.ofSeconds(deadline + 300L)).build())
                .build());
        return job.metadata().applyValue(Meta::nameOf);
    }

    public Output<String> configJson() {
        return configJson;
    }

    /** The MD5 every proxy reports for {@code get __mcrouter__.config_md5_digest}. */
    public Output<String> configDigest() {
        return configDigest;
    }

    /** {@code <prefix>-mcrouter.<namespace>.svc.cluster.local}: the node-local Service. */
    public Output<String> serviceHost() {
        return serviceHost;
    }

    /** {@code <prefix>-mcrouter-proxies.<namespace>.svc.cluster.local}: every proxy pod's address. */
    public Output<String> proxiesHost() {
        return proxiesHost;
    }

    public Output<Integer> port() {
        return port;
    }

    public Output<String> rolloutJobName() {
        return rolloutJobName;
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

    /** The exporter sidecar beside every proxy: reads mcrouter's {@code stats} on its own port. */
    public static ContainerArgs exporterSidecar(McrouterArgs args) {
        // mcrouter answers `stats` on its own port in the memcached text protocol; the exporter turns that (and
        // `stats servers`: per-server TKO, timeouts, errors) into Prometheus metrics.
        return Exporters.container("exporter", Ports.METRICS_NAME, args.exporterImage(), List.of(
            "-mcrouter.address=localhost:" + args.port(),
            "-web.listen-address=:" + Ports.MCROUTER_EXPORTER,
            "-mcrouter.server_metrics"), Ports.MCROUTER_EXPORTER);
    }
}
