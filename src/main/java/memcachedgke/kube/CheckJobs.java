package memcachedgke.kube;

import com.pulumi.kubernetes.core.v1.inputs.ContainerArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodSpecArgs;

/**
 * The pod of a Job that checks the cache and ends (the rollout check, the smoke test): one container running a
 * generated script, restricted, no service-account token, never restarted in place.
 */
public final class CheckJobs {
    private CheckJobs() {}

    /** @param container the check's container: its name, image, script, environment and resources */
    public static PodSpecArgs podSpec(ContainerArgs.Builder container) {
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
                .build())
            .build();
    }
}
