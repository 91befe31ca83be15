package io.memcachedgke.kube;

import com.pulumi.kubernetes.core.v1.inputs.ContainerArgs;
import com.pulumi.kubernetes.core.v1.inputs.ContainerPortArgs;
import com.pulumi.kubernetes.core.v1.inputs.EnvVarArgs;
import io.memcachedgke.sizing.ExporterSizing;
import java.util.List;

/** An exporter container, written once for every exporter the program runs (the mcrouter sidecar, the memcached exporters). */
public final class Exporters {
    private Exporters() {}

    /**
     * An exporter: restricted like every container, its own guaranteed resources, and only a liveness probe. A
     * readiness probe would make the pod unready whenever the exporter is, and an unready memcached pod drops out of
     * the headless Service's DNS (an unready proxy out of its node's Service): a metrics fault must never take the
     * cache down.
     */
    public static ContainerArgs container(String name, String portName, String image, List<String> args, int port) {
        return ContainerArgs.builder()
            .name(name)
            .image(image)
            .args(args)
            .ports(ContainerPortArgs.builder().name(portName).containerPort(port).protocol("TCP").build())
            .env(EnvVarArgs.builder().name("GOMEMLIMIT").value(ExporterSizing.GOMEMLIMIT).build())
            .livenessProbe(Probes.liveness(portName))
            .resources(Resources.guaranteed(ExporterSizing.CPU_MILLIS, ExporterSizing.MEMORY_MIB))
            .securityContext(PodSecurity.container())
            .build();
    }
}
