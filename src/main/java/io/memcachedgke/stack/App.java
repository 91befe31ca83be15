package io.memcachedgke.stack;

import com.pulumi.Context;
import com.pulumi.Pulumi;
import io.memcachedgke.cache.Composition;
import io.memcachedgke.config.InvalidConfigException;
import io.memcachedgke.settings.SettingsReader;
import io.memcachedgke.startup.CommonPool;
import io.memcachedgke.startup.FastStart;
import io.memcachedgke.startup.PromptExit;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The stack program: reads the stack's configuration (all of it, into the settings model, checked, before any
 * resource), then declares what the composition root makes of it: the cluster (GKE stacks) and the cache.
 */
public final class App {
    private App() {}

    /**
     * The SDK's exit code for "exited after logging a user-actionable message" (com.pulumi.Pulumi's Javadoc;
     * {@code Runner.ProcessExitedAfterLoggingUserActionableMessage}): what the program exits with after a refusal,
     * whose one line is already on the engine's log. The Node.js, Python and Ruby hosts answer it with
     * {@code RunResponse.Bail} and the engine adds nothing; the Java host (pulumi-java pkg/cmd/pulumi-language-java,
     * command.go runCommand, v1.34.0) reports every non-zero exit as "exited with non-zero exit code", and exiting 0
     * instead would leave the update successful (docs/configuration.md, "Refusals and warnings").
     */
    static final int AFTER_USER_ACTIONABLE_MESSAGE = 32;

    private static final AtomicBoolean REFUSED = new AtomicBoolean();

    public static void main(String[] args) {
        // Before anything starts the common pool: the SDK never finishes on JDK 25 with one or two CPUs otherwise.
        CommonPool.ensureParallelism();
        // Pulumi starts `java -jar` without flags: the build's fast-start flags need a JVM of their own.
        FastStart.relaunchIfPrepared(App.class, args);
        SdkLogging.quiet();
        int code = Pulumi.runAsync(ctx -> stack(ctx, EngineConfig.fromEnvironment())).join();
        // Every call has been answered: the exit need not wait for the gRPC loops (PromptExit says why).
        PromptExit.releaseEventLoops();
        System.exit(REFUSED.get() ? AFTER_USER_ACTIONABLE_MESSAGE : code);
    }

    /**
     * The whole program, on {@code config} (every key as the engine passes it). Invalid configuration is reported as
     * one error line through the engine's log and nothing is declared, so a refusal reads the same in
     * {@code pulumi preview}/{@code up} as in the render, without a stack trace.
     */
    public static void stack(Context ctx, Map<String, String> config) {
        SettingsReader.Read read;
        try {
            read = StackSettings.read(config);
        } catch (InvalidConfigException e) {
            ctx.log().error(e.getMessage());
            REFUSED.set(true);
            return;
        }
        read.warnings().forEach(w -> ctx.log().warn(w));
        Composition.stack(ctx, read.settings());
    }
}
