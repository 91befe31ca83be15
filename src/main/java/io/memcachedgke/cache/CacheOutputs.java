package io.memcachedgke.cache;

import com.pulumi.core.Output;
import java.util.List;
import java.util.Map;

/**
 * What the cache gives the program that declares it (the stack's outputs, the package's component outputs).
 *
 * @param namespace            the cache's namespace
 * @param memcachedServiceHost the headless Service's DNS name
 * @param memcachedServers     every shard as {@code host:11211}, in ordinal order
 * @param memcachedRollCheckJob the Job that waited for the shards' last roll
 * @param mcrouterPort         the proxies' port
 * @param mcrouterServiceHost  the proxies' node-local Service's DNS name
 * @param mcrouterExposure     {@code hostPort} or {@code nodeLocalService}
 * @param mcrouterConfigDigest the MD5 of the proxies' config, as every proxy reports it
 * @param mcrouterRolloutJob   the Job that checked every proxy runs the config
 * @param smokeTestJob         the smoke test's Job, or empty
 * @param dashboardUrl         the Cloud Monitoring dashboard's address, or empty
 * @param tlsClientSecret      with mutual TLS, the Secret of the operators' client certificate; else empty
 */
public record CacheOutputs(Output<String> namespace, Output<String> memcachedServiceHost,
                           Output<List<String>> memcachedServers, Output<String> memcachedRollCheckJob,
                           Output<Integer> mcrouterPort,
                           Output<String> mcrouterServiceHost, Output<String> mcrouterExposure,
                           Output<String> mcrouterConfigDigest, Output<String> mcrouterRolloutJob,
                           Output<String> smokeTestJob, Output<String> dashboardUrl, Output<String> tlsClientSecret) {

    /** By output name, for {@code registerOutputs}. */
    public Map<String, Output<?>> asMap() {
        return Map.ofEntries(Map.entry("namespace", namespace), Map.entry("memcachedServiceHost", memcachedServiceHost),
            Map.entry("memcachedServers", memcachedServers), Map.entry("memcachedRollCheckJob", memcachedRollCheckJob),
            Map.entry("mcrouterPort", mcrouterPort), Map.entry("mcrouterServiceHost", mcrouterServiceHost),
            Map.entry("mcrouterExposure", mcrouterExposure), Map.entry("mcrouterConfigDigest", mcrouterConfigDigest),
            Map.entry("mcrouterRolloutJob", mcrouterRolloutJob), Map.entry("smokeTestJob", smokeTestJob),
            Map.entry("dashboardUrl", dashboardUrl), Map.entry("tlsClientSecret", tlsClientSecret));
    }
}
