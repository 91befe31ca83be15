package io.memcachedgke.tls;

import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.CustomTimeouts;
import com.pulumi.resources.Resource;
import io.memcachedgke.kube.Children;
import io.memcachedgke.kube.CustomObject;
import io.memcachedgke.kube.Labels;
import io.memcachedgke.kube.Names;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cache's certificates as cert-manager objects (the program generates no key itself): the issuer, then one
 * {@code Certificate} for the shards and one per client role, each written by cert-manager into a Secret of its name
 * and renewed in place before it expires. cert-manager must be installed first (docs/security.md).
 *
 * <p>With no issuer named, the cache makes its own CA the way cert-manager's docs bootstrap one: a self-signed
 * {@code Issuer}, a CA {@code Certificate} it signs ({@code isCA}, its key kept across renewals so that certificates it
 * signed stay valid), and a CA {@code Issuer} on that Secret (cert-manager docs, "CA" issuer; "SelfSigned",
 * "Bootstrapping CA Issuers"). Every leaf's Secret then carries that CA as {@code ca.crt}, which both ends trust.
 *
 * <p>Each Certificate carries {@code pulumi.com/waitFor: condition=Ready} (pulumi-kubernetes
 * provider/pkg/metadata/overrides.go {@code ReadyCondition}): {@code pulumi up} waits until cert-manager has issued it,
 * so no pod that mounts its Secret is created before the Secret exists.
 */
public final class CacheCertificates extends ComponentResource {
    public static final String TYPE = "memcached-gke:tls:CacheCertificates";
    static final String API_VERSION = "cert-manager.io/v1";
    static final String GROUP = "cert-manager.io";
    /** What the provider waits for on every Certificate: cert-manager's Ready condition. */
    static final String WAIT_FOR = "pulumi.com/waitFor";
    static final Duration ISSUE_TIMEOUT = Duration.ofMinutes(10);
    /** The cache's own CA: long-lived, its key kept on renewal. */
    static final Duration CA_DURATION = Duration.ofDays(3650);

    private final List<Resource> certificates = new ArrayList<>();

    public CacheCertificates(String name, CertificatesArgs args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var labels = Labels.certificates(args.namePrefix());
        Map<String, Object> issuerRef;
        List<Resource> issuers = new ArrayList<>();
        if (args.issuer() == null) {
            var ca = Names.certificateAuthority(args.namePrefix());
            var selfSigned = new CustomObject(name + "-selfsigned-issuer", API_VERSION, "Issuer",
                meta(args.namePrefix() + "-selfsigned", args.namespace(), labels, Map.of()), Map.of("selfSigned", Map.of()),
                Children.of(this, options).build());
            var caSpec = new LinkedHashMap<String, Object>();
            caSpec.put("isCA", true);
            caSpec.put("commonName", ca);
            caSpec.put("secretName", ca);
            caSpec.put("duration", CertificatesArgs.goDuration(CA_DURATION));
            caSpec.put("privateKey", Map.of("algorithm", "ECDSA", "size", 256, "rotationPolicy", "Never"));
            caSpec.put("issuerRef", Map.of("name", args.namePrefix() + "-selfsigned", "kind", "Issuer", "group", GROUP));
            var caCert = new CustomObject(name + "-ca-certificate", API_VERSION, "Certificate",
                meta(ca, args.namespace(), labels, Map.of(WAIT_FOR, "condition=Ready")), caSpec,
                waitingFor(options, selfSigned));
            issuers.add(new CustomObject(name + "-ca-issuer", API_VERSION, "Issuer",
                meta(ca, args.namespace(), labels, Map.of()), Map.of("ca", Map.of("secretName", ca)),
                Children.of(this, options, caCert).build()));
            issuerRef = Map.of("name", ca, "kind", "Issuer", "group", GROUP);
        } else {
            issuerRef = Map.of("name", args.issuer(), "kind", args.issuerKind(), "group", GROUP);
        }
        var leaves = new ArrayList<CertificatesArgs.Leaf>();
        leaves.add(args.server());
        leaves.addAll(args.clients());
        for (var leaf : leaves) {
            certificates.add(new CustomObject(name + "-" + leaf.role() + "-certificate", API_VERSION, "Certificate",
                meta(leaf.secretName(), args.namespace(), labels, Map.of(WAIT_FOR, "condition=Ready")),
                leafSpec(args, leaf, issuerRef), waitingFor(options, issuers.toArray(Resource[]::new))));
        }
        registerOutputs(Map.of());
    }

    private CustomResourceOptions waitingFor(ComponentResourceOptions options, Resource... after) {
        return Children.of(this, options, after)
            .customTimeouts(CustomTimeouts.builder().create(ISSUE_TIMEOUT).update(ISSUE_TIMEOUT).build())
            .build();
    }

    /**
     * A leaf: ECDSA P-256 (memcached's OpenSSL, mcrouter's folly, Go and Python all take it), a new key on every
     * renewal (cert-manager's default since v1.18, written out), and the usage its side needs (OpenSSL checks the
     * extended key usage of each end).
     */
    static Map<String, Object> leafSpec(CertificatesArgs args, CertificatesArgs.Leaf leaf, Map<String, Object> issuerRef) {
        var spec = new LinkedHashMap<String, Object>();
        spec.put("secretName", leaf.secretName());
        spec.put("commonName", args.namePrefix() + "-" + leaf.role());
        if (leaf.serves()) {
            spec.put("dnsNames", leaf.dnsNames());
        }
        spec.put("duration", CertificatesArgs.goDuration(args.duration()));
        spec.put("renewBefore", CertificatesArgs.goDuration(args.renewBefore()));
        spec.put("usages", List.of("digital signature", "key encipherment", leaf.serves() ? "server auth" : "client auth"));
        spec.put("privateKey", Map.of("algorithm", "ECDSA", "size", 256, "rotationPolicy", "Always"));
        spec.put("issuerRef", issuerRef);
        return spec;
    }

    private static ObjectMetaArgs meta(String name, String namespace, Labels labels, Map<String, String> annotations) {
        var b = ObjectMetaArgs.builder().name(name).namespace(namespace).labels(labels.all());
        if (!annotations.isEmpty()) {
            b.annotations(annotations);
        }
        return b.build();
    }

    /** The Certificates: what a pod mounting one of their Secrets waits for. */
    public List<Resource> certificates() {
        return List.copyOf(certificates);
    }
}
