package io.memcachedgke.metrics;

import io.memcachedgke.kube.Ports;
import com.pulumi.kubernetes.batch.v1.Job;
import com.pulumi.kubernetes.batch.v1.JobArgs;
import com.pulumi.kubernetes.batch.v1.inputs.JobSpecArgs;
import com.pulumi.kubernetes.core.v1.ConfigMap;
import com.pulumi.kubernetes.core.v1.ConfigMapArgs;
import com.pulumi.kubernetes.core.v1.inputs.ConfigMapVolumeSourceArgs;
import com.pulumi.kubernetes.core.v1.inputs.ContainerArgs;
import com.pulumi.kubernetes.core.v1.inputs.EmptyDirVolumeSourceArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodTemplateSpecArgs;
import com.pulumi.kubernetes.core.v1.inputs.VolumeArgs;
import com.pulumi.kubernetes.core.v1.inputs.VolumeMountArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.kubernetes.rbac.v1.inputs.PolicyRuleArgs;
import com.pulumi.resources.CustomTimeouts;
import com.pulumi.resources.Resource;
import com.pulumi.resources.ResourceOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import io.memcachedgke.config.Json;
import io.memcachedgke.kube.CheckJobs;
import io.memcachedgke.kube.Children;
import io.memcachedgke.kube.Hashes;
import io.memcachedgke.kube.JobAccount;
import io.memcachedgke.kube.Labels;
import io.memcachedgke.kube.Meta;
import io.memcachedgke.kube.Resources;

/**
 * A Job that waits until the API server admits a {@code PodMonitoring} and a {@code Rules} object, so that the
 * program's own are created only then. GKE managed Prometheus validates both kinds with the operator's webhooks,
 * {@code failurePolicy: Fail} (GoogleCloudPlatform/prometheus-engine, charts/operator/templates/
 * validatingwebhookconfiguration.yaml: {@code validate.rules} in every release, {@code validate.podmonitorings}
 * until v0.16); on a new cluster the operator may not serve yet, and the API server then answers 500 "failed calling
 * webhook ... no endpoints available for service gmp-operator". The Kubernetes provider retries a create only on
 * NotFound and on a kind not yet registered (pulumi-kubernetes provider/pkg/await/await.go, Creation), so without
 * this the first {@code up} fails.
 *
 * <p>The Job runs {@code kubectl create --dry-run=server} of two probe objects: the API server runs admission, the
 * webhooks included, and stores nothing. A failure (the webhook not answering) fails the pod, and the Job retries
 * with Kubernetes' back-off (10 s doubling, at most 6 min between tries) for up to {@value #DEADLINE_SECONDS} s.
 * The pod may create nothing but those two kinds in its own namespace (a Role), and only it mounts a token.
 */
final class GmpAdmission {
    private GmpAdmission() {}

    static final String IMAGE = CheckJobs.KUBECTL_IMAGE;
    static final int DEADLINE_SECONDS = 1200;
    static final int BACKOFF_LIMIT = 8;
    private static final String PROBE_FILE = "probe.json";

    /**
     * Declares the probe and returns the Job, which the managed Prometheus objects depend on.
     *
     * @param name      logical name prefix
     * @param prefix    the cache's name prefix ({@code <prefix>-gmp-admission})
     * @param namespace the namespace of the objects it stands for
     * @param interval  the scrape interval the probe objects use
     * @param parent    the metrics tier
     * @param options   the metrics tier's options (its children wait for what it waits for)
     */
    static Job declare(String name, String prefix, String namespace, String interval, Resource parent,
                       ResourceOptions options) {
        var labels = Labels.gmpAdmission(prefix);
        var account = JobAccount.declare(name + "-gmp-admission", namespace, labels, PolicyRuleArgs.builder()
            .apiGroups("monitoring.googleapis.com")
            .resources("podmonitorings", "rules")
            .verbs("create")
            .build(), parent, options);
        // The probe's ConfigMap shares the check's name.
        var meta = Meta.of(labels.app(), namespace, labels);
        var probe = probe(prefix, namespace, interval);
        var config = new ConfigMap(name + "-gmp-admission-probe", ConfigMapArgs.builder()
            .metadata(meta)
            .data(Map.of(PROBE_FILE, probe))
            .build(), Children.of(parent, options).build());

        var jobName = account.name() + "-" + Hashes.sha256(String.join("\n", IMAGE, probe, Integer.toString(DEADLINE_SECONDS)))
            .substring(0, 10);
        return new Job(name + "-gmp-admission", JobArgs.builder()
            .metadata(Meta.of(jobName, namespace, labels))
            .spec(JobSpecArgs.builder()
                .backoffLimit(BACKOFF_LIMIT)
                .activeDeadlineSeconds(DEADLINE_SECONDS)
                // No TTL, as the check Jobs (io.memcachedgke.kube.CheckJobs says why).
                .template(PodTemplateSpecArgs.builder()
                    .metadata(ObjectMetaArgs.builder().labels(labels.all()).build())
                    .spec(CheckJobs.podSpecBuilder(ContainerArgs.builder()
                            .name("admission")
                            .image(IMAGE)
                            .args("create", "--dry-run=server", "--filename=/probe/" + PROBE_FILE,
                                "--cache-dir=/tmp/kube-cache")
                            .volumeMounts(
                                VolumeMountArgs.builder().name("probe").mountPath("/probe").readOnly(true).build(),
                                VolumeMountArgs.builder().name("tmp").mountPath("/tmp").build())
                            .resources(Resources.guaranteed(50, 64)))
                        .serviceAccountName(account.name())
                        // The one pod of the program that calls the Kubernetes API: its Role lets it create (a dry
                        // run stores nothing) two kinds in this namespace, nothing else.
                        .automountServiceAccountToken(true)
                        .volumes(
                            VolumeArgs.builder().name("probe")
                                .configMap(ConfigMapVolumeSourceArgs.builder().name(labels.app()).build()).build(),
                            VolumeArgs.builder().name("tmp")
                                .emptyDir(EmptyDirVolumeSourceArgs.builder().sizeLimit("16Mi").build()).build())
                        .build())
                    .build())
                .build())
            .build(), Children.of(parent, options, account.and(config))
                .customTimeouts(CustomTimeouts.builder().create(Duration.ofSeconds(DEADLINE_SECONDS + 300L)).build())
                .build());
    }

    /** The probe objects, a {@code v1 List}: a PodMonitoring and a Rules, valid, named so none ever exists. */
    static String probe(String prefix, String namespace, String interval) {
        var metadata = Map.of("name", prefix + "-admission-probe", "namespace", namespace);
        var podMonitoring = Map.of("apiVersion", Monitoring.GMP_API_VERSION, "kind", "PodMonitoring", "metadata", metadata,
            "spec", Map.of(
                "selector", Map.of("matchLabels", Map.of("app", metadata.get("name"))),
                "endpoints", List.of(Map.of("port", Ports.METRICS_NAME, "interval", interval))));
        var rules = Map.of("apiVersion", Monitoring.GMP_API_VERSION, "kind", "Rules", "metadata", metadata,
            "spec", Map.of("groups", List.of(Map.of("name", "admission-probe", "interval", interval,
                "rules", List.of(Map.of("record", "memcached_gke:admission_probe", "expr", "vector(1)"))))));
        return Json.canonical(Map.of("apiVersion", "v1", "kind", "List", "items", List.of(podMonitoring, rules)));
    }
}
