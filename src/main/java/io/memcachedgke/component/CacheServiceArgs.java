package io.memcachedgke.component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ResourceArgs;

/**
 * The arguments of {@link CacheService}, as the schema shows them to TypeScript, Python and YAML programs: one property
 * per setting of the model ({@code io.memcachedgke.settings.CacheSpec}, and {@code gke}), under the same path. They are
 * only what the SDK's schema inference reads; their meaning, defaults and rules are the model's.
 *
 * <p>Every field is plain (not an {@code Output}): settings are known when the program runs, and a plain value reads
 * naturally in TypeScript and Python. Strings stand for the few choices (environment, exposure): the Java SDK's schema
 * inference has no enums (pulumi/pulumi-java#1756), and the rules name the allowed values. No static fields: the
 * inference would take them for arguments.
 */
public class CacheServiceArgs extends ResourceArgs {
    @Import(name = "environment")
    private String environment;

    @Import(name = "namePrefix")
    private String namePrefix;

    @Import(name = "namespace")
    private String namespace;

    @Import(name = "nodeMemoryMiB")
    private Integer nodeMemoryMiB;

    @Import(name = "networkPolicy")
    private NetworkPolicySettings networkPolicy;

    @Import(name = "memcached")
    private MemcachedSettings memcached;

    @Import(name = "mcrouter")
    private McrouterSettings mcrouter;

    @Import(name = "metrics")
    private MetricsSettings metrics;

    @Import(name = "sampleApp")
    private SampleAppSettings sampleApp;

    @Import(name = "smokeTest")
    private SmokeTestSettings smokeTest;

    @Import(name = "tls")
    private TlsSettings tls;

    @Import(name = "gke")
    private GkeSettings gke;

    protected CacheServiceArgs() {}

    /** The arguments given, by the schema's names, unset ones left out: what the settings reader binds. */
    ObjectNode tree() {
        return SettingsJson.MAPPER.valueToTree(this);
    }

    /** Arguments from JSON with the schema's names (tests, tools). */
    public static CacheServiceArgs fromJson(String json) {
        try {
            return SettingsJson.MAPPER.readValue(json, CacheServiceArgs.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not CacheService arguments: " + e.getOriginalMessage(), e);
        }
    }
}
