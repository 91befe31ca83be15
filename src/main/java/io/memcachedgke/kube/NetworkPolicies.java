package io.memcachedgke.kube;

import com.pulumi.kubernetes.meta.v1.inputs.LabelSelectorArgs;
import com.pulumi.kubernetes.networking.v1.inputs.NetworkPolicyEgressRuleArgs;
import com.pulumi.kubernetes.networking.v1.inputs.NetworkPolicyIngressRuleArgs;
import com.pulumi.kubernetes.networking.v1.inputs.NetworkPolicyPeerArgs;
import com.pulumi.kubernetes.networking.v1.inputs.NetworkPolicyPortArgs;
import java.util.List;
import java.util.Map;

/** The pieces every tier's NetworkPolicy is made of, so the DNS rule and peer shapes exist once. */
public final class NetworkPolicies {
    private NetworkPolicies() {}

    /** Egress to the cluster DNS (kube-dns in kube-system) on port 53, UDP and TCP. */
    public static NetworkPolicyEgressRuleArgs dnsEgress() {
        return NetworkPolicyEgressRuleArgs.builder()
            .to(NetworkPolicyPeerArgs.builder()
                .namespaceSelector(LabelSelectorArgs.builder()
                    .matchLabels(Map.of("kubernetes.io/metadata.name", "kube-system")).build())
                .podSelector(LabelSelectorArgs.builder().matchLabels(Map.of("k8s-app", "kube-dns")).build())
                .build())
            .ports(tcpUdp(53))
            .build();
    }

    /** Ingress on one TCP port from the given pods of the same namespace. */
    public static NetworkPolicyIngressRuleArgs ingressFrom(List<ClientSelector> from, String portName) {
        return NetworkPolicyIngressRuleArgs.builder()
            .from(from.stream().map(ClientSelector::toPeer).toList())
            .ports(NetworkPolicyPortArgs.builder().protocol("TCP").port(portName).build())
            .build();
    }

    /** Ingress on one TCP port from the given peers, which may name other namespaces (a metrics scraper). */
    public static NetworkPolicyIngressRuleArgs ingressFromPeers(List<NetworkPolicyPeerArgs> from, String portName) {
        return NetworkPolicyIngressRuleArgs.builder()
            .from(from)
            .ports(NetworkPolicyPortArgs.builder().protocol("TCP").port(portName).build())
            .build();
    }

    /** Egress on one TCP port to the given pods of the same namespace. */
    public static NetworkPolicyEgressRuleArgs egressTo(ClientSelector to, int port) {
        return NetworkPolicyEgressRuleArgs.builder()
            .to(to.toPeer())
            .ports(NetworkPolicyPortArgs.builder().protocol("TCP").port(port).build())
            .build();
    }

    private static List<NetworkPolicyPortArgs> tcpUdp(int port) {
        return List.of(
            NetworkPolicyPortArgs.builder().protocol("UDP").port(port).build(),
            NetworkPolicyPortArgs.builder().protocol("TCP").port(port).build());
    }
}
