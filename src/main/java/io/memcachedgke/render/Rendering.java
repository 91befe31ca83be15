package io.memcachedgke.render;

import com.pulumi.Context;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestOptions;
import com.pulumi.test.internal.PulumiTestInternal;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import io.memcachedgke.stack.App;
import io.memcachedgke.config.InvalidConfigException;

/**
 * Runs the real program on a stack's real configuration under Pulumi's test engine (no CLI, no
 * cloud, no cluster) and keeps what it registered and exported.
 *
 * @param stack     the stack
 * @param resources every resource registered, root stack excluded, sorted by type then name
 * @param outputs   the stack outputs, resolved
 * @param secretOutputs the names of the outputs that are secret
 * @param lastRegistrationMillis wall-clock time (epoch ms) at which the program registered its last resource
 * @param errors    what the program logged as errors (a refused configuration is one); empty on success
 */
public record Rendering(String stack, List<RecordedResource> resources, Map<String, Object> outputs,
                        java.util.Set<String> secretOutputs, long lastRegistrationMillis, List<String> errors) {

    public static final String PROJECT = "memcached-gke";

    /**
     * Renders {@code stack} from its files in {@code projectDir}.
     *
     * @throws InvalidConfigException when the program refuses the stack's configuration
     */
    public static Rendering of(Path projectDir, String stack) {
        var files = StackFiles.load(projectDir, stack);
        var config = files.configWithPlaceholderProject();
        return run(stack, config, files.secretKeys(), ctx -> App.stack(ctx, config));
    }

    /**
     * Runs {@code program} with {@code config}.
     *
     * @throws InvalidConfigException when the program rejects the configuration
     * @throws IllegalStateException  for any other failure of the program
     */
    public static Rendering run(String stack, Map<String, String> config, java.util.Set<String> secretKeys,
                                Consumer<Context> program) {
        var rendering = attempt(stack, config, secretKeys, program);
        // The program reports a refused configuration as one logged error (App.stack).
        for (String error : rendering.errors()) {
            if (error.startsWith(InvalidConfigException.PREFIX)) {
                throw InvalidConfigException.fromMessage(error);
            }
        }
        if (!rendering.errors().isEmpty()) {
            throw new IllegalStateException("the program failed: " + String.join("; ", rendering.errors()));
        }
        return rendering;
    }

    /**
     * Runs {@code program} with {@code config} and keeps what it registered even when it logged errors.
     *
     * @throws InvalidConfigException when the program throws one
     * @throws IllegalStateException  when the program throws anything else
     */
    public static Rendering attempt(String stack, Map<String, String> config, java.util.Set<String> secretKeys,
                                    Consumer<Context> program) {
        var quiet = Logger.getLogger("memcached-gke.render");
        quiet.setLevel(Level.OFF);
        quiet.setUseParentHandlers(false);
        var mocks = new RenderMocks();
        var monitor = new RecordingMonitor[1];
        try {
            var result = PulumiTestInternal.builder()
                .options(TestOptions.builder().projectName(PROJECT).stackName(stack).preview(false).build())
                .config(config, secretKeys)
                .mocks(mocks)
                .standardLogger(quiet)
                .monitorDecorator(m -> monitor[0] = new RecordingMonitor(mocks, PulumiTestInternal.mockLog(quiet)))
                .build()
                .runTest(program);
            for (Throwable e : result.exceptions()) {
                for (Throwable t = e; t != null; t = t.getCause()) {
                    if (t instanceof InvalidConfigException invalid) {
                        throw invalid;
                    }
                }
            }
            if (!result.exceptions().isEmpty()) {
                var first = result.exceptions().get(0);
                throw new IllegalStateException("the program failed: " + first, first);
            }
            var outputs = new java.util.TreeMap<String, Object>();
            var secrets = new java.util.TreeSet<String>();
            result.outputs().forEach((k, v) -> {
                var data = PulumiTestInternal.extractOutputData(v);
                outputs.put(k, data.getValueNullable());
                if (data.isSecret()) {
                    secrets.add(k);
                }
            });
            var resources = monitor[0].recorded().stream()
                .map(r -> AmbientInputs.withoutAmbient(r, System.getenv()))
                .sorted(Comparator.comparing(RecordedResource::type).thenComparing(RecordedResource::name))
                .toList();
            return new Rendering(stack, resources, outputs, secrets, monitor[0].lastRegistrationMillis(),
                List.copyOf(result.errors()));
        } finally {
            PulumiTest.cleanup();
        }
    }
}
