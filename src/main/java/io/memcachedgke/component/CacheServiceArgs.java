package io.memcachedgke.component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ResourceArgs;
import java.util.LinkedHashMap;
import java.util.Map;
import io.memcachedgke.stack.ConfigReader;

/**
 * The arguments of {@link CacheService}: the settings of a stack's {@code memcached-gke:} configuration that the cache
 * on an existing cluster has, with the same names, defaults and validation (the stack reader checks them, so a bad
 * value from any language gets the same one line naming every problem, before any resource is registered).
 *
 * <p>Every field is plain (not an {@code Output}): settings are known when the program runs, and a plain value reads
 * naturally in TypeScript and Python. Strings stand for the few choices (environment, exposure): the Java SDK's schema
 * inference has no enums (pulumi/pulumi-java#1756), and the reader names the allowed values. No static fields: the
 * inference would take them for arguments.
 */
@Description("The cache on an existing Kubernetes cluster. Every setting is optional; an unset one keeps its default.")
public class CacheServiceArgs extends ResourceArgs {
    /** @default development */
    @Import(name = "environment")
    @Description("`development` or `production`. Production turns on its guards (NetworkPolicies required, a "
        + "five-minute warm-up between shard restarts). Default: `development`.")
    private String environment;

    /** @default mycache */
    @Import(name = "namePrefix")
    @Description("The prefix of every object's name: `<namePrefix>-memcached`, `<namePrefix>-mcrouter`. An RFC 1123 label "
        + "of at most 42 characters. Default: `mycache`, the lab's.")
    private String namePrefix;

    /** @default default */
    @Import(name = "namespace")
    @Description("The cache's namespace, created with Pod Security labels unless it is `default`. Default: `default`.")
    private String namespace;

    /** @default unknown: no node fit check */
    @Import(name = "nodeMemoryMiB")
    @Description("The nodes' memory in MiB, to check the shards and the proxy fit a node. Default: unset, no check.")
    private Integer nodeMemoryMiB;

    @Import(name = "networkPolicy")
    @Description("Which pods may reach the cache.")
    private NetworkPolicySettings networkPolicy;

    @Import(name = "memcached")
    @Description("The memcached shards.")
    private MemcachedSettings memcached;

    @Import(name = "mcrouter")
    @Description("The mcrouter proxies, one per node.")
    private McrouterSettings mcrouter;

    @Import(name = "metrics")
    @Description("Exporters, scrape objects and alert rules.")
    private MetricsSettings metrics;

    @Import(name = "sampleApp")
    @Description("The lab's sample application.")
    private SampleAppSettings sampleApp;

    @Import(name = "smokeTest")
    @Description("The smoke test Job that proves the cache after every change.")
    private SmokeTestSettings smokeTest;

    protected CacheServiceArgs() {}

    /**
     * The settings as a stack's configuration on {@code platform: existing} ({@code memcached-gke:<key>} to its value,
     * objects as JSON), which {@link ConfigReader#read(Map)} reads and checks. Unset settings are left out.
     */
    Map<String, String> asStackConfig() {
        var config = new LinkedHashMap<String, String>();
        config.put(ConfigReader.PROJECT + ":platform", "existing");
        var tree = SettingsJson.MAPPER.valueToTree(this);
        tree.fields().forEachRemaining(e -> {
            var v = e.getValue();
            config.put(ConfigReader.PROJECT + ":" + e.getKey(), v.isTextual() ? v.asText() : v.toString());
        });
        return config;
    }

    /** Arguments from JSON with the settings' names (tests, tools). */
    public static CacheServiceArgs fromJson(String json) {
        try {
            return SettingsJson.MAPPER.readValue(json, CacheServiceArgs.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not CacheService arguments: " + e.getOriginalMessage(), e);
        }
    }
}
