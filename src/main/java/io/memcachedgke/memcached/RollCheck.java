package io.memcachedgke.memcached;

import com.pulumi.kubernetes.batch.v1.Job;
import com.pulumi.kubernetes.batch.v1.JobArgs;
import com.pulumi.kubernetes.batch.v1.inputs.JobSpecArgs;
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
import io.memcachedgke.kube.CheckJobs;
import io.memcachedgke.kube.Children;
import io.memcachedgke.kube.Hashes;
import io.memcachedgke.kube.JobAccount;
import io.memcachedgke.kube.Labels;
import io.memcachedgke.kube.Meta;
import io.memcachedgke.kube.Names;
import io.memcachedgke.kube.Resources;
import java.time.Duration;
import java.util.List;

/**
 * The wait for the shards' roll: a Job running {@code kubectl rollout status statefulset/<prefix>-memcached}, which the
 * tier's dependents (the proxies when a move grows the pool, the smoke test) wait for, so {@code pulumi up} ends when
 * the StatefulSet has rolled out and not before.
 *
 * <p>Why not the Kubernetes provider's own await: the StatefulSet carries {@code pulumi.com/skipAwait: "true"}
 * ({@link #SKIP_AWAIT}). Without it, a {@code pulumi refresh} that reads the StatefulSet while a shard is not ready (a
 * roll in flight, a pod deleted or evicted a moment ago) records an initialization error: the provider's Read runs
 * the StatefulSet's point-in-time readiness check unless the stored inputs skip the await (pulumi-kubernetes
 * provider/pkg/await/await.go, {@code Read}; await/statefulset.go, {@code read}), and the engine then plans an update
 * with no property in its diff to "continue" the await (pulumi/pulumi pkg/resource/deploy/step_generator.go,
 * {@code hasInitErrors}), so the next {@code preview --expect-no-changes} fails with a change nobody made. The
 * annotation turns off that check and the update's await alike (pkg/metadata/overrides.go: {@code skipAwait} wins
 * over {@code waitFor}), and the update's await ends early anyway (pulumi-kubernetes#3329: it trusts status fields
 * the controller has not updated yet; fixed only in v4.26.0). {@code kubectl rollout status} waits until the
 * controller has observed the StatefulSet's generation and every replica is ready and on the new revision (kubectl
 * v0.34 pkg/polymorphichelpers/rollout_status.go, {@code StatefulSetStatusViewer}: the partition the API server
 * defaults to 0, so {@code updatedReplicas} must reach {@code replicas}).
 *
 * <p>The Job's name is hashed from what rolls or scales the shards ({@link MemcachedArgs#rollShape()}), so each roll
 * gets one Job (Pulumi replaces the previous) and nothing else reruns it. Its pod may read that one StatefulSet and
 * nothing else (a Role with {@code resourceNames}); only it and the admission probe mount a token.
 */
final class RollCheck {
    private RollCheck() {}

    /** The annotation that turns off the provider's await of the StatefulSet, on update and on refresh alike. */
    static final String SKIP_AWAIT = "pulumi.com/skipAwait";
    static final int BACKOFF_LIMIT = 3;

    /**
     * Declares the check and returns its Job.
     *
     * @param name     the tier's logical name ({@code <name>-roll-check})
     * @param args     the tier's arguments
     * @param rollTime how long the roll may take: the Job's deadline and kubectl's timeout
     * @param parent   the memcached tier
     * @param options  the tier's options
     * @param after    the StatefulSet
     */
    static Job declare(String name, MemcachedArgs args, Duration rollTime, Resource parent, ResourceOptions options,
                       Resource after) {
        var prefix = args.namePrefix();
        var labels = Labels.rollCheck(prefix);
        var account = JobAccount.declare(name + "-roll-check", args.namespace(), labels, PolicyRuleArgs.builder()
            .apiGroups("apps")
            .resources("statefulsets")
            // kubectl gets the object, then lists and watches it with a metadata.name field selector, which
            // resourceNames allow (Kubernetes docs, RBAC: "Referring to resources").
            .resourceNames(Names.memcached(prefix))
            .verbs("get", "list", "watch")
            .build(), parent, options);

        var timeoutSeconds = Math.toIntExact(rollTime.toSeconds());
        var command = command(args, timeoutSeconds);
        var jobName = account.name() + "-" + Hashes.sha256(String.join("\n", CheckJobs.KUBECTL_IMAGE,
            String.join(" ", command), args.rollShape())).substring(0, 10);
        return new Job(name + "-roll-check", JobArgs.builder()
            .metadata(Meta.of(jobName, args.namespace(), labels))
            .spec(JobSpecArgs.builder()
                // A try that fails for a reason other than the timeout (the API server restarting) is tried again;
                // the deadline bounds them all.
                .backoffLimit(BACKOFF_LIMIT)
                .activeDeadlineSeconds(timeoutSeconds + 120)
                // No TTL, as the check Jobs (io.memcachedgke.kube.CheckJobs says why).
                .template(PodTemplateSpecArgs.builder()
                    .metadata(ObjectMetaArgs.builder().labels(labels.all()).build())
                    .spec(CheckJobs.podSpecBuilder(ContainerArgs.builder()
                            .name("roll-check")
                            .image(CheckJobs.KUBECTL_IMAGE)
                            .args(command)
                            .volumeMounts(VolumeMountArgs.builder().name("tmp").mountPath("/tmp").build())
                            .resources(Resources.guaranteed(50, 64)))
                        .serviceAccountName(account.name())
                        // It reads one StatefulSet (the Role above): the pod calls the Kubernetes API, so it mounts
                        // its own account's token.
                        .automountServiceAccountToken(true)
                        .volumes(VolumeArgs.builder().name("tmp")
                            .emptyDir(EmptyDirVolumeSourceArgs.builder().sizeLimit("16Mi").build()).build())
                        .build())
                    .build())
                .build())
            .build(), Children.of(parent, options, account.and(after))
                .customTimeouts(CustomTimeouts.builder()
                    .create(rollTime.plusSeconds(300)).update(rollTime.plusSeconds(300)).build())
                .build());
    }

    /** kubectl's arguments (the image's entrypoint is kubectl): wait for the roll, at most {@code timeoutSeconds}. */
    static List<String> command(MemcachedArgs args, int timeoutSeconds) {
        return List.of("rollout", "status", "statefulset/" + Names.memcached(args.namePrefix()),
            "--namespace=" + args.namespace(), "--watch=true", "--timeout=" + timeoutSeconds + "s",
            "--cache-dir=/tmp/kube-cache");
    }
}
