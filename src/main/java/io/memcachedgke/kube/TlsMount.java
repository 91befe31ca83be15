package io.memcachedgke.kube;

import com.pulumi.kubernetes.core.v1.inputs.SecretVolumeSourceArgs;
import com.pulumi.kubernetes.core.v1.inputs.VolumeArgs;
import com.pulumi.kubernetes.core.v1.inputs.VolumeMountArgs;

/**
 * A certificate Secret as cert-manager writes it ({@code tls.crt}: the certificate and its chain, {@code tls.key}, and
 * {@code ca.crt}: the issuing CA; cert-manager pkg/apis/meta/v1 {@code TLSCAKey}), mounted as a whole directory. No
 * {@code subPath}: kubelet swaps a Secret volume's files together (its {@code ..data} link) when the Secret changes, so
 * a renewed certificate reaches the running pod; a {@code subPath} mount never updates (Kubernetes docs, Secrets:
 * "Mounted Secrets are updated automatically"). Group-readable only, for the pod's {@code fsGroup}.
 *
 * @param secretName the Secret
 * @param dir        where its files appear in the container
 * @param issuer     what signs it ({@code Issuer/<name>} or {@code ClusterIssuer/<name>}): a client that reads its CA
 *                   only at start must restart when this changes
 */
public record TlsMount(String secretName, String dir, String issuer) {
    public static final String CERT = "tls.crt";
    public static final String KEY = "tls.key";
    public static final String CA = "ca.crt";
    public static final String VOLUME = "tls";
    /** Owner and group may read; the group is the pod's {@code fsGroup}, the user the container runs as. */
    static final int MODE = 0440;

    public String cert() {
        return dir + "/" + CERT;
    }

    public String key() {
        return dir + "/" + KEY;
    }

    public String ca() {
        return dir + "/" + CA;
    }

    public VolumeArgs volume() {
        return VolumeArgs.builder().name(VOLUME)
            .secret(SecretVolumeSourceArgs.builder().secretName(secretName).defaultMode(MODE).build())
            .build();
    }

    public VolumeMountArgs mount() {
        return VolumeMountArgs.builder().name(VOLUME).mountPath(dir).readOnly(true).build();
    }
}
