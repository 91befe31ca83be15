package io.memcachedgke.kube;

import com.pulumi.kubernetes.core.v1.inputs.CapabilitiesArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodSecurityContextArgs;
import com.pulumi.kubernetes.core.v1.inputs.SeccompProfileArgs;
import com.pulumi.kubernetes.core.v1.inputs.SecurityContextArgs;

/**
 * The Pod Security Standards "restricted" profile, written once for every workload of the program:
 * non-root with a fixed uid/gid, RuntimeDefault seccomp, no privilege escalation, no capabilities and
 * a read-only root filesystem (writable paths are emptyDir mounts the workload declares).
 */
public final class PodSecurity {
    private PodSecurity() {}

    /** The official memcached image's {@code memcache} user and group. */
    public static final int MEMCACHED_UID = 11211;
    /** {@code nobody}: present in the mcrouter and python images, owns nothing in them. */
    public static final int NOBODY_UID = 65534;

    public static PodSecurityContextArgs pod(int uid) {
        return PodSecurityContextArgs.builder()
            .runAsNonRoot(true)
            .runAsUser(uid)
            .runAsGroup(uid)
            .fsGroup(uid)
            .seccompProfile(SeccompProfileArgs.builder().type("RuntimeDefault").build())
            .build();
    }

    public static SecurityContextArgs container() {
        return SecurityContextArgs.builder()
            .allowPrivilegeEscalation(false)
            .privileged(false)
            .readOnlyRootFilesystem(true)
            .runAsNonRoot(true)
            .capabilities(CapabilitiesArgs.builder().drop("ALL").build())
            .build();
    }
}
