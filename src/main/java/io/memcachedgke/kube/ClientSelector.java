package io.memcachedgke.kube;

import com.pulumi.kubernetes.meta.v1.inputs.LabelSelectorArgs;
import com.pulumi.kubernetes.meta.v1.inputs.LabelSelectorRequirementArgs;
import com.pulumi.kubernetes.networking.v1.inputs.NetworkPolicyPeerArgs;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pods in the namespace that a NetworkPolicy lets in: all labels in {@code matchLabels} equal, and
 * {@code existsKey} (if any) present with any value.
 */
public record ClientSelector(Map<String, String> matchLabels, String existsKey) {

    /** Pods started with {@code kubectl run}, which labels them {@code run=<name>}: the lab's test pods. */
    public static final ClientSelector KUBECTL_RUN = new ClientSelector(Map.of(), "run");

    public ClientSelector {
        matchLabels = new TreeMap<>(matchLabels);
    }

    public static ClientSelector labels(Map<String, String> labels) {
        return new ClientSelector(labels, null);
    }

    public LabelSelectorArgs toLabelSelector() {
        var b = LabelSelectorArgs.builder();
        if (!matchLabels.isEmpty()) {
            b.matchLabels(matchLabels);
        }
        if (existsKey != null) {
            b.matchExpressions(List.of(
                LabelSelectorRequirementArgs.builder().key(existsKey).operator("Exists").build()));
        }
        return b.build();
    }

    public NetworkPolicyPeerArgs toPeer() {
        return NetworkPolicyPeerArgs.builder().podSelector(toLabelSelector()).build();
    }
}
