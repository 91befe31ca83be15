package memcachedgke.metrics;

import com.pulumi.kubernetes.core.v1.inputs.ContainerArgs;
import com.pulumi.kubernetes.core.v1.inputs.ContainerPortArgs;
import com.pulumi.kubernetes.core.v1.inputs.EnvVarArgs;
import com.pulumi.kubernetes.core.v1.inputs.ServicePortArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.kubernetes.networking.v1.inputs.NetworkPolicyIngressRuleArgs;
import com.pulumi.resources.CustomResourceOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import memcachedgke.kube.CustomObject;
import memcachedgke.kube.Labels;
import memcachedgke.kube.Meta;
import memcachedgke.kube.NetworkPolicies;
import memcachedgke.kube.PodSecurity;
import memcachedgke.kube.Probes;
import memcachedgke.kube.Resources;

/**
 * What a tier declares for its metrics, written once for both: the exporter sidecar, the NetworkPolicy
 * rule that lets only the scrapers in, the Service port a ServiceMonitor needs, and the monitoring objects.
 */
public final class Monitoring {
    private Monitoring() {}

    public static final String GMP_API_VERSION = "monitoring.googleapis.com/v1";
    public static final String PROMETHEUS_OPERATOR_API_VERSION = "monitoring.coreos.com/v1";

    /**
     * The exporter sidecar: restricted like every container, its own guaranteed resources, and only a
     * liveness probe. A readiness probe would make the pod unready whenever the exporter is, and an
     * unready memcached pod drops out of the headless Service's DNS (an unready proxy out of its node's
     * Service): a metrics fault must never take the cache down.
     */
    public static ContainerArgs exporter(String image, List<String> args, int port) {
        return ContainerArgs.builder()
            .name("exporter")
            .image(image)
            .args(args)
            .ports(ContainerPortArgs.builder().name(MetricsArgs.PORT_NAME).containerPort(port).protocol("TCP").build())
            .env(EnvVarArgs.builder().name("GOMEMLIMIT").value(MetricsArgs.EXPORTER_GOMEMLIMIT).build())
            .livenessProbe(Probes.liveness(MetricsArgs.PORT_NAME))
            .resources(Resources.guaranteed(MetricsArgs.EXPORTER_CPU_MILLIS, MetricsArgs.EXPORTER_MEMORY_MIB))
            .securityContext(PodSecurity.container())
            .build();
    }

    /** The ingress rule for the metrics port: the scrapers only; empty when nothing scrapes. */
    public static Optional<NetworkPolicyIngressRuleArgs> scraperIngress(MetricsArgs metrics) {
        if (!metrics.exporters() || metrics.scrapers().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(NetworkPolicies.ingressFromPeers(
            metrics.scrapers().stream().map(Scraper::toPeer).toList(), MetricsArgs.PORT_NAME));
    }

    /** The port a ServiceMonitor scrapes through the tier's Service; empty without a ServiceMonitor. */
    public static Optional<ServicePortArgs> servicePort(MetricsArgs metrics, int port) {
        if (!metrics.serviceMonitor()) {
            return Optional.empty();
        }
        return Optional.of(ServicePortArgs.builder()
            .name(MetricsArgs.PORT_NAME).protocol("TCP").port(port).targetPort(MetricsArgs.PORT_NAME).build());
    }

    /**
     * Declares the tier's monitoring objects, named like the tier's workload: a {@code PodMonitoring}
     * (GKE managed Prometheus) and/or a {@code ServiceMonitor} (prometheus-operator), each scraping the
     * {@value MetricsArgs#PORT_NAME} port of the pods (or Service) carrying {@code labels}' selector.
     *
     * @param name     the tier component's name; the objects' logical names start with it
     * @param child    options that parent the objects to the tier
     */
    public static void declare(String name, String objectName, String namespace, Labels labels, MetricsArgs metrics,
                               CustomResourceOptions child) {
        if (metrics.podMonitoring()) {
            new CustomObject(name + "-pod-monitoring", GMP_API_VERSION, "PodMonitoring",
                Meta.of(objectName, namespace, labels), podMonitoringSpec(labels, metrics), child);
        }
        if (metrics.serviceMonitor()) {
            var objectLabels = new LinkedHashMap<>(labels.all());
            objectLabels.putAll(metrics.serviceMonitorLabels());
            var meta = ObjectMetaArgs.builder().name(objectName).namespace(namespace).labels(objectLabels).build();
            new CustomObject(name + "-service-monitor", PROMETHEUS_OPERATOR_API_VERSION, "ServiceMonitor",
                meta, serviceMonitorSpec(labels, metrics), child);
        }
    }

    static Map<String, Object> podMonitoringSpec(Labels labels, MetricsArgs metrics) {
        return Map.of(
            "selector", Map.of("matchLabels", labels.selector()),
            "endpoints", List.of(Map.of("port", MetricsArgs.PORT_NAME, "interval", metrics.interval())));
    }

    static Map<String, Object> serviceMonitorSpec(Labels labels, MetricsArgs metrics) {
        return Map.of(
            "selector", Map.of("matchLabels", labels.selector()),
            "endpoints", List.of(Map.of("port", MetricsArgs.PORT_NAME, "interval", metrics.interval(), "path", "/metrics")));
    }
}
