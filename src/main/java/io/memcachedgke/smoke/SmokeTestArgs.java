package io.memcachedgke.smoke;

import io.memcachedgke.kube.ClientSelector;
import io.memcachedgke.kube.Labels;
import io.memcachedgke.kube.TlsMount;
import io.memcachedgke.probe.ProbeScript;

/**
 * The smoke test: a Job, run after every tier is ready, that proves the cache works end to end
 * ({@link ProbeScript#smoke}), so that {@code pulumi up} fails when it does not.
 *
 * @param namePrefix             the cache's prefix; the Job is {@code <prefix>-smoke-<hash>}
 * @param namespace              namespace
 * @param image                  an image with busybox's {@code sh} and applets
 * @param cpuMillis              CPU request and limit
 * @param memoryMiB              memory request and limit
 * @param proxyWaitSeconds       how long the script retries its first write through the proxy
 * @param backoffLimit           retries of a failed pod before the Job (and {@code pulumi up}) fails
 * @param activeDeadlineSeconds  the most the whole Job may take, retries included
 * @param tls                    the smoke test's client certificate, when the shards serve mutual TLS, or null
 */
public record SmokeTestArgs(
    String namePrefix, String namespace, String image, int cpuMillis, int memoryMiB, int proxyWaitSeconds,
    int backoffLimit, int activeDeadlineSeconds, TlsMount tls) {

    /** Busybox's sh and nc need a few MiB; a small CPU share. */
    static final int CPU_MILLIS = 50;
    static final int MEMORY_MIB = 16;
    /** The first write may keep failing this long: a new node's proxy pulling its image. */
    static final int PROXY_WAIT_SECONDS = 60;
    /** A transient DNS or scheduling hiccup is retried; a real fault fails in minutes. */
    static final int BACKOFF_LIMIT = 2;
    /** Within the provider's 10-minute wait for a Job. */
    static final int ACTIVE_DEADLINE_SECONDS = 300;

    /** python3 and its ssl module need more than busybox: the TLS run's memory. */
    static final int TLS_MEMORY_MIB = 64;

    /** The smoke test of the cache {@code <namePrefix>} in {@code namespace}, run from {@code image}. */
    public static SmokeTestArgs of(String namePrefix, String namespace, String image) {
        return new SmokeTestArgs(namePrefix, namespace, image, CPU_MILLIS, MEMORY_MIB, PROXY_WAIT_SECONDS, BACKOFF_LIMIT,
            ACTIVE_DEADLINE_SECONDS, null);
    }

    /** The same, of shards that serve mutual TLS: from an image with python3 ({@code tls.clientImage}), with {@code tls}. */
    public static SmokeTestArgs overTls(String namePrefix, String namespace, String image, TlsMount tls) {
        return new SmokeTestArgs(namePrefix, namespace, image, CPU_MILLIS, TLS_MEMORY_MIB, PROXY_WAIT_SECONDS,
            BACKOFF_LIMIT, ACTIVE_DEADLINE_SECONDS, tls);
    }

    /** The labels of the Job and its pods. */
    public Labels labels() {
        return Labels.smokeTest(namePrefix);
    }

    /**
     * The smoke test's pods, as the mcrouter tier's NetworkPolicy must admit them: from the same labels
     * the Job puts on its pods. (memcached admits them by {@code Labels.DIRECT_CLIENT}.)
     */
    public static ClientSelector client(String namePrefix) {
        return ClientSelector.labels(Labels.smokeTest(namePrefix).selector());
    }

    /** The script the Job runs. */
    public ProbeScript script() {
        return ProbeScript.smoke(proxyWaitSeconds, tls != null);
    }
}
