package io.memcachedgke.stack;

import com.pulumi.Context;
import com.pulumi.Pulumi;
import io.memcachedgke.cache.Composition;
import io.memcachedgke.config.InvalidConfigException;
import io.memcachedgke.startup.CommonPool;
import io.memcachedgke.startup.FastStart;
import java.util.Map;

/**
 * The stack program: reads the stack's configuration (all of it, into the settings model, checked, before any
 * resource), then declares what the composition root makes of it: the cluster (GKE stacks) and the cache.
 */
public final class App {
    private App() {}

    public static void main(String[] args) {
        // Before anything starts the common pool: the SDK never finishes on JDK 25 with one or two CPUs otherwise.
        CommonPool.ensureParallelism();
        // Pulumi starts `java -jar` without flags: the build's fast-start flags need a JVM of their own.
        FastStart.relaunchIfPrepared(App.class, args);
        SdkLogging.quiet();
        Pulumi.run(ctx -> stack(ctx, EngineConfig.fromEnvironment()));
    }

    /**
     * The whole program, on {@code config} (every key as the engine passes it). Invalid configuration is reported as
     * one error line through the engine's log and nothing is declared: the engine fails the update on a logged error,
     * so a refusal reads the same in {@code pulumi preview}/{@code up} as in the render, without a stack trace.
     */
    public static void stack(Context ctx, Map<String, String> config) {
        io.memcachedgke.settings.SettingsReader.Read read;
        try {
            read = StackSettings.read(config);
        } catch (InvalidConfigException e) {
            ctx.log().error(e.getMessage());
            return;
        }
        read.warnings().forEach(w -> ctx.log().warn(w));
        Composition.stack(ctx, read.settings());
    }
}
