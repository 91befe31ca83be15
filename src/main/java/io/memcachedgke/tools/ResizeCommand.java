package io.memcachedgke.tools;

import com.pulumi.automation.AutomationException;
import com.pulumi.automation.CommandException;
import com.pulumi.automation.ConcurrentUpdateException;
import com.pulumi.automation.ConfigValue;
import com.pulumi.automation.LocalWorkspace;
import com.pulumi.automation.LocalWorkspaceOptions;
import com.pulumi.automation.UpOptions;
import com.pulumi.automation.WorkspaceStack;
import io.memcachedgke.cache.Plan;
import io.memcachedgke.config.Durations;
import io.memcachedgke.config.InvalidConfigException;
import io.memcachedgke.render.StackFiles;
import io.memcachedgke.settings.Settings;
import io.memcachedgke.stack.StackSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A warm resize in one command ({@code scripts/resize.sh <stack> --to N [--window D] [--start-in D] [--yes]}): the
 * runbook of docs/operations.md ("Resize without a miss storm") driven through the Java SDK's Automation API
 * ({@code com.pulumi.automation}: the stack's configuration written with {@code pulumi config set --path}, each step
 * applied with {@code pulumi up}). It shows the move's impact report and asks before it acts, declares the move with a
 * start far enough ahead for every proxy to load the moving config first ({@code SettingsReader.RESIZE_LEAD}), counts
 * the window down, finishes the move, removes the block, and says what it did. Run again after an interruption at any
 * point, it carries on from what the configuration and the last completed update say ({@link ResizeProgress}).
 *
 * <p>It refuses, saying what to run instead: a second resize while one is under way, a stack with changes that are
 * not deployed, a stack with pending operations from an interrupted update, and a locked stack (the same recovery as
 * docs/operations.md, "An interrupted up": {@code pulumi cancel}, {@code pulumi refresh --clear-pending-creates}).
 */
public final class ResizeCommand {
    /** A new move's start, ahead of the up that declares it: the program's lead, plus the up itself. */
    static final Duration DEFAULT_START_IN = Duration.ofMinutes(12);
    static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
    static final String REPLICAS = StackSettings.PROJECT + ":memcached.replicas";
    static final String BLOCK = StackSettings.PROJECT + ":memcached.resize";

    private final Path project;
    private final String stackName;
    private final int to;
    private final Duration startIn;
    private final Duration window;
    private final boolean yes;
    private final String command;
    private final PrintStream out;
    private final Clock clock;
    private final List<String> done = new ArrayList<>();
    private WorkspaceStack stack;

    ResizeCommand(Path project, String stackName, int to, Duration startIn, Duration window, boolean yes, String command,
                  PrintStream out, Clock clock) {
        this.project = project;
        this.stackName = stackName;
        this.to = to;
        this.startIn = startIn;
        this.window = window;
        this.yes = yes;
        this.command = command;
        this.out = out;
        this.clock = clock;
    }

    public static void main(String[] args) {
        var usage = "usage: scripts/resize.sh <stack> --to <shards> [--window <duration>] [--start-in <duration>] [--yes]";
        if (args.length == 0 || args[0].startsWith("-")) {
            Tools.fail(usage);
        }
        Integer to = null;
        var window = DEFAULT_WINDOW;
        var startIn = DEFAULT_START_IN;
        var yes = false;
        var line = new StringBuilder("scripts/resize.sh " + args[0]);
        for (int i = 1; i < args.length; i++) {
            var value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--to" -> {
                    to = value.matches("\\d{1,2}") ? Integer.parseInt(value) : null;
                    if (to == null || to < 1 || to > 64) {
                        Tools.fail("resize: --to must be a number of shards between 1 and 64, but " + quoted(value)
                            + " was given");
                    }
                    line.append(" --to ").append(value);
                    i++;
                }
                case "--window", "--start-in" -> {
                    var d = Durations.parse(value).orElse(null);
                    if (d == null) {
                        Tools.fail("resize: " + args[i] + " must be " + Durations.DURATION_TEXT + ", but " + quoted(value)
                            + " was given");
                    }
                    if (args[i].equals("--window")) {
                        window = d;
                    } else {
                        startIn = d;
                    }
                    line.append(' ').append(args[i]).append(' ').append(value);
                    i++;
                }
                case "--yes" -> yes = true;
                default -> Tools.fail(usage);
            }
        }
        if (to == null) {
            Tools.fail(usage);
        }
        var cmd = new ResizeCommand(Path.of("").toAbsolutePath(), args[0], to, startIn, window, yes,
            line.toString(), System.out, Clock.systemUTC());
        System.exit(cmd.run());
    }

    private static String quoted(String s) {
        return s.isEmpty() ? "nothing" : "'" + s + "'";
    }

    /** Runs the resize to its end, or until it must stop; the exit code. */
    int run() {
        try {
            stack = WorkspaceStack.select(stackName, LocalWorkspace.create(LocalWorkspaceOptions.builder()
                .workDir(project).build()));
            var pending = pendingOperations();
            if (!pending.isEmpty()) {
                return refuse("stack " + stackName + " has " + pending.size() + " pending operation(s) from an interrupted "
                    + "update (" + String.join(", ", pending) + "): recover it as docs/operations.md says (\"An "
                    + "interrupted up\": `pulumi cancel --stack " + stackName + " --yes` if it is locked, then `pulumi "
                    + "refresh --stack " + stackName + " --clear-pending-creates --yes`), then run `" + command
                    + "` again");
            }
            var asked = false;
            while (true) {
                var state = state();
                var step = ResizeProgress.next(state, to, clock.instant(), startIn, window, command);
                if (step instanceof ResizeProgress.Step.Refuse r) {
                    return refuse(r.line());
                }
                if (step instanceof ResizeProgress.Step.Done d) {
                    return summary(d.why(), state);
                }
                if (!asked && !(step instanceof ResizeProgress.Step.Wait)) {
                    if (!confirm(step, state)) {
                        out.println("resize: nothing changed");
                        return 1;
                    }
                    asked = true;
                }
                if (step instanceof ResizeProgress.Step.Declare d) {
                    apply("declare the move " + d.from() + " -> " + d.to() + " (keys switch " + d.start() + " - "
                        + d.start().plus(d.window()) + ")", Map.of(
                            REPLICAS, Integer.toString(d.to()),
                            BLOCK + ".from", Integer.toString(d.from()),
                            BLOCK + ".startTime", d.start().toString(),
                            BLOCK + ".window", Durations.format(d.window())), List.of());
                } else if (step instanceof ResizeProgress.Step.Apply a) {
                    apply("carry on: " + a.why(), Map.of(), List.of());
                } else if (step instanceof ResizeProgress.Step.Wait w) {
                    countDown(state, w.until());
                } else if (step instanceof ResizeProgress.Step.Finish) {
                    apply("finish the move (reads and writes on the new layout only)", Map.of(BLOCK + ".finish", "true"),
                        List.of());
                } else if (step instanceof ResizeProgress.Step.Remove) {
                    apply("remove the resize block", Map.of(), List.of(BLOCK));
                } else {
                    throw new IllegalStateException(step.toString());
                }
            }
        } catch (Refused e) {
            return refuse(e.getMessage());
        } catch (InvalidConfigException | StackFiles.StackFileException | StackFiles.UnknownStackException e) {
            return refuse("stack " + stackName + ": " + e.getMessage());
        } catch (AutomationException | IOException | RuntimeException e) {
            var line = firstLine(e.getMessage());
            if (line.contains("failed to load checkpoint")) {
                return refuse("stack " + stackName + ": " + line + ": its state cannot be read; a file backend's metadata "
                    + "file is cut short when an update is killed while writing it (docs/operations.md, \"An interrupted "
                    + "up\"): remove the empty ones (`find <backend dir>/.pulumi -name '*.attrs' -empty -delete`), then "
                    + "`pulumi cancel --stack " + stackName + " --yes` and `pulumi refresh --stack " + stackName
                    + " --clear-pending-creates --yes`, then run `" + command + "` again");
            }
            return refuse("stack " + stackName + ": " + line);
        }
    }

    private static final class Refused extends RuntimeException {
        Refused(String line) {
            super(line);
        }
    }

    private int refuse(String line) {
        System.err.println("resize: " + line);
        return 1;
    }

    /** The stack as the stack file and the last completed update say. */
    ResizeProgress.State state() throws AutomationException {
        var settings = settings();
        var m = settings.cache().memcached();
        var r = m.resize();
        var block = r == null ? null : ResizeProgress.block(r.from(), r.startTime(), r.window(), r.finish());
        return new ResizeProgress.State(m.replicas(), block, Plan.of(settings).proxyConfig().md5(),
            stackOutput("mcrouterConfigDigest"));
    }

    /**
     * One output of the stack's last completed update, from its exported state (the Stack resource's outputs).
     * {@code WorkspaceStack.getOutputs()} of SDK 1.36.1 cannot read a stack with a list output: it parses
     * {@code pulumi stack output --json} into a map of strings (com.pulumi.automation.LocalWorkspace#getStackOutputs).
     */
    private String stackOutput(String name) throws AutomationException {
        var deployment = stack.exportStack().deployment();
        if (deployment != null && deployment.get("resources") instanceof List<?> resources) {
            for (var r : resources) {
                if (r instanceof Map<?, ?> res && "pulumi:pulumi:Stack".equals(res.get("type"))
                    && res.get("outputs") instanceof Map<?, ?> outputs && outputs.get(name) != null) {
                    return String.valueOf(outputs.get(name));
                }
            }
        }
        return null;
    }

    private Settings settings() {
        var read = StackSettings.read(StackFiles.load(project, stackName).configWithPlaceholderProject(), clock);
        return read.settings();
    }

    private List<String> pendingOperations() throws AutomationException {
        var deployment = stack.exportStack().deployment();
        var pending = deployment == null ? null : deployment.get("pending_operations");
        var out = new ArrayList<String>();
        if (pending instanceof List<?> ops) {
            for (var op : ops) {
                if (op instanceof Map<?, ?> m && m.get("resource") instanceof Map<?, ?> res) {
                    var urn = String.valueOf(res.get("urn"));
                    out.add(m.get("type") + " " + urn.substring(urn.lastIndexOf("::") + 2));
                }
            }
        }
        return out;
    }

    /** Says what the command will do, with the move's impact report, and asks; true to go on. */
    private boolean confirm(ResizeProgress.Step step, ResizeProgress.State state) throws IOException {
        var r = settings().cache().memcached().resize();
        var from = r == null ? state.replicas() : r.from();
        out.println("resize: stack " + stackName + ", " + from + " -> " + to + " shards, warm");
        if (step instanceof ResizeProgress.Step.Declare d) {
            var current = Files.readString(project.resolve("Pulumi." + stackName + ".yaml"));
            var edited = StackFileEdits.replicas(current, d.to(), StackFileEdits.resizeBlock(d.from(),
                d.start().toString(), Durations.format(d.window())));
            out.print(StackImpact.report(project, stackName, current, edited).text());
            out.println("resize: the plan: declare the move and `pulumi up`; keys switch from " + d.start() + " to "
                + d.start().plus(d.window()) + "; then set finish and `pulumi up`; then remove the block and `pulumi up`");
        } else {
            out.println("resize: a resize is under way; next: " + describe(step));
        }
        if (yes) {
            return true;
        }
        if (System.console() == null) {
            throw new Refused("not at a terminal: run `" + command + " --yes` to resize without being asked");
        }
        out.print("resize: go on? [y/N] ");
        out.flush();
        var answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return answer != null && answer.strip().toLowerCase(java.util.Locale.ROOT).startsWith("y");
    }

    private static String describe(ResizeProgress.Step step) {
        if (step instanceof ResizeProgress.Step.Apply a) {
            return "`pulumi up`: " + a.why();
        }
        if (step instanceof ResizeProgress.Step.Finish) {
            return "set finish and `pulumi up`, then remove the block and `pulumi up`";
        }
        if (step instanceof ResizeProgress.Step.Remove) {
            return "remove the block and `pulumi up`";
        }
        return step.toString();
    }

    /**
     * Writes the configuration, then {@code up}. A locked stack gives the stack file back as it was and stops: an update
     * that runs (or one that was killed) holds the lock.
     */
    private void apply(String what, Map<String, String> set, List<String> remove) throws AutomationException, IOException {
        var file = project.resolve("Pulumi." + stackName + ".yaml");
        var before = Files.readString(file);
        out.println("resize: " + what);
        for (var e : new java.util.TreeMap<>(set).entrySet()) {
            stack.setConfig(e.getKey(), new ConfigValue(e.getValue()), true);
        }
        for (var key : remove) {
            stack.removeConfig(key, true);
        }
        var started = clock.instant();
        try {
            stack.up(UpOptions.builder()
                .onStandardOutput(line -> out.println("  | " + line))
                .build());
        } catch (ConcurrentUpdateException e) {
            Files.writeString(file, before);
            throw new Refused("stack " + stackName + " is locked by another update, or by one that was killed (a "
                + "cancelled CI job): if none is running, `pulumi cancel --stack " + stackName + " --yes` (docs/operations.md,"
                + " \"An interrupted up\"), then run `" + command + "` again; the stack file is as it was");
        } catch (CommandException e) {
            throw new Refused("`pulumi up` failed (its output above); fix what it says and run `" + command + "` again: "
                + "the resize carries on from where it stopped");
        } catch (AutomationException e) {
            // After the update, WorkspaceStack.up reads the stack's outputs with getOutputs(), which SDK 1.36.1 cannot
            // do for a list output (memcachedServers; see stackOutput): the update itself has ended. Whether it did what
            // it should is what the deployed digest says below.
            if (e.getCause() == null || !e.getCause().getClass().getName().equals("com.google.gson.JsonSyntaxException")) {
                throw e;
            }
        }
        var took = Duration.between(started, clock.instant());
        var after = state();
        if (!after.deployed()) {
            throw new Refused("`pulumi up` ended but the proxies' deployed config is not the one the stack file renders ("
                + after.deployedDigest() + ", not " + after.plannedDigest() + "); run `" + command + "` again");
        }
        var digest = after.deployedDigest();
        out.println("resize: done in " + ResizeProgress.left(took) + ": every proxy reports config " + digest
            + " (the rollout check ended the up only then)");
        done.add(what + " (up " + ResizeProgress.left(took) + ")");
    }

    /** Counts the window down, a line at a time, until {@code until}. */
    private void countDown(ResizeProgress.State state, Instant until) {
        var b = state.block();
        var tick = Duration.ofSeconds(Math.max(10, Math.min(300, b.window().toSeconds() / 10)));
        out.println("resize: waiting for the window to pass (" + b.start() + " - " + b.end() + "); Ctrl-C is safe: run `"
            + command + "` again to carry on");
        while (true) {
            var now = clock.instant();
            if (!now.isBefore(until)) {
                break;
            }
            var share = ResizeProgress.switched(b, now);
            var phase = now.isBefore(b.start())
                ? "keys switch in " + ResizeProgress.left(Duration.between(now, b.start()))
                : String.format("%.0f%% of the window gone", share * 100);
            out.println("resize: " + b.from() + " -> " + state.replicas() + ": " + phase + ", "
                + ResizeProgress.left(Duration.between(now, until)) + " to the end; every proxy on config "
                + state.deployedDigest());
            sleep(Duration.between(now, until).compareTo(tick) < 0 ? Duration.between(now, until) : tick);
        }
        done.add("waited for the window (" + b.start() + " - " + b.end() + ")");
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(Math.max(1, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused("interrupted: run the command again to carry on");
        }
    }

    private int summary(String why, ResizeProgress.State state) {
        if (done.isEmpty()) {
            out.println("resize: nothing to do: " + why);
            return 0;
        }
        out.println("resize: stack " + stackName + " has " + state.replicas() + " shards, every proxy on config "
            + state.deployedDigest() + ". Done here:");
        done.forEach(d -> out.println("  - " + d));
        return 0;
    }

    /**
     * The line that says what went wrong: the CLI's own {@code error:} line when a command failed (an
     * {@code AutomationException}'s message is the command's exit code, stdout and stderr), else the first line.
     */
    static String firstLine(String s) {
        if (s == null || s.isBlank()) {
            return "failed";
        }
        return s.lines().map(String::strip).filter(l -> l.startsWith("error:") || l.startsWith("stderr: error:"))
            .map(l -> l.replaceFirst("^stderr: ", ""))
            .findFirst()
            .orElse(s.strip().lines().findFirst().orElse("failed"));
    }
}
