package memcachedgke.smoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the generated smoke script for real, as the Job runs it ({@code sh -c <script>}), with Debian's
 * busybox as the only tools on the PATH, against local memcached processes on free loopback ports
 * playing the shards and socat playing mcrouter (a proxy that routes every key to one shard, as
 * mcrouter's hash does for any one key). Every process listens on 127.0.0.1 only and is stopped after
 * the class; every run is bounded.
 *
 * <p>Needs {@code busybox}, {@code memcached} and {@code socat} on the PATH; it fails (never skips) without
 * them: on Debian, {@code apt-get install -y busybox memcached socat}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SmokeScriptRunTest {
    private static final String LOOPBACK = "127.0.0.1";
    /** The proxy wait of the failing-proxy cases: short, so that they fail in seconds. */
    private static final int SHORT_WAIT = 2;
    private static final Pattern KEY = Pattern.compile("smoke-[0-9]+-[0-9a-f]{8}");

    @TempDir
    static Path tmp;

    private static final List<Process> PROCESSES = new ArrayList<>();
    private static Path tools;
    private static int[] shards;
    /** A memcached that is not one of the shards: where a misrouting proxy sends the key. */
    private static int stranger;
    private static int proxyToShard1;
    private static int proxyToStranger;

    @BeforeAll
    static void start() throws Exception {
        var busybox = require("busybox");
        var memcached = require("memcached");
        var socat = require("socat");
        // Only busybox's applets on the PATH, as in the busybox image the Job runs.
        tools = Files.createDirectories(tmp.resolve("bin"));
        for (var tool : Stream.concat(Stream.of("sh"), SmokeScript.TOOLS.stream()).toList()) {
            Files.createSymbolicLink(tools.resolve(tool), busybox);
        }
        shards = new int[3];
        for (int i = 0; i < shards.length; i++) {
            shards[i] = startMemcached(memcached);
        }
        stranger = startMemcached(memcached);
        proxyToShard1 = startProxy(socat, shards[1]);
        proxyToStranger = startProxy(socat, stranger);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (var p : PROCESSES) {
            p.destroy();
        }
        for (var p : PROCESSES) {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    void aKeySetThroughTheProxyIsOnExactlyOneShardAndIsDeletedAfterwards() throws Exception {
        var run = run(SmokeScript.of(10), env(proxyToShard1, shards[0], shards[1], shards[2]));
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.lines()).as(run.toString()).hasSize(1);
        assertThat(run.lines().get(0)).matches("smoke: OK: key " + KEY + " set and got back through mcrouter "
            + LOOPBACK + ":" + proxyToShard1 + ", found on exactly 1 of 3 shards \\(" + LOOPBACK + ":" + shards[1] + "\\)");
        var key = key(run.lines().get(0));
        assertThat(ask(shards[1], "get " + key)).isEqualTo("END\r\n");
    }

    @Test
    void aProxyThatRoutesOutsideThePoolLeavesTheKeyOnNoShard() throws Exception {
        var run = run(SmokeScript.of(10), env(proxyToStranger, shards[0], shards[1], shards[2]));
        assertFailsWith(run, "smoke: FAIL: key " + KEY + " found on 0 of 3 shards \\(expected exactly 1\\)");
    }

    @Test
    void aShardListedTwiceHoldsTheKeyTwice() throws Exception {
        var run = run(SmokeScript.of(10), Map.of("MCROUTER_HOST", LOOPBACK, "MCROUTER_PORT", Integer.toString(proxyToShard1),
            "MEMCACHED_SERVERS", servers(shards[0], shards[1]) + " localhost:" + shards[1] + " " + servers(shards[2])));
        assertFailsWith(run, "smoke: FAIL: key " + KEY + " found on 2 of 4 shards \\(expected exactly 1\\): "
            + LOOPBACK + ":" + shards[1] + " localhost:" + shards[1]);
    }

    @Test
    void aShardThatIsDownFailsTheTestByName() throws Exception {
        var down = freePort();
        var run = run(SmokeScript.of(10), env(proxyToShard1, shards[0], shards[1], down));
        assertFailsWith(run, "smoke: FAIL: get " + KEY + " from shard " + LOOPBACK + ":" + down
            + ": no reply \\(connection refused, unreachable or timed out\\) \\(expected END or the value; every shard must answer\\)");
    }

    @Test
    void noProxyListeningFailsAfterTheProxyWait() throws Exception {
        var none = freePort();
        var started = System.nanoTime();
        var run = run(SmokeScript.of(SHORT_WAIT), env(none, shards[0], shards[1], shards[2]));
        assertFailsWith(run, "smoke: FAIL: set " + KEY + " through mcrouter " + LOOPBACK + ":" + none
            + ": no reply \\(connection refused, unreachable or timed out\\) for " + SHORT_WAIT + "s \\(expected STORED\\)");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(SHORT_WAIT));
    }

    @Test
    void aProxyThatAcceptsButNeverAnswersIsTimedOut() throws Exception {
        try (var silent = new ServerSocket(0, 50, InetAddress.getByName(LOOPBACK))) {
            var accepted = new ArrayList<Socket>();
            var acceptor = new Thread(() -> {
                try {
                    while (!silent.isClosed()) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            var started = System.nanoTime();
            var run = run(SmokeScript.of(SHORT_WAIT), env(silent.getLocalPort(), shards[0], shards[1], shards[2]));
            assertFailsWith(run, "smoke: FAIL: set " + KEY + " through mcrouter " + LOOPBACK + ":" + silent.getLocalPort()
                + ": no reply \\(connection refused, unreachable or timed out\\) for " + SHORT_WAIT + "s \\(expected STORED\\)");
            // One conversation is cut at the reply timeout, not left hanging.
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isLessThan(Duration.ofSeconds(SHORT_WAIT + 2L * SmokeScript.REPLY_TIMEOUT_SECONDS + 5));
            for (var s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void aMissingVariableIsNamed() throws Exception {
        var run = run(SmokeScript.of(10), Map.of("MCROUTER_HOST", LOOPBACK, "MCROUTER_PORT", Integer.toString(proxyToShard1)));
        assertFailsWith(run, Pattern.quote("smoke: FAIL: MEMCACHED_SERVERS is not set"));
    }

    // ---------------------------------------------------------------------------------------------

    record Run(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private static void assertFailsWith(Run run, String lineRegex) {
        assertThat(run.exit()).as(run.toString()).isNotZero();
        assertThat(run.lines()).as(run.toString()).hasSize(1);
        assertThat(run.lines().get(0)).matches(lineRegex);
        assertThat(run.err()).as("stderr").isEmpty();
    }

    /** {@code sh -c <script>}, exactly the Job's command, with only the given environment and busybox. */
    private static Run run(SmokeScript script, Map<String, String> env) throws Exception {
        var pb = new ProcessBuilder(tools.resolve("sh").toString(), "-c", script.text());
        pb.environment().clear();
        pb.environment().put("PATH", tools.toString());
        pb.environment().putAll(env);
        var process = pb.start();
        process.getOutputStream().close();
        var out = readAsync(process.getInputStream());
        var err = readAsync(process.getErrorStream());
        var bound = script.proxyWaitSeconds() + 4L * script.replyTimeoutSeconds() + 30;
        if (!process.waitFor(bound, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("the smoke script did not finish within " + bound + " s");
        }
        return new Run(process.exitValue(), out.get(), err.get());
    }

    private static Map<String, String> env(int proxyPort, int... shardPorts) {
        var env = new HashMap<String, String>();
        env.put("MCROUTER_HOST", LOOPBACK);
        env.put("MCROUTER_PORT", Integer.toString(proxyPort));
        env.put("MEMCACHED_SERVERS", servers(shardPorts));
        return env;
    }

    private static String servers(int... ports) {
        return String.join(" ", Arrays.stream(ports).mapToObj(p -> LOOPBACK + ":" + p).toList());
    }

    private static String key(String line) {
        var m = KEY.matcher(line);
        assertThat(m.find()).isTrue();
        return m.group();
    }

    // --------------------------------------------------------------------------------------------- processes

    private static Path require(String program) {
        for (var dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            var candidate = Path.of(dir).resolve(program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(program + " is not on the PATH: SmokeScriptRunTest runs the smoke script with "
            + "busybox against memcached, with socat as the proxy (Debian: apt-get install -y busybox memcached socat)");
    }

    private static int startMemcached(Path memcached) throws Exception {
        var port = freePort();
        // -u nobody: memcached refuses to run as root without it (CI runs as root); ignored otherwise.
        start(List.of(memcached.toString(), "-l", LOOPBACK, "-p", Integer.toString(port), "-U", "0", "-m", "16",
            "-u", "nobody"), port);
        return port;
    }

    private static int startProxy(Path socat, int target) throws Exception {
        var port = freePort();
        start(List.of(socat.toString(), "TCP-LISTEN:" + port + ",bind=" + LOOPBACK + ",reuseaddr,fork",
            "TCP:" + LOOPBACK + ":" + target), port);
        return port;
    }

    private static void start(List<String> command, int port) throws Exception {
        var process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(tmp.resolve("process-" + port + ".log").toFile()).start();
        PROCESSES.add(process);
        var deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail(command + " exited " + process.exitValue() + ": "
                    + Files.readString(tmp.resolve("process-" + port + ".log")));
            }
            try (var s = new Socket()) {
                s.connect(new InetSocketAddress(LOOPBACK, port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        fail(command + " did not listen on " + port + " within 10 s");
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return s.getLocalPort();
        }
    }

    /** One memcached text-protocol command and its whole reply. */
    private static String ask(int port, String command) throws IOException {
        try (var s = new Socket()) {
            s.connect(new InetSocketAddress(LOOPBACK, port), 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write((command + "\r\nquit\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
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
