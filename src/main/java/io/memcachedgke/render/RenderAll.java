package io.memcachedgke.render;

import java.nio.file.Path;

/**
 * Renders every stack of the project ({@code Pulumi.<stack>.yaml}, the shipped ones and any a user adds)
 * into {@code target/render/<stack>/}, for the policy pack's conformance run. Exits 1 when any stack is
 * refused, after printing every refusal with its stack's name. The test command runs it
 * ({@code ./mvnw -B verify}, phase pre-integration-test).
 */
public final class RenderAll {
    private RenderAll() {}

    public static void main(String[] args) {
        // Before the SDK starts the common pool: on JDK 25 with one or two CPUs it never finishes otherwise.
        io.memcachedgke.startup.CommonPool.ensureParallelism();
        var projectDir = Path.of(args.length > 0 ? args[0] : "").toAbsolutePath();
        var stacks = StackFiles.stacks(projectDir);
        int refused = 0;
        for (var stack : stacks) {
            var outcome = Render.render(projectDir, stack);
            outcome.print();
            if (outcome.exit() != 0) {
                refused++;
            }
        }
        if (refused > 0) {
            System.err.println("render: " + refused + " of " + stacks.size() + " stacks refused");
        }
        System.exit(refused > 0 ? 1 : 0);
    }
}
