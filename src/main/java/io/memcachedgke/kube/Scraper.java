package io.memcachedgke.kube;

import com.pulumi.kubernetes.meta.v1.inputs.LabelSelectorArgs;
import com.pulumi.kubernetes.networking.v1.inputs.NetworkPolicyPeerArgs;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pods that scrape the metrics ports, in another namespace: what a tier's NetworkPolicy lets in
 * on its {@code metrics} port, and nothing else.
 *
 * @param namespaceLabels labels of the scraper's namespace
 * @param podLabels       labels of the scraper's pods
 */
public record Scraper(Map<String, String> namespaceLabels, Map<String, String> podLabels) {

    /** The label every namespace carries with its own name (Kubernetes 1.22+). */
    public static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    /** GKE managed Prometheus: its collectors run in {@code gmp-system}, labelled {@code app.kubernetes.io/name=collector}. */
    public static final Scraper GMP_COLLECTOR =
        inNamespace("gmp-system", Map.of("app.kubernetes.io/name", "collector"));

    public Scraper {
        namespaceLabels = new TreeMap<>(namespaceLabels);
        podLabels = new TreeMap<>(podLabels);
    }

    /** Pods with {@code podLabels} in the namespace named {@code namespace}. */
    public static Scraper inNamespace(String namespace, Map<String, String> podLabels) {
        return new Scraper(Map.of(NAMESPACE_NAME_LABEL, namespace), podLabels);
    }

    public NetworkPolicyPeerArgs toPeer() {
        return NetworkPolicyPeerArgs.builder()
            .namespaceSelector(LabelSelectorArgs.builder().matchLabels(namespaceLabels).build())
            .podSelector(LabelSelectorArgs.builder().matchLabels(podLabels).build())
            .build();
    }
}
