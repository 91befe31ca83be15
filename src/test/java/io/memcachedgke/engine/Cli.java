package io.memcachedgke.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a real program and keeps what it said; a failure message carries the command and its output. */
final class Cli {
    private Cli() {}

    /** What a command did. */
    record Result(List<String> command, int exitCode, String stdout, String stderr, Duration took) {
        boolean ok() {
            return exitCode == 0;
        }

        /** The command, its exit code and its output, for a failed assertion. */
        String report() {
            return "$ " + String.join(" ", command) + "\n(exit " + exitCode + " after " + took.toMillis() + " ms)\n"
                + "--- stdout\n" + tail(stdout) + "\n--- stderr\n" + tail(stderr);
        }

        Result orFail() {
            if (!ok()) {
                throw new AssertionError(report());
            }
            return this;
        }

        private static String tail(String s) {
            var max = 12_000;
            return s.length() <= max ? s : "[... " + (s.length() - max) + " chars]\n" + s.substring(s.length() - max);
        }
    }

    static Result run(List<String> command, Path cwd, Map<String, String> env, Duration timeout) {
        var begun = System.nanoTime();
        var started = start(command, cwd, env);
        var p = started.process();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
                var r = new Result(started.command(), -1, read(started.out()), read(started.err()),
                    Duration.ofNanos(System.nanoTime() - begun));
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s\n" + r.report());
            }
            var r = new Result(started.command(), p.exitValue(), read(started.out()), read(started.err()),
                Duration.ofNanos(System.nanoTime() - begun));
            Files.deleteIfExists(started.out());
            Files.deleteIfExists(started.err());
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + command, e);
        }
    }

    /**
     * A command started and left running, its output going to files: what a CI runner holds while a job runs, and
     * kills, the whole tree at once, when the job is cancelled.
     */
    record Started(List<String> command, Process process, Path out, Path err) {
        /** Waits until the output so far matches {@code pattern}; false if the command ended or time ran out first. */
        boolean awaitOutput(java.util.regex.Pattern pattern, Duration timeout) {
            var deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    if (pattern.matcher(read(out)).find()) {
                        return true;
                    }
                    if (!process.isAlive()) {
                        return pattern.matcher(read(out)).find();
                    }
                    Thread.sleep(50);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
            return false;
        }

        /** SIGKILL to the command and every process under it (the CLI, its language host and providers), at once. */
        void killTree() {
            var all = new ArrayList<ProcessHandle>();
            process.descendants().forEach(all::add);
            all.add(process.toHandle());
            all.forEach(ProcessHandle::destroyForcibly);
            for (var h : all) {
                h.onExit().join();
            }
        }

        String output() {
            try {
                return read(out) + read(err);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static Started start(List<String> command, Path cwd, Map<String, String> env) {
        try {
            var out = Files.createTempFile("cli-out", ".txt");
            var err = Files.createTempFile("cli-err", ".txt");
            var pb = new ProcessBuilder(command).directory(cwd.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(env);
            return new Started(List.copyOf(command), pb.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> of(String first, List<String> rest) {
        var all = new ArrayList<String>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
