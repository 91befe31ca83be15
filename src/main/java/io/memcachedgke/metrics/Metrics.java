package io.memcachedgke.metrics;

import io.memcachedgke.kube.Ports;
import com.pulumi.core.Output;
import com.pulumi.kubernetes.apps.v1.Deployment;
import com.pulumi.kubernetes.apps.v1.DeploymentArgs;
import com.pulumi.kubernetes.apps.v1.inputs.DeploymentSpecArgs;
import com.pulumi.kubernetes.core.v1.Service;
import com.pulumi.kubernetes.core.v1.ServiceArgs;
import com.pulumi.kubernetes.core.v1.inputs.ContainerArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodSpecArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodTemplateSpecArgs;
import com.pulumi.kubernetes.core.v1.inputs.ServicePortArgs;
import com.pulumi.kubernetes.core.v1.inputs.ServiceSpecArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.kubernetes.networking.v1.NetworkPolicy;
import com.pulumi.kubernetes.networking.v1.NetworkPolicyArgs;
import com.pulumi.kubernetes.networking.v1.inputs.NetworkPolicyIngressRuleArgs;
import com.pulumi.kubernetes.networking.v1.inputs.NetworkPolicyPortArgs;
import com.pulumi.kubernetes.networking.v1.inputs.NetworkPolicySpecArgs;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.memcachedgke.alerts.AlertRules;
import io.memcachedgke.alerts.RuleScope;
import io.memcachedgke.kube.Children;
import io.memcachedgke.kube.Exporters;
import io.memcachedgke.kube.Scraper;
import io.memcachedgke.kube.ClientSelector;
import io.memcachedgke.kube.CustomObject;
import io.memcachedgke.kube.Labels;
import io.memcachedgke.kube.Meta;
import io.memcachedgke.kube.NetworkPolicies;
import io.memcachedgke.kube.Names;
import io.memcachedgke.kube.PodSecurity;

/**
 * The metrics tier, one place for everything about metrics, built from the other tiers' outputs.
 *
 * <ul>
 *   <li>The memcached exporter runs outside the memcached pods, in a Deployment of its own with one
 *       container per shard ({@code --memcached.address=<pod>:11211}, port {@code metrics-<i>}), so that an
 *       exporter change never restarts a shard. One container per shard rather than the exporter's
 *       multi-target {@code /scrape?target=} endpoint: GKE managed Prometheus cannot relabel {@code instance}
 *       from a query parameter, so every shard's series would collide.
 *   <li>The mcrouter exporter stays a sidecar of each proxy (it reads {@code stats} on localhost); a proxy holds
 *       no data, so its restart costs nothing but a reconnect.
 *   <li>Who may scrape: NetworkPolicies that let only the scrapers in on the metrics ports.
 *   <li>How they are scraped: a {@code PodMonitoring} (GKE managed Prometheus) and/or a {@code ServiceMonitor}
 *       (prometheus-operator) per exporter; each memcached endpoint labels its series with {@code shard}.
 * </ul>
 */
public final class Metrics extends ComponentResource {
    public static final String TYPE = "memcached-gke:metrics:Metrics";

    /**
     * @param namePrefix    the cache's prefix
     * @param namespace     the cache's namespace
     * @param networkPolicy declare the NetworkPolicies
     * @param shards        every memcached pod's {@code host:port}, in ordinal order
     */
    public Metrics(String name, MetricsArgs args, String namePrefix, String namespace, boolean networkPolicy,
                   List<String> shards, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var child = Children.of(this, options).build();
        var exporterLabels = Labels.memcachedExporter(namePrefix);
        var mcrouterLabels = Labels.mcrouter(namePrefix);
        var exporterName = Names.memcachedExporter(namePrefix);

        if (args.exporters()) {
            var podLabels = new LinkedHashMap<>(exporterLabels.all());
            // The exporters read memcached directly, as the memcached tier's NetworkPolicy admits by this label.
            podLabels.put(Labels.DIRECT_CLIENT, "true");
            new Deployment(name + "-memcached-exporter", DeploymentArgs.builder()
                .metadata(Meta.of(exporterName, namespace, exporterLabels))
                .spec(DeploymentSpecArgs.builder()
                    .replicas(1)
                    .selector(Meta.selector(exporterLabels))
                    .template(PodTemplateSpecArgs.builder()
                        .metadata(exporterPodMeta(args, podLabels))
                        .spec(exporterPod(args, shards))
                        .build())
                    .build())
                .build(), child);

            if (networkPolicy) {
                var exporterPolicy = NetworkPolicySpecArgs.builder()
                    .podSelector(Meta.selector(exporterLabels))
                    .policyTypes("Ingress", "Egress")
                    .egress(
                        NetworkPolicies.egressTo(ClientSelector.labels(Labels.memcached(namePrefix).selector()), Ports.MEMCACHED),
                        NetworkPolicies.dnsEgress());
                scraperIngress(args, portNames(shards.size())).ifPresent(exporterPolicy::ingress);
                new NetworkPolicy(name + "-memcached-exporter-network-policy", NetworkPolicyArgs.builder()
                    .metadata(Meta.of(exporterName, namespace, exporterLabels))
                    .spec(exporterPolicy.build())
                    .build(), child);
                // A second policy on the proxies (NetworkPolicies add up): the scrapers may reach their sidecars.
                var sidecarPolicy = NetworkPolicySpecArgs.builder()
                    .podSelector(Meta.selector(mcrouterLabels))
                    .policyTypes("Ingress");
                scraperIngress(args, List.of(Ports.METRICS_NAME)).ifPresent(sidecarPolicy::ingress);
                new NetworkPolicy(name + "-mcrouter-metrics-network-policy", NetworkPolicyArgs.builder()
                    .metadata(Meta.of(Names.mcrouter(namePrefix) + "-metrics", namespace, mcrouterLabels))
                    .spec(sidecarPolicy.build())
                    .build(), child);
            }
        }

        // Managed Prometheus's objects wait until its operator admits them (GmpAdmission says why).
        var afterOperator = args.exporters() && args.podMonitoring()
            ? Children.of(this, options, GmpAdmission.declare(name, namePrefix, namespace, args.interval(),
                this, options)).build()
            : child;
        if (args.exporters() && args.podMonitoring()) {
            new CustomObject(name + "-memcached-pod-monitoring", Monitoring.GMP_API_VERSION, "PodMonitoring",
                Meta.of(Names.memcached(namePrefix), namespace, exporterLabels),
                Map.of("selector", Map.of("matchLabels", exporterLabels.selector()),
                    "endpoints", memcachedEndpoints(args, shards, false)), afterOperator);
            new CustomObject(name + "-mcrouter-pod-monitoring", Monitoring.GMP_API_VERSION, "PodMonitoring",
                Meta.of(Names.mcrouter(namePrefix), namespace, mcrouterLabels),
                Map.of("selector", Map.of("matchLabels", mcrouterLabels.selector()),
                    "endpoints", List.of(Map.of("port", Ports.METRICS_NAME, "interval", args.interval()))), afterOperator);
        }
        if (args.exporters() && args.serviceMonitor()) {
            serviceMonitor(name + "-memcached", args, Names.memcached(namePrefix), namespace, exporterLabels,
                exporterName + "-metrics", servicePorts(shards.size()), memcachedEndpoints(args, shards, true), child);
            serviceMonitor(name + "-mcrouter", args, Names.mcrouter(namePrefix), namespace, mcrouterLabels,
                Names.mcrouter(namePrefix) + "-metrics",
                List.of(ServicePortArgs.builder().name(Ports.METRICS_NAME).protocol("TCP")
                    .port(Ports.MCROUTER_EXPORTER).targetPort(Ports.METRICS_NAME).build()),
                List.of(Map.of("port", Ports.METRICS_NAME, "interval", args.interval(), "path", "/metrics")), child);
        }
        var scope = args.scope(namespace, namePrefix);
        if (args.exporters() && args.alertRules() && args.podMonitoring()) {
            // Namespaced: managed Prometheus evaluates it on this namespace's series only.
            new CustomObject(name + "-rules", Monitoring.GMP_API_VERSION, "Rules",
                Meta.of(Names.memcached(namePrefix) + "-alerts", namespace, exporterLabels),
                AlertRules.gmpRulesSpec(scope), afterOperator);
        }
        if (args.exporters() && args.alertRules() && args.serviceMonitor()) {
            var ruleLabels = new LinkedHashMap<>(exporterLabels.all());
            ruleLabels.putAll(args.serviceMonitorLabels());
            new CustomObject(name + "-prometheus-rule", Monitoring.PROMETHEUS_OPERATOR_API_VERSION, "PrometheusRule",
                ObjectMetaArgs.builder().name(Names.memcached(namePrefix) + "-alerts").namespace(namespace)
                    .labels(ruleLabels).build(),
                AlertRules.prometheusRuleSpec(scope), child);
        }
        registerOutputs(Map.of());
    }

    /** {@code metrics-0 .. metrics-<n-1>}. */
    static List<String> portNames(int shards) {
        var out = new ArrayList<String>();
        for (int i = 0; i < shards; i++) {
            out.add(Ports.METRICS_NAME + "-" + i);
        }
        return out;
    }

    /** The shard's pod name: the first label of its host name. */
    static String podOf(String server) {
        return server.substring(0, server.indexOf('.'));
    }

    /**
     * The exporter reads its CA once, at start (prometheus/common config/http_config.go, {@code NewTLSConfig}; its
     * client certificate on every connection): a change of issuer rolls it, through this annotation. A shard never.
     */
    private static ObjectMetaArgs exporterPodMeta(MetricsArgs args, Map<String, String> podLabels) {
        var meta = ObjectMetaArgs.builder().labels(podLabels);
        if (args.exporterTls() != null) {
            meta.annotations(Map.of("memcached-gke/tls-issuer", args.exporterTls().issuer()));
        }
        return meta.build();
    }

    private static PodSpecArgs exporterPod(MetricsArgs args, List<String> shards) {
        var pod = PodSpecArgs.builder()
            .automountServiceAccountToken(false)
            .enableServiceLinks(false)
            .securityContext(PodSecurity.pod(PodSecurity.NOBODY_UID))
            .terminationGracePeriodSeconds(5)
            .containers(exporterContainers(args, shards));
        if (args.exporterTls() != null) {
            pod.volumes(args.exporterTls().volume());
        }
        return pod.build();
    }

    private static List<ContainerArgs> exporterContainers(MetricsArgs args, List<String> shards) {
        var out = new ArrayList<ContainerArgs>();
        for (int i = 0; i < shards.size(); i++) {
            int port = Ports.MEMCACHED_EXPORTER + i;
            var flags = new ArrayList<String>(List.of("--memcached.address=" + shards.get(i), "--web.listen-address=:" + port));
            var tls = args.exporterTls();
            if (tls == null) {
                out.add(Exporters.container("exporter-" + i, Ports.METRICS_NAME + "-" + i, args.memcachedExporterImage(),
                    flags, port));
                continue;
            }
            // memcached_exporter's own TLS flags (prometheus/memcached_exporter cmd/memcached_exporter/main.go): its
            // client certificate, and the CA it checks the shard's certificate and name (the address's host) against.
            flags.addAll(List.of("--memcached.tls.enable", "--memcached.tls.cert-file=" + tls.cert(),
                "--memcached.tls.key-file=" + tls.key(), "--memcached.tls.ca-file=" + tls.ca()));
            var container = Exporters.container("exporter-" + i, Ports.METRICS_NAME + "-" + i,
                args.memcachedExporterImage(), flags, port);
            out.add(com.pulumi.kubernetes.core.v1.inputs.ContainerArgs.builder(container).volumeMounts(tls.mount()).build());
        }
        return out;
    }

    /** One endpoint per shard's exporter, its series labelled with the shard's pod. */
    private static List<Map<String, Object>> memcachedEndpoints(MetricsArgs args, List<String> shards, boolean operator) {
        var out = new ArrayList<Map<String, Object>>();
        for (int i = 0; i < shards.size(); i++) {
            var relabel = Map.<String, Object>of("action", "replace", "targetLabel", RuleScope.SHARD_LABEL,
                "replacement", podOf(shards.get(i)));
            var endpoint = new LinkedHashMap<String, Object>();
            endpoint.put("port", Ports.METRICS_NAME + "-" + i);
            endpoint.put("interval", args.interval());
            if (operator) {
                endpoint.put("path", "/metrics");
                endpoint.put("metricRelabelings", List.of(relabel));
            } else {
                endpoint.put("metricRelabeling", List.of(relabel));
            }
            out.add(endpoint);
        }
        return out;
    }

    private static List<ServicePortArgs> servicePorts(int shards) {
        var out = new ArrayList<ServicePortArgs>();
        for (int i = 0; i < shards; i++) {
            out.add(ServicePortArgs.builder().name(Ports.METRICS_NAME + "-" + i).protocol("TCP")
                .port(Ports.MEMCACHED_EXPORTER + i).targetPort(Ports.METRICS_NAME + "-" + i).build());
        }
        return out;
    }

    /**
     * The ingress rule for the metrics ports: the scrapers of the monitoring objects declared, no one else. With no
     * scraper, none: "Ingress" among the policyTypes with no ingress rule admits no one (Kubernetes docs, Network
     * Policies: "Default deny all ingress traffic"). Not an empty list: the Kubernetes provider drops it from the
     * inputs it checks, so the state would differ from what the program declares.
     */
    private static Optional<List<NetworkPolicyIngressRuleArgs>> scraperIngress(MetricsArgs args, List<String> ports) {
        if (args.scrapers().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(List.of(NetworkPolicyIngressRuleArgs.builder()
            .from(args.scrapers().stream().map(Scraper::toPeer).toList())
            .ports(ports.stream().map(p -> NetworkPolicyPortArgs.builder().protocol("TCP").port(p).build()).toList())
            .build()));
    }

    private void serviceMonitor(String name, MetricsArgs args, String objectName, String namespace, Labels labels,
                                String serviceName, List<ServicePortArgs> ports, List<Map<String, Object>> endpoints,
                                CustomResourceOptions child) {
        var serviceLabels = new LinkedHashMap<>(labels.all());
        serviceLabels.put(METRICS_SERVICE_LABEL, "true");
        new Service(name + "-metrics-service", ServiceArgs.builder()
            .metadata(ObjectMetaArgs.builder().name(serviceName).namespace(namespace).labels(serviceLabels).build())
            .spec(ServiceSpecArgs.builder().clusterIP("None").selector(labels.selector()).ports(ports).build())
            .build(), child);
        var monitorLabels = new LinkedHashMap<>(labels.all());
        monitorLabels.putAll(args.serviceMonitorLabels());
        var selector = new LinkedHashMap<>(labels.selector());
        selector.put(METRICS_SERVICE_LABEL, "true");
        new CustomObject(name + "-service-monitor", Monitoring.PROMETHEUS_OPERATOR_API_VERSION, "ServiceMonitor",
            ObjectMetaArgs.builder().name(objectName).namespace(namespace).labels(monitorLabels).build(),
            Map.of("selector", Map.of("matchLabels", selector), "endpoints", endpoints), child);
    }

    /** Marks the Services that exist only to be scraped, so a ServiceMonitor selects them and no other. */
    static final String METRICS_SERVICE_LABEL = "memcached-gke/metrics";
}
