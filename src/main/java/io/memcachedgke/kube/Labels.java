package io.memcachedgke.kube;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One label set per workload: the selector labels (immutable once applied, so kept minimal) and the
 * full set that metadata and pod templates carry. {@code app} is kept because the lab selects pods
 * with {@code -l app=mycache-mcrouter} and {@code -l app=sample-application-py}.
 *
 * @param app       the workload's name, also the {@code app} label
 * @param component {@code app.kubernetes.io/name}: memcached, mcrouter, sample-app or smoke-test
 * @param role      {@code app.kubernetes.io/component}: cache, proxy, client or test
 * @param instance  {@code app.kubernetes.io/instance}: the name prefix
 */
public record Labels(String app, String component, String role, String instance) {

    public static final String PART_OF = "memcached-gke";
    /** Pods carrying this label (value "true") may reach memcached directly, bypassing mcrouter. */
    public static final String DIRECT_CLIENT = "memcached-gke/direct-client";

    /** The labels a selector matches on. */
    public Map<String, String> selector() {
        var m = new LinkedHashMap<String, String>();
        m.put("app", app);
        m.put("app.kubernetes.io/name", component);
        m.put("app.kubernetes.io/instance", instance);
        return m;
    }

    /** The selector labels plus the informational ones; for metadata and pod templates. */
    public Map<String, String> all() {
        var m = selector();
        m.put("app.kubernetes.io/component", role);
        m.put("app.kubernetes.io/part-of", PART_OF);
        m.put("app.kubernetes.io/managed-by", "pulumi");
        return m;
    }

    public static Labels memcached(String prefix) {
        return new Labels(Names.memcached(prefix), "memcached", "cache", prefix);
    }

    public static Labels mcrouter(String prefix) {
        return new Labels(Names.mcrouter(prefix), "mcrouter", "proxy", prefix);
    }

    public static Labels sampleApp(String prefix) {
        return new Labels(Names.SAMPLE_APP, "sample-app", "client", prefix);
    }

    /** The memcached exporter Deployment of the metrics tier. */
    public static Labels memcachedExporter(String prefix) {
        return new Labels(Names.memcachedExporter(prefix), "memcached-exporter", "metrics", prefix);
    }

    /** The Job that checks every proxy runs the new config. */
    public static Labels rolloutCheck(String prefix) {
        return new Labels(Names.rolloutCheck(prefix), "rollout-check", "test", prefix);
    }

    /** The Deployment that tells the shards to load renewed certificates. */
    public static Labels certReloader(String prefix) {
        return new Labels(Names.certReloader(prefix), "cert-reloader", "cache", prefix);
    }

    /** cert-manager's objects of the cache (its issuers and certificates). */
    public static Labels certificates(String prefix) {
        return new Labels(prefix + "-tls", "certificates", "security", prefix);
    }

    /** The Job that waits until the shards' StatefulSet has rolled out. */
    public static Labels rollCheck(String prefix) {
        return new Labels(Names.rollCheck(prefix), "roll-check", "test", prefix);
    }

    /** The Job that waits until managed Prometheus's operator admits the metrics tier's objects. */
    public static Labels gmpAdmission(String prefix) {
        return new Labels(Names.gmpAdmission(prefix), "gmp-admission", "test", prefix);
    }

    public static Labels smokeTest(String prefix) {
        return new Labels(Names.smokeTest(prefix), "smoke-test", "test", prefix);
    }
}
