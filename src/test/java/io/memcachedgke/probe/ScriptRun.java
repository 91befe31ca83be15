package io.memcachedgke.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One run of a probe script exactly as its Job runs it ({@code sh -c <script>}), with only the given environment and
 * the tools in one directory on the PATH (busybox, and python3 for the TLS client), and what every run must print: one
 * line on stdout, nothing on stderr. Shared by ProbeScriptRunTest and ProbeScriptTlsRunTest.
 */
record ScriptRun(int exit, String out, String err) {

    List<String> lines() {
        return out.lines().toList();
    }

    /**
     * Runs {@code script} with {@code tools} as the whole PATH; fails the test if it has not ended {@code slackSeconds}
     * after the script's own wait.
     */
    static ScriptRun of(Path tools, ProbeScript script, Map<String, String> env, long slackSeconds) throws Exception {
        var pb = new ProcessBuilder(tools.resolve("sh").toString(), "-c", script.text());
        pb.environment().clear();
        pb.environment().put("PATH", tools.toString());
        pb.environment().putAll(env);
        var process = pb.start();
        process.getOutputStream().close();
        var out = readAsync(process.getInputStream());
        var err = readAsync(process.getErrorStream());
        var bound = script.waitSeconds() + slackSeconds;
        if (!process.waitFor(bound, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("the script did not finish within " + bound + " s");
        }
        return new ScriptRun(process.exitValue(), out.get(), err.get());
    }

    static void assertOk(ScriptRun run, String lineRegex) {
        assertThat(run.exit()).as(run.toString()).isZero();
        assertOneLine(run, lineRegex);
    }

    static void assertFailsWith(ScriptRun run, String lineRegex) {
        assertThat(run.exit()).as(run.toString()).isNotZero();
        assertOneLine(run, lineRegex);
    }

    private static void assertOneLine(ScriptRun run, String lineRegex) {
        assertThat(run.lines()).as(run.toString()).hasSize(1);
        assertThat(run.lines().get(0)).matches(lineRegex);
        assertThat(run.err()).as("stderr").isEmpty();
    }

    /**
     * A directory holding what a check Job's busybox image has: {@code sh} and every tool the scripts use
     * ({@link ProbeScript#TOOLS}), each a link to this machine's busybox.
     */
    static Path busyboxTools(Path dir) throws Exception {
        var busybox = require("busybox");
        var tools = Files.createDirectories(dir);
        for (var tool : Stream.concat(Stream.of("sh"), ProbeScript.TOOLS.stream()).toList()) {
            Files.createSymbolicLink(tools.resolve(tool), busybox);
        }
        return tools;
    }

    /** A program on the PATH; fails naming the Debian package. */
    static Path require(String program) {
        for (var dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            var candidate = Path.of(dir).resolve(program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(program + " is not on the PATH: the probe script tests run busybox against "
            + "memcached (Debian: apt-get install -y busybox memcached python3)");
    }

    /** SIGTERM to each, then SIGKILL to what has not ended within 5 s. */
    static void stopAll(List<Process> processes) throws InterruptedException {
        for (var p : processes) {
            p.destroy();
        }
        for (var p : processes) {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static Future<String> readAsync(InputStream in) {
        var task = new FutureTask<>(() -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
        var t = new Thread(task);
        t.setDaemon(true);
        t.start();
        return task;
    }
}
