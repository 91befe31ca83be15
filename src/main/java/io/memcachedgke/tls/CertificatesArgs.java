package io.memcachedgke.tls;

import java.time.Duration;
import java.util.List;

/**
 * The cache's certificates, as cert-manager objects: one for the shards (server) and one per client role.
 *
 * @param namePrefix   prefix of every name
 * @param namespace    where the Certificates, their Secrets and a namespaced issuer live
 * @param issuer       the issuer that signs them, or null for a CA of the cache's own ({@code <prefix>-ca}, signed by a
 *                     self-signed issuer)
 * @param issuerKind   {@code Issuer} or {@code ClusterIssuer}
 * @param duration     each certificate's validity
 * @param renewBefore  how long before expiry cert-manager renews it
 * @param server       the shards' certificate
 * @param clients      one certificate per client role
 */
public record CertificatesArgs(String namePrefix, String namespace, String issuer, String issuerKind, Duration duration,
                               Duration renewBefore, Leaf server, List<Leaf> clients) {

    public CertificatesArgs {
        clients = List.copyOf(clients);
    }

    /**
     * One certificate.
     *
     * @param role       what it is for ({@code memcached}, {@code mcrouter}, ...): its logical name and common name
     * @param secretName the Secret cert-manager writes
     * @param dnsNames   the names it is valid for (a server's), empty for a client
     */
    public record Leaf(String role, String secretName, List<String> dnsNames) {
        public Leaf {
            dnsNames = List.copyOf(dnsNames);
        }

        public boolean serves() {
            return !dnsNames.isEmpty();
        }
    }

    /** cert-manager's duration text (Go's {@code time.ParseDuration}): whole hours, e.g. {@code 2160h}. */
    static String goDuration(Duration d) {
        if (d.toSeconds() % 3600 == 0) {
            return d.toHours() + "h";
        }
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
    }
}
