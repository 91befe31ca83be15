package io.memcachedgke.startup;

/**
 * Keeps the Pulumi SDK from spinning forever on the common fork/join pool, on every JDK.
 *
 * <p>SDK 1.36.1 re-enqueues {@code DeploymentImpl$DefaultRunner.loopUntilDone} on {@code CompletableFuture}'s
 * default executor until the program's work is done. Which executor that is decides whether it finishes:
 * <ul>
 *   <li>Up to JDK 24, with the common pool's parallelism at 1 (the default on one or two CPUs) it is a new thread
 *       per task: the loop can never starve another task. With the pool (parallelism 2 or more), the loop pushes
 *       itself onto its own worker's queue, which the worker pops last-in first-out, and a task queued behind it
 *       can wait forever while the other worker sleeps: seen here on JDK 17 with parallelism forced to 2 (a
 *       render spinning at 100% CPU in {@code DefaultRunner.checkForTasks}). So below JDK 25 nothing is changed.
 *   <li>From JDK 25 it is the common pool whatever its parallelism (JDK-8362881): with one worker the loop
 *       re-enqueues itself on the only worker and never lets anything else run (pulumi/pulumi-java#2270, fixed in
 *       the SDK by pulumi/pulumi-java#2314, which sleeps 10 ms between rounds, after 1.36.1). A second worker is
 *       the only cure available without that SDK, so on JDK 25 and later the parallelism is raised to 2.
 * </ul>
 * Drop this class with an SDK that has #2314.
 *
 * <p>The pool reads its parallelism once, when {@code ForkJoinPool} is initialised, which the first
 * {@code CompletableFuture} does: call {@link #ensureParallelism()} first thing in {@code main}.
 */
public final class CommonPool {
    private CommonPool() {}

    /** The system property the common pool reads its parallelism from. */
    public static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    /** The least parallelism with which the SDK's runner loop lets other tasks run on JDK 25. */
    static final int MINIMUM = 2;

    /** The first JDK whose {@code CompletableFuture} uses the common pool even at parallelism 1 (JDK-8362881). */
    static final int POOL_ALWAYS_FROM = 25;

    /** {@link #ensureParallelism(int)} for the running JDK. */
    public static void ensureParallelism() {
        ensureParallelism(Runtime.version().feature());
    }

    /**
     * On JDK 25 and later, sets the common pool's parallelism to {@value #MINIMUM} unless it would be that or more
     * anyway: unset on a machine with three CPUs or more, or set to 2 or more. A value below 2 (or not a number)
     * is raised. Earlier JDKs are left as they are.
     */
    static void ensureParallelism(int jdkFeature) {
        if (jdkFeature < POOL_ALWAYS_FROM) {
            return;
        }
        var set = System.getProperty(PARALLELISM);
        if (set == null ? Runtime.getRuntime().availableProcessors() - 1 < MINIMUM : parsed(set) < MINIMUM) {
            System.setProperty(PARALLELISM, Integer.toString(MINIMUM));
        }
    }

    /** The flag a JVM of {@code jdkFeature} needs on the command line to finish (none below JDK 25). */
    public static java.util.List<String> flagsFor(int jdkFeature) {
        return jdkFeature < POOL_ALWAYS_FROM ? java.util.List.of() : java.util.List.of("-D" + PARALLELISM + "=" + MINIMUM);
    }

    private static int parsed(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
