package io.memcachedgke.sampleapp;


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
    String namePrefix, String namespace, int replicas, String image, int cpuMillis, int memoryMiB) {}
