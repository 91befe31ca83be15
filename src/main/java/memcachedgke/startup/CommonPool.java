package memcachedgke.startup;

/**
 * Keeps the common fork/join pool at two workers or more, so that the Pulumi SDK finishes on every JDK.
 *
 * <p>SDK 1.36.1 re-enqueues {@code DeploymentImpl$DefaultRunner.loopUntilDone} on {@code CompletableFuture}'s
 * default executor until the program's work is done. Up to JDK 24 that executor is a new thread per task when
 * the common pool's parallelism is 1 (the default on one or two CPUs: CPUs - 1); from JDK 25 it is the common
 * pool whatever its parallelism (JDK-8362881), so with one worker the loop re-enqueues itself on the only
 * worker forever and the program spins without ever finishing: pulumi/pulumi-java#2270, fixed in the SDK by
 * pulumi/pulumi-java#2314 after 1.36.1. Drop this class with an SDK that has that fix.
 *
 * <p>The pool reads its parallelism once, when {@code ForkJoinPool} is initialised, which the first
 * {@code CompletableFuture} does: call {@link #ensureParallelism()} first thing in {@code main}.
 */
public final class CommonPool {
    private CommonPool() {}

    /** The system property the common pool reads its parallelism from. */
    public static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    /** The least parallelism with which the SDK's runner loop lets other tasks run. */
    static final int MINIMUM = 2;

    /**
     * Sets the common pool's parallelism to {@value #MINIMUM} unless it would be that or more anyway: unset on a
     * machine with three CPUs or more, or set to 2 or more. A value below 2 (or not a number) is raised, because
     * on JDK 25 the SDK never finishes with it.
     */
    public static void ensureParallelism() {
        var set = System.getProperty(PARALLELISM);
        if (set == null ? Runtime.getRuntime().availableProcessors() - 1 < MINIMUM : parsed(set) < MINIMUM) {
            System.setProperty(PARALLELISM, Integer.toString(MINIMUM));
        }
    }

    private static int parsed(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
