package io.memcachedgke.memcached;

import com.pulumi.kubernetes.apps.v1.Deployment;
import com.pulumi.kubernetes.apps.v1.DeploymentArgs;
import com.pulumi.kubernetes.apps.v1.inputs.DeploymentSpecArgs;
import com.pulumi.kubernetes.core.v1.ConfigMap;
import com.pulumi.kubernetes.core.v1.ConfigMapArgs;
import com.pulumi.kubernetes.core.v1.inputs.ConfigMapVolumeSourceArgs;
import com.pulumi.kubernetes.core.v1.inputs.ContainerArgs;
import com.pulumi.kubernetes.core.v1.inputs.EnvVarArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodSpecArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodTemplateSpecArgs;
import com.pulumi.kubernetes.core.v1.inputs.VolumeArgs;
import com.pulumi.kubernetes.core.v1.inputs.VolumeMountArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.resources.Resource;
import com.pulumi.resources.ResourceOptions;
import io.memcachedgke.kube.Children;
import io.memcachedgke.kube.Labels;
import io.memcachedgke.kube.Meta;
import io.memcachedgke.kube.Names;
import io.memcachedgke.kube.PodSecurity;
import io.memcachedgke.kube.Resources;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The certificate reloader ({@link CertReload}): a Deployment of one pod running {@link ReloadScript} with a client
 * certificate of its own, in the memcached tier it serves. Its pod carries {@link Labels#DIRECT_CLIENT}, which the
 * shards' NetworkPolicy admits; it listens on nothing. Its script is a ConfigMap, hashed into the pod template so a new
 * script rolls the reloader (never a shard).
 */
final class CertReloader {
    private CertReloader() {}

    static final String SCRIPT_DIR = "/opt/memcached-gke";

    static Deployment declare(String name, MemcachedArgs args, Resource parent, ResourceOptions options, Resource after) {
        var reload = args.reload();
        var labels = Labels.certReloader(args.namePrefix());
        var objectName = labels.app();
        var script = ReloadScript.text();
        var config = new ConfigMap(name + "-cert-reloader-script", ConfigMapArgs.builder()
            .metadata(Meta.of(objectName, args.namespace(), labels))
            .data(Map.of(ReloadScript.FILE, script))
            .build(), Children.of(parent, options).build());
        var podLabels = new LinkedHashMap<>(labels.all());
        podLabels.put(Labels.DIRECT_CLIENT, "true");
        return new Deployment(name + "-cert-reloader", DeploymentArgs.builder()
            .metadata(Meta.of(objectName, args.namespace(), labels))
            .spec(DeploymentSpecArgs.builder()
                .replicas(1)
                .selector(Meta.selector(labels))
                .template(PodTemplateSpecArgs.builder()
                    .metadata(ObjectMetaArgs.builder()
                        .labels(podLabels)
                        .annotations(Map.of("memcached-gke/script-sha256",
                            io.memcachedgke.kube.Hashes.sha256(script).substring(0, 16)))
                        .build())
                    .spec(PodSpecArgs.builder()
                        .automountServiceAccountToken(false)
                        .enableServiceLinks(false)
                        .securityContext(PodSecurity.pod(PodSecurity.NOBODY_UID))
                        .terminationGracePeriodSeconds(5)
                        .containers(ContainerArgs.builder()
                            .name("reloader")
                            .image(reload.image())
                            .command("python3", "-u", SCRIPT_DIR + "/" + ReloadScript.FILE)
                            .env(
                                EnvVarArgs.builder().name("MEMCACHED_SERVERS")
                                    .value(String.join(" ", args.servers(args.podCount()))).build(),
                                EnvVarArgs.builder().name("TLS_DIR").value(reload.client().dir()).build(),
                                EnvVarArgs.builder().name("RELOAD_SECONDS")
                                    .value(Integer.toString(reload.periodSeconds())).build(),
                                // A read-only root filesystem: no bytecode cache to write.
                                EnvVarArgs.builder().name("PYTHONDONTWRITEBYTECODE").value("1").build())
                            .volumeMounts(
                                reload.client().mount(),
                                VolumeMountArgs.builder().name("script").mountPath(SCRIPT_DIR).readOnly(true).build())
                            .resources(Resources.guaranteed(25, 48))
                            .securityContext(PodSecurity.container())
                            .build())
                        .volumes(
                            reload.client().volume(),
                            VolumeArgs.builder().name("script")
                                .configMap(ConfigMapVolumeSourceArgs.builder().name(objectName).build()).build())
                        .build())
                    .build())
                .build())
            .build(), Children.of(parent, options, config, after).build());
    }

    /** The reloader's Deployment name, as {@code kubectl logs deploy/<name>} takes it. */
    static String name(String prefix) {
        return Names.certReloader(prefix);
    }
}
