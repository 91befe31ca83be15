package io.memcachedgke.tools;

import io.memcachedgke.config.Durations;
import java.time.Duration;
import java.time.Instant;

/**
 * Where a warm resize stands and what comes next, from nothing but the stack's configuration and what its last
 * completed {@code up} deployed ({@code scripts/resize.sh}, {@link ResizeCommand}). The runbook's steps
 * (docs/operations.md, "Resize without a miss storm") are: declare the move ({@code replicas} and a {@code resize}
 * block) and {@code up}; wait until the window has passed; set {@code finish} and {@code up}; remove the block and
 * {@code up}. Each {@code up} changes the proxies' config, so "the last up completed" is "the deployed config digest
 * (the stack output {@code mcrouterConfigDigest}) is the one the configuration renders". That makes the command
 * resumable after an interruption at any point: the configuration says which step was reached, the digest whether
 * its {@code up} ended.
 */
public final class ResizeProgress {
    private ResizeProgress() {}

    /** The {@code resize} block as the stack file declares it. */
    public record Block(int from, Instant start, Duration window, boolean finish) {
        Instant end() {
            return start.plus(window);
        }
    }

    /**
     * The stack as the command finds it.
     *
     * @param replicas       {@code memcached.replicas}
     * @param block          the {@code resize} block, or null
     * @param plannedDigest  the proxies' config digest the configuration renders
     * @param deployedDigest the one the last completed {@code up} deployed (null: never deployed)
     */
    public record State(int replicas, Block block, String plannedDigest, String deployedDigest) {
        boolean deployed() {
            return plannedDigest.equals(deployedDigest);
        }
    }

    /** What to do next. */
    public sealed interface Step {
        /** Nothing: the stack already has the shards asked for and they are deployed. */
        record Done(String why) implements Step {}

        /** Nothing, and the line that says why not and what to run instead. */
        record Refuse(String line) implements Step {}

        /** Write {@code replicas} and the block, then {@code up}. */
        record Declare(int from, int to, Instant start, Duration window) implements Step {}

        /** {@code up} the configuration as it is: the last one did not complete. */
        record Apply(String why) implements Step {}

        /** Wait until the window has passed ({@code until}), then finish. */
        record Wait(Instant until) implements Step {}

        /** Set {@code finish: true}, then {@code up}. */
        record Finish() implements Step {}

        /** Remove the block, then {@code up}. */
        record Remove() implements Step {}
    }

    /**
     * The next step towards {@code to} shards.
     *
     * @param command  the command that resumes this resize, for the lines that say what to run
     * @param startIn  how far ahead of now a new move starts
     * @param window   a new move's window
     */
    public static Step next(State s, int to, Instant now, Duration startIn, Duration window, String command) {
        var b = s.block();
        if (s.deployedDigest() == null) {
            return new Step.Refuse("the stack has not been deployed (no mcrouterConfigDigest output): a resize moves the "
                + "keys of a running cache; `pulumi up` it with the number of shards it should start with");
        }
        if (b == null) {
            if (s.replicas() == to) {
                return s.deployed()
                    ? new Step.Done("the stack has " + to + " shards and no move under way")
                    : new Step.Apply("the last up did not complete (the proxies' deployed config is not the one the "
                        + "stack file renders)");
            }
            if (!s.deployed()) {
                return new Step.Refuse("the stack file has changes that are not deployed (the proxies' deployed config "
                    + "is not the one it renders): deploy them with `pulumi up` or undo them, then run `" + command + "` "
                    + "again");
            }
            return new Step.Declare(s.replicas(), to, now.plus(startIn).truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                window);
        }
        if (s.replicas() != to) {
            return new Step.Refuse("a resize from " + b.from() + " to " + s.replicas() + " shards is under way (keys switch "
                + b.start() + " – " + b.end() + "); finish it first with `" + command.replaceAll("--to \\d+", "--to "
                + s.replicas()) + "`");
        }
        if (!s.deployed()) {
            return new Step.Apply("the last up did not complete (the proxies' deployed config is not the one the stack "
                + "file renders)");
        }
        if (b.finish()) {
            return new Step.Remove();
        }
        return now.isBefore(b.end()) ? new Step.Wait(b.end()) : new Step.Finish();
    }

    /** The share of the window gone at {@code now}: 0 before the start, 1 after the end. */
    public static double switched(Block b, Instant now) {
        if (!now.isAfter(b.start())) {
            return 0;
        }
        if (!now.isBefore(b.end())) {
            return 1;
        }
        return (double) Duration.between(b.start(), now).toMillis() / b.window().toMillis();
    }

    /** A time left as {@code 1h 02m 03s}, {@code 4m 05s} or {@code 6s}. */
    public static String left(Duration d) {
        var s = Math.max(0, d.toSeconds());
        if (s >= 3600) {
            return String.format("%dh %02dm %02ds", s / 3600, s % 3600 / 60, s % 60);
        }
        return s >= 60 ? String.format("%dm %02ds", s / 60, s % 60) : s + "s";
    }

    /** A block read from its stack-file text, the times and durations as the rules accept them. */
    public static Block block(Integer from, String startTime, String window, boolean finish) {
        return new Block(from, Durations.parseUtc(startTime).orElseThrow(), Durations.parse(window).orElseThrow(), finish);
    }
}
