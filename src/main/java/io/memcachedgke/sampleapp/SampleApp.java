package io.memcachedgke.sampleapp;

import com.pulumi.kubernetes.apps.v1.Deployment;
import com.pulumi.kubernetes.apps.v1.DeploymentArgs;
import com.pulumi.kubernetes.apps.v1.inputs.DeploymentSpecArgs;
import com.pulumi.kubernetes.core.v1.inputs.ContainerArgs;
import com.pulumi.kubernetes.core.v1.inputs.EmptyDirVolumeSourceArgs;
import com.pulumi.kubernetes.core.v1.inputs.EnvVarArgs;
import com.pulumi.kubernetes.core.v1.inputs.EnvVarSourceArgs;
import com.pulumi.kubernetes.core.v1.inputs.ObjectFieldSelectorArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodSpecArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodTemplateSpecArgs;
import com.pulumi.kubernetes.core.v1.inputs.VolumeArgs;
import com.pulumi.kubernetes.core.v1.inputs.VolumeMountArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.memcachedgke.kube.Children;
import io.memcachedgke.kube.Labels;
import io.memcachedgke.kube.Meta;
import io.memcachedgke.kube.Names;
import io.memcachedgke.kube.PodSecurity;
import io.memcachedgke.kube.Resources;
import io.memcachedgke.kube.Spread;

/**
 * The lab's {@code sample-application-py} Deployment. Its pods get {@code NODE_NAME} (the lab's
 * variable) and {@code MCROUTER_HOST}/{@code MCROUTER_PORT}, which say where the proxy on their own
 * node answers in either exposure, so application code never hard-codes either.
 */
public final class SampleApp extends ComponentResource {
    public static final String TYPE = "memcached-gke:sampleapp:SampleApp";

    /**
     * @param proxyEnv where the proxy on a pod's own node answers, as the proxies' tier tells its clients
     *                 ({@code MCROUTER_HOST}, {@code MCROUTER_PORT})
     */
    public SampleApp(String name, SampleAppArgs args, List<EnvVarArgs> proxyEnv, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var child = Children.of(this, options).build();
        var labels = Labels.sampleApp(args.namePrefix());

        var env = new ArrayList<EnvVarArgs>();
        env.add(EnvVarArgs.builder().name("NODE_NAME").valueFrom(field("spec.nodeName")).build());
        env.addAll(proxyEnv);
        // pip install --user lands in the writable emptyDir.
        env.add(EnvVarArgs.builder().name("HOME").value("/tmp").build());

        var deployment = new Deployment(name + "-deployment", DeploymentArgs.builder()
            .metadata(Meta.of(Names.SAMPLE_APP, args.namespace(), labels))
            .spec(DeploymentSpecArgs.builder()
                .replicas(args.replicas())
                .selector(Meta.selector(labels))
                .template(PodTemplateSpecArgs.builder()
                    .metadata(ObjectMetaArgs.builder().labels(labels.all()).build())
                    .spec(PodSpecArgs.builder()
                        .automountServiceAccountToken(false)
                        .enableServiceLinks(false)
                        .securityContext(PodSecurity.pod(PodSecurity.NOBODY_UID))
                        .terminationGracePeriodSeconds(5)
                        // A preference: an app pod per node, each next to its own proxy.
                        .topologySpreadConstraints(Spread.over(Spread.NODES, "ScheduleAnyway", labels))
                        .volumes(VolumeArgs.builder().name("tmp")
                            .emptyDir(EmptyDirVolumeSourceArgs.builder().sizeLimit("256Mi").build()).build())
                        .containers(ContainerArgs.builder()
                            .name("python")
                            .image(args.image())
                            .command("sh", "-c")
                            .args("while true; do sleep 10; done;")
                            .env(env)
                            .resources(Resources.guaranteed(args.cpuMillis(), args.memoryMiB()))
                            .securityContext(PodSecurity.container())
                            .volumeMounts(VolumeMountArgs.builder().name("tmp").mountPath("/tmp").build())
                            .build())
                        .build())
                    .build())
                .build())
            .build(), child);

        registerOutputs(Map.of("deploymentName", deployment.metadata().applyValue(Meta::nameOf)));
    }

    private static EnvVarSourceArgs field(String path) {
        return EnvVarSourceArgs.builder().fieldRef(ObjectFieldSelectorArgs.builder().fieldPath(path).build()).build();
    }
}
