package io.memcachedgke.kube;

/**
 * The Kubernetes names the README, the lab's commands and the stack outputs rely on, derived once
 * from the name prefix.
 */
public final class Names {
    private Names() {}

    /** The sample application's Deployment, exactly as the lab names it. */
    public static final String SAMPLE_APP = "sample-application-py";

    /** The cluster DNS domain the pod and Service host names end in. */
    public static final String CLUSTER_DOMAIN = "svc.cluster.local";

    public static String memcached(String prefix) {
        return prefix + "-memcached";
    }

    public static String mcrouter(String prefix) {
        return prefix + "-mcrouter";
    }

    /** The smoke test's label {@code app} and the start of its Jobs' names ({@code <prefix>-smoke-<hash>}). */
    public static String smokeTest(String prefix) {
        return prefix + "-smoke";
    }

    /** The metrics tier's memcached exporter Deployment. */
    public static String memcachedExporter(String prefix) {
        return prefix + "-memcached-exporter";
    }

    /** The rollout check's label {@code app} and the start of its Jobs' names ({@code <prefix>-rollout-<hash>}). */
    public static String rolloutCheck(String prefix) {
        return prefix + "-rollout";
    }

    /**
     * The shards' roll check: its ServiceAccount, Role, RoleBinding, label {@code app}, and the start of its Jobs'
     * names ({@code <prefix>-memcached-roll-<hash>}).
     */
    public static String rollCheck(String prefix) {
        return memcached(prefix) + "-roll";
    }

    /**
     * The managed-Prometheus admission probe: its ServiceAccount, Role, RoleBinding, ConfigMap, label {@code app}, and
     * the start of its Jobs' names ({@code <prefix>-gmp-admission-<hash>}).
     */
    public static String gmpAdmission(String prefix) {
        return prefix + "-gmp-admission";
    }

    /** The Secret of a role's certificate ({@code memcached}, {@code mcrouter}, ...): {@code <prefix>-<role>-tls}. */
    public static String tlsSecret(String prefix, String role) {
        return prefix + "-" + role + "-tls";
    }

    /** The cache's own CA: its Certificate, its Secret and the Issuer that signs with it. */
    public static String certificateAuthority(String prefix) {
        return prefix + "-ca";
    }

    /** The shards' certificate reloader: its Deployment, ConfigMap and label {@code app}. */
    public static String certReloader(String prefix) {
        return memcached(prefix) + "-cert-reloader";
    }

    /** A Service's DNS name, e.g. {@code mycache-memcached.default.svc.cluster.local}. */
    public static String serviceHost(String service, String namespace) {
        return service + "." + namespace + "." + CLUSTER_DOMAIN;
    }

    /** A StatefulSet pod's DNS name through its governing headless Service. */
    public static String podHost(String statefulSet, int ordinal, String service, String namespace) {
        return statefulSet + "-" + ordinal + "." + serviceHost(service, namespace);
    }
}
