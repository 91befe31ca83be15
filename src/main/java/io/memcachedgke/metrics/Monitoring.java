package io.memcachedgke.metrics;

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
import io.memcachedgke.kube.CustomObject;
import io.memcachedgke.kube.Labels;
import io.memcachedgke.kube.Meta;
import io.memcachedgke.kube.NetworkPolicies;
import io.memcachedgke.kube.PodSecurity;
import io.memcachedgke.kube.Probes;
import io.memcachedgke.kube.Resources;

/** An exporter container, written once for every exporter the program runs. */
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
        return exporter("exporter", MetricsArgs.PORT_NAME, image, args, port);
    }

    /** An exporter container with its own name and port name (several in one pod). */
    public static ContainerArgs exporter(String name, String portName, String image, List<String> args, int port) {
        return ContainerArgs.builder()
            .name(name)
            .image(image)
            .args(args)
            .ports(ContainerPortArgs.builder().name(portName).containerPort(port).protocol("TCP").build())
            .env(EnvVarArgs.builder().name("GOMEMLIMIT").value(MetricsArgs.EXPORTER_GOMEMLIMIT).build())
            .livenessProbe(Probes.liveness(portName))
            .resources(Resources.guaranteed(MetricsArgs.EXPORTER_CPU_MILLIS, MetricsArgs.EXPORTER_MEMORY_MIB))
            .securityContext(PodSecurity.container())
            .build();
    }
}
