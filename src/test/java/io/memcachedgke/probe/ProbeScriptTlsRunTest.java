package io.memcachedgke.probe;

import static io.memcachedgke.probe.ScriptRun.assertFailsWith;
import static io.memcachedgke.probe.ScriptRun.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import io.memcachedgke.hash.Ch3;
import io.memcachedgke.locate.Layout;
import io.memcachedgke.tls.Pki;
import io.memcachedgke.tls.RenderedShard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.SocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The checks of a cache whose shards serve mutual TLS, run for real: the smoke test's script and the rollout check's,
 * exactly as their Jobs run them ({@code sh -c}, busybox, and python3 for {@code ask_tls}), against Debian's memcached
 * started with the arguments the {@code prod} StatefulSet renders ({@code -Z -o ssl_chain_cert=…,ssl_verify_mode=2}),
 * each with a certificate of the cache's CA. The proxies are {@link FakeMcrouter}s that reach the shards over TLS with
 * the proxies' client certificate (as a {@code "use_ssl": true} pool does), or in plain text on purpose. Loopback only;
 * every process stopped.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProbeScriptTlsRunTest {
    private static final String LOOPBACK = "127.0.0.1";
    private static final String DIGEST = "0123456789abcdef0123456789abcdef";
    private static final String TEMPLATE = "t1a2b3c4d5";
    private static final String SMOKE_OK = "smoke: OK: this node's mcrouter \\(127.0.0.1:[0-9]+\\) takes writes; 2 mcrouter "
        + "pods on config " + DIGEST + " each put [0-9]+ keys on the shards the locator predicts \\(2 shards over mutual "
        + "TLS \\(a client without a certificate and plain text refused\\)\\)";

    private static final List<Process> PROCESSES = new ArrayList<>();
    private static Path tmp;
    private static Path tools;
    private static List<String> rendered;
    private static Pki.Leaf server;
    private static Pki.Leaf smoke;
    private static Pki.Leaf stranger;
    private static SocketFactory proxyTls;
    /** Two shards as rendered. */
    private static int[] shards;
    /** A shard with TLS that does not ask for a client certificate ({@code ssl_verify_mode=0}). */
    private static int lenient;
    /** A shard in plain text. */
    private static int plain;
    private final List<FakeMcrouter> proxies = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        tmp = Files.createTempDirectory("probe-tls");
        // memcached runs as nobody and reads its certificate from here.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        tools = ScriptRun.busyboxTools(tmp.resolve("bin"));
        // ask_tls: the TLS client image's python3 (busybox has no TLS client that presents a certificate).
        Files.createSymbolicLink(tools.resolve("python3"), python3());

        rendered = RenderedShard.args();

        var pki = new Pki(tmp.resolve("pki"));
        var ca = pki.ca("mycache-ca");
        server = pki.leaf(ca, "mycache-memcached", true, List.of());
        smoke = pki.leaf(ca, "mycache-smoke", false, List.of());
        stranger = pki.leaf(pki.ca("another-ca"), "mycache-smoke", false, List.of());
        proxyTls = Pki.client(pki.leaf(ca, "mycache-mcrouter", false, List.of()));

        shards = new int[] {startMemcached(rendered), startMemcached(rendered)};
        lenient = startMemcached(rendered.stream().map(a -> a.replace("ssl_verify_mode=2", "ssl_verify_mode=0")).toList());
        // Plain text: only the port and the memory RenderedShard.command sets.
        plain = startMemcached(List.of("-p", "", "-m", ""));
    }

    @AfterAll
    static void stop() throws Exception {
        ScriptRun.stopAll(PROCESSES);
        if (tmp != null) {
            try (var files = Files.walk(tmp)) {
                for (var f : files.sorted(Comparator.reverseOrder()).toList()) {
                    f.toFile().setWritable(true);
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    @AfterEach
    void closeProxies() throws IOException {
        for (var p : proxies) {
            p.close();
        }
    }

    // ----------------------------------------------------------------------------------------------- smoke
    @Test
    void smokeOverMutualTlsPassesAndProvesEveryShardRefusesAClientWithoutACertificate() throws Exception {
        var a = proxy("node-a", proxyTls, shards);
        var b = proxy("node-b", proxyTls, shards);
        var run = run(ProbeScript.smoke(5, true), smokeEnv(smoke, shards, a, a, b));
        assertOk(run, SMOKE_OK);
    }

    @Test
    void smokeFailsForAShardThatTakesAClientWithoutACertificate() throws Exception {
        int[] servers = {shards[0], lenient};
        var a = proxy("node-a", proxyTls, servers);
        var run = run(ProbeScript.smoke(5, true), smokeEnv(smoke, servers, a, a));
        assertFailsWith(run, "smoke: FAIL: shard 127\\.0\\.0\\.1:" + lenient
            + " answered a client without a certificate: VERSION [0-9.]+");
    }

    @Test
    void smokeFailsForAShardInPlainText() throws Exception {
        int[] servers = {shards[0], plain};
        var a = proxy("node-a", SocketFactory.getDefault(), servers);
        // This proxy reaches the plain shard in plain text and the TLS one not at all: route every key to the plain one.
        a.route(key -> List.of(plain));
        var run = run(ProbeScript.smoke(5, true), smokeEnv(smoke, servers, a, a));
        assertFailsWith(run, Pattern.quote("smoke: FAIL: get from shard 127.0.0.1:" + plain
            + ": no reply (connection refused, unreachable or timed out); every shard must answer"));
    }

    @Test
    void smokeFailsWhenTheProxiesDoNotSpeakTlsToTheShards() throws Exception {
        var a = proxy("node-a", SocketFactory.getDefault(), shards);
        var run = run(ProbeScript.smoke(2, true), smokeEnv(smoke, shards, a, a));
        assertFailsWith(run, "smoke: FAIL: set smoke-[0-9]+-[0-9a-f]{8} through the mcrouter on this node \\(127\\.0\\.0\\.1:"
            + a.port() + "\\): SERVER_ERROR connection error for 2s \\(expected STORED\\)");
    }

    @Test
    void smokeFailsWithACertificateOfAnotherCa() throws Exception {
        var a = proxy("node-a", proxyTls, shards);
        var run = run(ProbeScript.smoke(5, true), smokeEnv(stranger, shards, a, a));
        assertFailsWith(run, "smoke: FAIL: get from shard 127\\.0\\.0\\.1:[0-9]+: no reply \\(connection refused, "
            + "unreachable or timed out\\); every shard must answer");
    }

    // --------------------------------------------------------------------------------------------- rollout

    @Test
    void rolloutRoundTripsASetAndAGetThroughEveryProxyOverTls() throws Exception {
        var a = proxy("node-a", proxyTls, shards);
        var b = proxy("node-b", proxyTls, shards);
        var run = run(ProbeScript.rollout(5, true), rolloutEnv(a, b));
        assertOk(run, Pattern.quote("rollout: OK: 2 mcrouter pods report config " + DIGEST + " and pod template " + TEMPLATE
            + " and round-trip a set and a get to the shards over mutual TLS (nodes: node-a node-b)"));
    }

    @Test
    void rolloutFailsNamingAProxyThatCannotReachTheShardsOverTls() throws Exception {
        var a = proxy("node-a", proxyTls, shards);
        var b = proxy("node-b", SocketFactory.getDefault(), shards);
        var run = run(ProbeScript.rollout(2, true), rolloutEnv(a, b));
        assertFailsWith(run, Pattern.quote("rollout: FAIL: proxy " + b.address() + " on node node-b does not round-trip a "
            + "set and a get to the shards over mutual TLS (SERVER_ERROR connection error) after 2s"));
    }

    // ---------------------------------------------------------------------------------------------

    private FakeMcrouter proxy(String node, SocketFactory dialer, int[] servers) throws IOException {
        Function<String, List<Integer>> route = key -> List.of(servers[Ch3.serverIndex(key, servers.length)]);
        var p = new FakeMcrouter(DIGEST, "template:" + TEMPLATE + ",node_name:" + node, route);
        p.dialer(dialer);
        proxies.add(p);
        return p;
    }

    private static Map<String, String> smokeEnv(Pki.Leaf cert, int[] servers, FakeMcrouter local, FakeMcrouter... all) {
        var env = new HashMap<String, String>();
        env.put(ProbeScript.LOCAL_HOST_ENV, LOOPBACK);
        env.put(ProbeScript.LOCAL_PORT_ENV, Integer.toString(local.port()));
        env.put(ProbeScript.DIGEST_ENV, DIGEST);
        env.put(ProbeScript.PROXIES_ENV, Arrays.stream(all).map(FakeMcrouter::address).collect(Collectors.joining(" ")));
        env.put(ProbeScript.SERVERS_ENV, Arrays.stream(servers).mapToObj(p -> LOOPBACK + ":" + p)
            .collect(Collectors.joining(" ")));
        env.put(ProbeScript.KEYS_ENV, Layout.plain(servers.length).smokeKeys().stream().map(Layout.SmokeKey::entry)
            .collect(Collectors.joining(" ")));
        env.put(ProbeScript.TLS_DIR_ENV, cert.dir().toString());
        return env;
    }

    private static Map<String, String> rolloutEnv(FakeMcrouter... ps) {
        var env = new HashMap<String, String>();
        env.put(ProbeScript.LOCAL_PORT_ENV, "5000");
        env.put(ProbeScript.DIGEST_ENV, DIGEST);
        env.put(ProbeScript.TEMPLATE_ENV, TEMPLATE);
        env.put(ProbeScript.PROXIES_ENV, Arrays.stream(ps).map(FakeMcrouter::address).collect(Collectors.joining(" ")));
        return env;
    }

    /** {@code sh -c <script>}, exactly a Job's command, with only the given environment and busybox and python3. */
    private static ScriptRun run(ProbeScript script, Map<String, String> env) throws Exception {
        return ScriptRun.of(tools, script, env, 90L);
    }


    // --------------------------------------------------------------------------------------------- processes

    /** The interpreter itself, not a launcher script on the PATH (pyenv's shim needs bash and its environment). */
    private static Path python3() throws Exception {
        ScriptRun.require("python3");
        var p = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").redirectErrorStream(true).start();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return Path.of(out);
    }

    private static int startMemcached(List<String> args) throws Exception {
        var port = RenderedShard.freePort();
        PROCESSES.add(RenderedShard.start(RenderedShard.command(args, server.dir(), port), port,
            tmp.resolve("memcached-" + port + ".log")));
        return port;
    }
}
