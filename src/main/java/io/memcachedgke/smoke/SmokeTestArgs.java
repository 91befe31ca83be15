package io.memcachedgke.smoke;

import java.util.List;
import io.memcachedgke.config.Formats;
import io.memcachedgke.config.Rule;
import io.memcachedgke.kube.ClientSelector;
import io.memcachedgke.kube.Labels;
import io.memcachedgke.kube.Names;
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
 */
public record SmokeTestArgs(
    String namePrefix, String namespace, String image, int cpuMillis, int memoryMiB, int proxyWaitSeconds,
    int backoffLimit, int activeDeadlineSeconds) {

    public static final List<Rule<SmokeTestArgs>> RULES = List.of(
        Rule.matches("image", SmokeTestArgs::image, Formats.PINNED_IMAGE, Formats.PINNED_IMAGE_TEXT),
        Rule.between("cpuMillis", SmokeTestArgs::cpuMillis, 10, 1000),
        Rule.between("memoryMiB", SmokeTestArgs::memoryMiB, 8, 256),
        Rule.between("proxyWaitSeconds", SmokeTestArgs::proxyWaitSeconds, 1, 600),
        Rule.between("backoffLimit", SmokeTestArgs::backoffLimit, 0, 6),
        Rule.custom("activeDeadlineSeconds", (a, p) -> a.activeDeadlineSeconds() > a.proxyWaitSeconds() + 30
            && a.activeDeadlineSeconds() <= 3600 ? null
            : "must be more than " + p + "proxyWaitSeconds + 30 (" + (a.proxyWaitSeconds() + 30)
                + ") and at most 3600, but " + a.activeDeadlineSeconds() + " was provided"));

    public List<String> problems(String keyPrefix) {
        return Rule.checkAll(RULES, this, keyPrefix);
    }

    /** The labels of the Job and its pods. */
    public Labels labels() {
        return Labels.smokeTest(namePrefix);
    }

    /**
     * The smoke test's pods, as the mcrouter tier's NetworkPolicy must admit them: from the same labels
     * the Job puts on its pods. (memcached admits them by {@code MemcachedArgs.DIRECT_CLIENT_LABEL}.)
     */
    public static ClientSelector client(String namePrefix) {
        return ClientSelector.labels(Labels.smokeTest(namePrefix).selector());
    }

    /** The script the Job runs. */
    public ProbeScript script() {
        return ProbeScript.smoke(proxyWaitSeconds);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String namePrefix = Names.DEFAULT_PREFIX;
        private String namespace = Names.DEFAULT_NAMESPACE;
        private String image = "busybox:1.37.0";
        private int cpuMillis = 50;
        private int memoryMiB = 16;
        private int proxyWaitSeconds = 60;
        private int backoffLimit = 2;
        private int activeDeadlineSeconds = 300;

        /** @param v prefix of the cache. @default {@code mycache} */
        public Builder namePrefix(String v) { this.namePrefix = v; return this; }
        /** @param v namespace. @default {@code default} */
        public Builder namespace(String v) { this.namespace = v; return this; }
        /** @param v image. @default {@code busybox:1.37.0} (Docker's official busybox, glibc build: sh, nc, timeout, awk) */
        public Builder image(String v) { this.image = v; return this; }
        /** @param v CPU in millicores. @default 50 */
        public Builder cpuMillis(int v) { this.cpuMillis = v; return this; }
        /** @param v memory in MiB. @default 16 (busybox sh and nc need a few MiB) */
        public Builder memoryMiB(int v) { this.memoryMiB = v; return this; }
        /** @param v seconds the first write may keep failing. @default 60 (a new node's proxy pulling its image) */
        public Builder proxyWaitSeconds(int v) { this.proxyWaitSeconds = v; return this; }
        /** @param v retries. @default 2 (a transient DNS or scheduling hiccup is retried; a real fault fails in minutes) */
        public Builder backoffLimit(int v) { this.backoffLimit = v; return this; }
        /** @param v deadline of the Job. @default 300 (within the provider's 10-minute wait for a Job) */
        public Builder activeDeadlineSeconds(int v) { this.activeDeadlineSeconds = v; return this; }

        public SmokeTestArgs build() {
            return new SmokeTestArgs(namePrefix, namespace, image, cpuMillis, memoryMiB, proxyWaitSeconds,
                backoffLimit, activeDeadlineSeconds);
        }
    }
}
