package io.memcachedgke.namespace;

import java.util.List;

/**
 * The namespace the cache lives in.
 *
 * @param name          namespace name
 * @param create        create it (and label it for Pod Security Admission); false for one that exists
 *                      already, such as {@code default}
 * @param enforce       the Pod Security level enforced; {@code restricted} unless a pod needs a host port
 * @param namePrefix    prefix of the NetworkPolicy's name
 * @param networkPolicy deny all ingress in the namespace that no tier's own NetworkPolicy allows
 */
public record CacheNamespaceArgs(String name, boolean create, PodSecurityLevel enforce, String namePrefix,
                                 boolean networkPolicy) {

    /** Kubernetes' own namespaces, which this program must never label or delete. */
    public static final List<String> EXISTING = List.of("default", "kube-system", "kube-public", "kube-node-lease");

    /** @param name namespace; it is created unless it is one Kubernetes makes itself */
    public static CacheNamespaceArgs of(String name, PodSecurityLevel enforce, String namePrefix, boolean networkPolicy) {
        return new CacheNamespaceArgs(name, !EXISTING.contains(name), enforce, namePrefix, networkPolicy);
    }
}
