package io.memcachedgke.probe;

import static io.memcachedgke.probe.ScriptRun.assertFailsWith;
import static io.memcachedgke.probe.ScriptRun.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import io.memcachedgke.hash.Ch3;
import io.memcachedgke.locate.Layout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the generated probe scripts for real, as the Jobs run them ({@code sh -c <script>}), with Debian's
 * busybox as the only tools on the PATH, against real memcached processes playing the shards and
 * {@link FakeMcrouter}s playing the mcrouter pods (answering the admin requests, routing by ch3 or wrongly on
 * purpose). Loopback only; every run bounded.
 *
 * <p>Needs {@code busybox} and {@code memcached} on the PATH; it fails (never skips) without them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProbeScriptRunTest {
    private static final String LOOPBACK = "127.0.0.1";
    private static final String DIGEST = "0123456789abcdef0123456789abcdef";
    private static final String OLD_DIGEST = "fedcba9876543210fedcba9876543210";
    private static final String TEMPLATE = "t1a2b3c4d5";

    @TempDir
    static Path tmp;

    private static final List<Process> PROCESSES = new ArrayList<>();
    private static Path tools;
    private static int[] shards;
    private final List<FakeMcrouter> proxies = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        var memcached = ScriptRun.require("memcached");
        tools = ScriptRun.busyboxTools(tmp.resolve("bin"));
        shards = new int[4];
        for (int i = 0; i < shards.length; i++) {
            shards[i] = startMemcached(memcached);
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        ScriptRun.stopAll(PROCESSES);
    }

    /** Every test starts from empty shards: a failing run leaves its keys behind until they expire. */
    @org.junit.jupiter.api.BeforeEach
    void flushShards() throws IOException {
        for (int port : shards) {
            FakeMcrouter.Memcached.ask(port, "flush_all\r\n");
        }
    }

    @AfterEach
    void closeProxies() throws IOException {
        for (var p : proxies) {
            p.close();
        }
    }

    // --------------------------------------------------------------------------------------------- rollout

    @Test
    void rolloutPassesWhenEveryProxyReportsTheConfigAndTemplate() throws Exception {
        var a = proxy(DIGEST, "node-a", TEMPLATE, plain(3));
        var b = proxy(DIGEST, "node-b", TEMPLATE, plain(3));
        var run = run(ProbeScript.rollout(10), rolloutEnv(a, b));
        assertOk(run, "rollout: OK: 2 mcrouter pods report config " + DIGEST + " and pod template " + TEMPLATE
            + " \\(nodes: node-a node-b\\)");
    }

    @Test
    void rolloutWaitsForAProxyThatReloadsLate() throws Exception {
        var a = proxy(DIGEST, "node-a", TEMPLATE, plain(3));
        var late = proxy(OLD_DIGEST, "node-b", TEMPLATE, plain(3));
        var reload = new Thread(() -> {
            sleep(3000);
            late.digest(DIGEST);
        });
        reload.start();
        var run = run(ProbeScript.rollout(20), rolloutEnv(a, late));
        assertOk(run, "rollout: OK: 2 mcrouter pods report config " + DIGEST + ".*");
    }

    @Test
    void rolloutFailsNamingAProxyStuckOnAnOldConfigAfterTheWait() throws Exception {
        var a = proxy(DIGEST, "node-a", TEMPLATE, plain(3));
        var stuck = proxy(OLD_DIGEST, "node-b", TEMPLATE, plain(3));
        var started = System.nanoTime();
        var run = run(ProbeScript.rollout(3), rolloutEnv(a, stuck));
        assertFailsWith(run, Pattern.quote("rollout: FAIL: proxy " + stuck.address() + " on node node-b reports config digest "
            + OLD_DIGEST + " (expected " + DIGEST + ") after 3s"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void rolloutCountsEveryProxyNotOnTheConfig() throws Exception {
        var a = proxy(OLD_DIGEST, "node-a", TEMPLATE, plain(3));
        var b = proxy(OLD_DIGEST, "node-b", TEMPLATE, plain(3));
        var run = run(ProbeScript.rollout(2), rolloutEnv(a, b));
        assertFailsWith(run, Pattern.quote("rollout: FAIL: 2 of 2 mcrouter pods are not on the new config; first: proxy "
            + a.address() + " on node node-a reports config digest " + OLD_DIGEST + " (expected " + DIGEST + ") after 2s"));
    }

    @Test
    void rolloutFailsForAProxyStillOnTheOldPodTemplate() throws Exception {
        var a = proxy(DIGEST, "node-a", "oldtemplate", plain(3));
        var run = run(ProbeScript.rollout(2), rolloutEnv(a));
        assertFailsWith(run, Pattern.quote("rollout: FAIL: proxy " + a.address() + " on node node-a runs pod template "
            + "oldtemplate (expected " + TEMPLATE + "): its roll is not over after 2s"));
    }

    @Test
    void rolloutFailsForAProxyThatDoesNotAnswer() throws Exception {
        var down = LOOPBACK + ":" + freePort();
        var env = rolloutEnv();
        env.put(ProbeScript.PROXIES_ENV, down);
        var run = run(ProbeScript.rollout(2), env);
        assertFailsWith(run, Pattern.quote("rollout: FAIL: proxy " + down + " (node unknown) does not answer after 2s"));
    }

    @Test
    void rolloutFindsTheProxiesThroughTheirServicesDnsRecords() throws Exception {
        var a = proxy(DIGEST, "node-a", TEMPLATE, plain(3));
        // busybox nslookup's output for a headless Service with two pods (one of them this proxy, on loopback).
        fakeNslookup("""
            Server:\t\t10.96.0.10
            Address:\t10.96.0.10:53

            Name:\tmycache-mcrouter-proxies.memcached.svc.cluster.local
            Address: 127.0.0.1

            """);
        var env = rolloutEnv();
        env.remove(ProbeScript.PROXIES_ENV);
        env.put(ProbeScript.PROXY_SERVICE_ENV, "mycache-mcrouter-proxies.memcached.svc.cluster.local");
        env.put(ProbeScript.LOCAL_PORT_ENV, Integer.toString(a.port()));
        var run = run(ProbeScript.rollout(5), env);
        assertOk(run, "rollout: OK: 1 mcrouter pods report config " + DIGEST + " and pod template " + TEMPLATE
            + " \\(nodes: node-a\\)");
    }

    // --------------------------------------------------------------------------------------------- smoke

    @Test
    void smokePassesWhenEveryProxyPutsEveryKeyWhereTheLocatorSays() throws Exception {
        var layout = Layout.plain(3);
        var a = proxy(DIGEST, "node-a", TEMPLATE, plain(3));
        var b = proxy(DIGEST, "node-b", TEMPLATE, plain(3));
        var run = run(ProbeScript.smoke(5), smokeEnv(layout, a, a, b));
        assertOk(run, "smoke: OK: this node's mcrouter \\(" + a.address() + "\\) takes writes; 2 mcrouter pods on config "
            + DIGEST + " each put 3 keys on the shards the locator predicts \\(3 shards\\)");
        // Nothing is left behind.
        for (var k : layout.smokeKeys()) {
            for (int i = 0; i < 3; i++) {
                assertThat(FakeMcrouter.Memcached.ask(shards[i], "get " + k.key() + "\r\n")).isEqualTo("END\r\n");
            }
        }
    }

    @Test
    void smokeCatchesAProxyThatPutsAKeyOnAnotherShardThanPredicted() throws Exception {
        var layout = Layout.plain(3);
        var good = proxy(DIGEST, "node-a", TEMPLATE, plain(3));
        // Routes by ch3 over the servers in the wrong order: the pool lists them shifted by one.
        var shifted = proxy(DIGEST, "node-b", TEMPLATE, key -> List.of(shards[(Ch3.serverIndex(key, 3) + 1) % 3]));
        var run = run(ProbeScript.smoke(5), smokeEnv(layout, good, good, shifted));
        var first = layout.smokeKeys().get(0);
        assertFailsWith(run, Pattern.quote("smoke: FAIL: key " + first.key() + " set through mcrouter " + shifted.address()
            + " on node node-b is not on shard " + LOOPBACK + ":" + shards[first.predicted()] + ", where the locator puts it "
            + "(found on shards: " + (first.predicted() + 1) % 3 + " )"));
    }

    @Test
    void smokeCatchesAProxyThatWritesAKeyToTwoShards() throws Exception {
        var layout = Layout.plain(3);
        var doubled = proxy(DIGEST, "node-a", TEMPLATE,
            key -> List.of(shards[Ch3.serverIndex(key, 3)], shards[(Ch3.serverIndex(key, 3) + 1) % 3]));
        var run = run(ProbeScript.smoke(5), smokeEnv(layout, doubled, doubled));
        var first = layout.smokeKeys().get(0);
        assertFailsWith(run, Pattern.quote("smoke: FAIL: key " + first.key() + " set through mcrouter " + doubled.address()
            + " on node node-a is on shard " + LOOPBACK + ":" + shards[(first.predicted() + 1) % 3]
            + " too, where the locator does not put it"));
    }

    @Test
    void duringAMoveAKeyMayBeOnItsNewShardToo() throws Exception {
        var layout = new Layout(3, 4);
        // After the switch, sets go to both layouts (McrouterConfig.migrating: AllSyncRoute of pool A and pool B).
        var moving = proxy(DIGEST, "node-a", TEMPLATE, key -> {
            var p = layout.place(key);
            return p.moves() ? List.of(shards[p.before()], shards[p.after()]) : List.of(shards[p.before()]);
        });
        var run = run(ProbeScript.smoke(5), smokeEnv(layout, moving, moving));
        assertOk(run, "smoke: OK: .* 1 mcrouter pods on config " + DIGEST + " each put 4 keys on the shards the locator "
            + "predicts \\(4 shards\\)");
        assertThat(layout.smokeKeys().stream().map(Layout.SmokeKey::entry)).anyMatch(e -> e.contains("+3"));
    }

    @Test
    void smokeFailsForAProxyOnAnotherConfig() throws Exception {
        var a = proxy(DIGEST, "node-a", TEMPLATE, plain(3));
        var stale = proxy(OLD_DIGEST, "node-b", TEMPLATE, plain(3));
        var run = run(ProbeScript.smoke(5), smokeEnv(Layout.plain(3), a, a, stale));
        assertFailsWith(run, Pattern.quote("smoke: FAIL: mcrouter " + stale.address() + " on node node-b reports config digest "
            + OLD_DIGEST + " (expected " + DIGEST + ")"));
    }

    @Test
    void smokeFailsForAShardThatIsDown() throws Exception {
        var a = proxy(DIGEST, "node-a", TEMPLATE, plain(3));
        var env = smokeEnv(Layout.plain(3), a, a);
        var down = freePort();
        env.put(ProbeScript.SERVERS_ENV, servers(shards[0], shards[1], down));
        var run = run(ProbeScript.smoke(5), env);
        assertFailsWith(run, Pattern.quote("smoke: FAIL: get from shard " + LOOPBACK + ":" + down
            + ": no reply (connection refused, unreachable or timed out); every shard must answer"));
    }

    @Test
    void smokeFailsWhenThisNodesProxyNeverTakesAWrite() throws Exception {
        var a = proxy(DIGEST, "node-a", TEMPLATE, plain(3));
        var env = smokeEnv(Layout.plain(3), a, a);
        var none = freePort();
        env.put(ProbeScript.LOCAL_PORT_ENV, Integer.toString(none));
        var started = System.nanoTime();
        var run = run(ProbeScript.smoke(2), env);
        assertFailsWith(run, "smoke: FAIL: set smoke-[0-9]+-[0-9a-f]{8} through the mcrouter on this node \\("
            + LOOPBACK + ":" + none + "\\): no reply \\(connection refused, unreachable or timed out\\) for 2s \\(expected STORED\\)");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aMissingVariableIsNamed() throws Exception {
        var a = proxy(DIGEST, "node-a", TEMPLATE, plain(3));
        var env = smokeEnv(Layout.plain(3), a, a);
        env.remove(ProbeScript.KEYS_ENV);
        assertFailsWith(run(ProbeScript.smoke(2), env), Pattern.quote("smoke: FAIL: SMOKE_KEYS is not set"));
    }

    // ---------------------------------------------------------------------------------------------

    private FakeMcrouter proxy(String digest, String node, String template,
                               java.util.function.Function<String, List<Integer>> route) throws IOException {
        var p = new FakeMcrouter(digest, "template:" + template + ",node_name:" + node, route);
        proxies.add(p);
        return p;
    }

    /** ch3 over the first {@code n} shards, as PoolRoute does. */
    private static java.util.function.Function<String, List<Integer>> plain(int n) {
        return key -> List.of(shards[Ch3.serverIndex(key, n)]);
    }

    private Map<String, String> rolloutEnv(FakeMcrouter... ps) {
        var env = new HashMap<String, String>();
        env.put(ProbeScript.LOCAL_PORT_ENV, "5000");
        env.put(ProbeScript.DIGEST_ENV, DIGEST);
        env.put(ProbeScript.TEMPLATE_ENV, TEMPLATE);
        env.put(ProbeScript.PROXIES_ENV, Arrays.stream(ps).map(FakeMcrouter::address).collect(Collectors.joining(" ")));
        return env;
    }

    private Map<String, String> smokeEnv(Layout layout, FakeMcrouter local, FakeMcrouter... all) {
        var env = new HashMap<String, String>();
        env.put(ProbeScript.LOCAL_HOST_ENV, LOOPBACK);
        env.put(ProbeScript.LOCAL_PORT_ENV, Integer.toString(local.port()));
        env.put(ProbeScript.DIGEST_ENV, DIGEST);
        env.put(ProbeScript.PROXIES_ENV, Arrays.stream(all).map(FakeMcrouter::address).collect(Collectors.joining(" ")));
        env.put(ProbeScript.SERVERS_ENV, servers(Arrays.copyOf(shards, layout.podCount())));
        env.put(ProbeScript.KEYS_ENV, layout.smokeKeys().stream().map(Layout.SmokeKey::entry).collect(Collectors.joining(" ")));
        return env;
    }

    private static void fakeNslookup(String output) throws IOException {
        var fake = tools.resolve("nslookup");
        Files.deleteIfExists(fake);
        var text = tmp.resolve("nslookup.out");
        Files.writeString(text, output);
        Files.writeString(fake, "#!" + tools.resolve("sh") + "\ncat " + text + "\n");
        fake.toFile().setExecutable(true);
    }

    /** {@code sh -c <script>}, exactly a Job's command, with only the given environment and busybox. */
    private static ScriptRun run(ProbeScript script, Map<String, String> env) throws Exception {
        return ScriptRun.of(tools, script, env, 60L);
    }

    private static String servers(int... ports) {
        return String.join(" ", Arrays.stream(ports).mapToObj(p -> LOOPBACK + ":" + p).toList());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // --------------------------------------------------------------------------------------------- processes

    private static int startMemcached(Path memcached) throws Exception {
        var port = freePort();
        // -u nobody: memcached refuses to run as root without it (CI runs as root); ignored otherwise.
        var command = List.of(memcached.toString(), "-l", LOOPBACK, "-p", Integer.toString(port), "-U", "0", "-m", "16",
            "-u", "nobody");
        var process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(tmp.resolve("memcached-" + port + ".log").toFile()).start();
        PROCESSES.add(process);
        var deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (var s = new Socket()) {
                s.connect(new InetSocketAddress(LOOPBACK, port), 200);
                return port;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("memcached did not listen on " + port);
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return s.getLocalPort();
        }
    }

}
