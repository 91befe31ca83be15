package io.memcachedgke.stack;

import com.pulumi.deployment.internal.DeploymentInternal;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every configuration key the engine handed the program, in every namespace, so that a key nobody
 * reads (a misspelt section, a misspelt project namespace) is refused instead of silently ignored.
 *
 * <p>The SDK (pulumi-java 1.36.1) only answers for keys a program names: {@code Config.get(key)}. The
 * whole map sits in {@code DeploymentImpl.Config.allConfig} (sdk/java/pulumi/src/main/java/com/pulumi/
 * deployment/internal/DeploymentImpl.java: parsed from the {@code PULUMI_CONFIG} environment variable the
 * language host sets, or set by the test engine), behind a private getter. It is read through that getter;
 * should a later SDK move it, the environment variable is the fallback, so a real {@code pulumi up} still
 * sees every key.
 */
final class EngineConfig {
    private EngineConfig() {}

    /** Full keys ({@code memcached-gke:memcached}, {@code gcp:project}) to their values as the engine passes them. */
    static Map<String, String> all() {
        var deployment = DeploymentInternal.getInstance();
        try {
            var config = deployment.getConfig();
            Method getAll = config.getClass().getDeclaredMethod("getAllConfig");
            getAll.setAccessible(true);
            @SuppressWarnings("unchecked")
            var all = (Map<String, String>) getAll.invoke(config);
            return new TreeMap<>(all);
        } catch (ReflectiveOperationException | RuntimeException e) {
            var env = System.getenv("PULUMI_CONFIG");
            if (env == null) {
                throw new IllegalStateException("cannot list the stack's configuration: " + e, e);
            }
            return fromEnvironment(env);
        }
    }

    /** {@code PULUMI_CONFIG}: a JSON object of keys ({@code ns:key}, or the older {@code ns:config:key}) to string values. */
    static Map<String, String> fromEnvironment(String json) {
        var out = new TreeMap<String, String>();
        try {
            var node = io.memcachedgke.config.Json.MAPPER.readTree(json);
            node.fields().forEachRemaining(e -> {
                var key = e.getKey();
                int colon = key.indexOf(':');
                if (colon > 0 && key.startsWith("config:", colon + 1)) {
                    key = key.substring(0, colon + 1) + key.substring(colon + 1 + "config:".length());
                }
                out.put(key, e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
            });
        } catch (java.io.IOException e) {
            throw new IllegalStateException("PULUMI_CONFIG is not JSON: " + e.getMessage(), e);
        }
        return out;
    }
}
