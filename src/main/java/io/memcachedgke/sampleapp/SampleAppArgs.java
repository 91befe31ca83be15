package io.memcachedgke.sampleapp;

import java.util.List;
import io.memcachedgke.config.Formats;
import io.memcachedgke.config.Rule;
import io.memcachedgke.kube.Names;

/**
 * The lab's sample application: idle Python pods that know how to reach the proxy on their node.
 *
 * @param namePrefix   the prefix of the cache it uses (its {@code app.kubernetes.io/instance} label)
 * @param namespace    namespace
 * @param replicas     pods
 * @param image        a Python image; the pods idle so a user can exec in and run the lab's snippets
 * @param cpuMillis    CPU request and limit
 * @param memoryMiB    memory request and limit (pip install pymemcache needs some)
 */
public record SampleAppArgs(
    String namePrefix, String namespace, int replicas, String image, int cpuMillis, int memoryMiB) {

    public static final List<Rule<SampleAppArgs>> RULES = List.of(
        Rule.between("replicas", SampleAppArgs::replicas, 0, 100),
        Rule.matches("image", SampleAppArgs::image, Formats.PINNED_IMAGE, Formats.PINNED_IMAGE_TEXT),
        Rule.between("cpuMillis", SampleAppArgs::cpuMillis, 10, 4000),
        Rule.between("memoryMiB", SampleAppArgs::memoryMiB, 32, 8192));

    public List<String> problems(String keyPrefix) {
        return Rule.checkAll(RULES, this, keyPrefix);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String namePrefix = Names.DEFAULT_PREFIX;
        private String namespace = Names.DEFAULT_NAMESPACE;
        private int replicas = 5;
        private String image = "python:3.13.9-alpine3.22";
        private int cpuMillis = 50;
        private int memoryMiB = 128;

        /** @param v prefix of the cache. @default {@code mycache} */
        public Builder namePrefix(String v) { this.namePrefix = v; return this; }
        /** @param v namespace. @default {@code default} */
        public Builder namespace(String v) { this.namespace = v; return this; }
        /** @param v pods. @default 5 (the lab's) */
        public Builder replicas(int v) { this.replicas = v; return this; }
        /** @param v image. @default {@code python:3.13.9-alpine3.22} */
        public Builder image(String v) { this.image = v; return this; }
        /** @param v CPU in millicores. @default 50 */
        public Builder cpuMillis(int v) { this.cpuMillis = v; return this; }
        /** @param v memory in MiB. @default 128 */
        public Builder memoryMiB(int v) { this.memoryMiB = v; return this; }

        public SampleAppArgs build() {
            return new SampleAppArgs(namePrefix, namespace, replicas, image, cpuMillis, memoryMiB);
        }
    }
}
