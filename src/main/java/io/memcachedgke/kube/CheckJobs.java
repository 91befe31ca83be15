package io.memcachedgke.kube;

import com.pulumi.kubernetes.core.v1.inputs.ContainerArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodSpecArgs;

/**
 * The pod of a Job that checks the cache and ends (the rollout check, the smoke test): one container running a
 * generated script, restricted, no service-account token, never restarted in place.
 *
 * <p>No check Job carries {@code ttlSecondsAfterFinished}. A Job named for what it checks runs once per change: the
 * next change gives it another name and Pulumi replaces it, deleting the old one. Were Kubernetes to delete it after
 * a TTL instead, {@code pulumi refresh} would drop it from the state (the provider reads it as gone) and the next
 * preview would plan to create it again with no change in sight, then run the check again, so a
 * {@code preview --expect-no-changes} after a refresh would fail. Kept, a finished Job costs one object and one
 * completed pod (no CPU, no memory) and keeps its log ({@code kubectl logs job/<name>}). A Job deleted by hand is
 * what the preview then shows: a create of that Job, which runs the check again.
 */
public final class CheckJobs {
    private CheckJobs() {}

    /**
     * The official kubectl image, of the Kubernetes release the suite's control plane runs (registry.k8s.io/kubectl
     * exists from v1.28; it is distroless, ENTRYPOINT /bin/kubectl, so a Job runs one kubectl command and no shell):
     * the checks that call the Kubernetes API (the managed-Prometheus admission probe, the shards' roll check).
     */
    public static final String KUBECTL_IMAGE = "registry.k8s.io/kubectl:v1.34.1";

    /** @param container the check's container: its name, image, script, environment and resources */
    public static PodSpecArgs podSpec(ContainerArgs.Builder container) {
        return podSpecBuilder(container).build();
    }

    /**
     * The same, still open: for a check that needs more of its pod (volumes; the managed-Prometheus admission probe's
     * own ServiceAccount and token, metrics.GmpAdmission).
     */
    public static PodSpecArgs.Builder podSpecBuilder(ContainerArgs.Builder container) {
        return PodSpecArgs.builder()
            .restartPolicy("Never")
            .automountServiceAccountToken(false)
            .enableServiceLinks(false)
            .securityContext(PodSecurity.pod(PodSecurity.NOBODY_UID))
            .terminationGracePeriodSeconds(5)
            .containers(container
                .securityContext(PodSecurity.container())
                // A failed pod's last log line, the script's one line, becomes its termination message, which
                // the provider prints when the Job fails.
                .terminationMessagePolicy("FallbackToLogsOnError")
                .build());
    }
}
