package io.memcachedgke.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code e2e/mctool.py --tls-dir}: the operator tools' conversations with shards that serve mutual TLS, against real
 * memcached run as prod's StatefulSet runs it ({@link TlsShards}), dialled by the cluster's names through mctool.py's
 * test seam ({@code MCTOOL_ADDRESS_MAP}, {@code MCTOOL_RESOLVE}), so the shard's certificate is checked for the names
 * the cluster gives it. The proxy is the mcrouter stand-in ({@code e2e/fakes/mcrouter-standin.py}) with a
 * {@code use_ssl} pool and the proxy's certificate, as prod's DaemonSet runs mcrouter: mctool talks to it in plain
 * text, as applications do.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class McToolTlsTest {
    static final String NS = "memcached";
    static final String SERVICE = "mycache-memcached." + NS + ".svc.cluster.local";
    static final Path PROJECT = Paths.get("").toAbsolutePath();

    @TempDir
    static Path tmp;
    static TlsShards shards;
    static final List<Integer> ports = new ArrayList<>();
    static Path operator;
    static Path stranger;
    static int proxy;

    @BeforeAll
    static void start() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        shards = new TlsShards(tmp.resolve("pki"));
        for (int i = 0; i < 3; i++) {
            ports.add(shards.start());
        }
        operator = shards.client(tmp.resolve("operator"), "mycache-operator");
        stranger = TlsShards.stranger(tmp.resolve("stranger"));
        proxy = startProxy(shards, tmp, ports);
    }

    @AfterAll
    static void stop() {
        if (shards != null) {
            shards.close();
        }
    }

    /** The stand-in, as prod's DaemonSet runs mcrouter: a use_ssl pool of the shards, the proxy's certificate. */
    static int startProxy(TlsShards shards, Path dir, List<Integer> shardPorts) throws Exception {
        var cert = shards.client(dir.resolve("proxy-tls"), "mycache-mcrouter");
        var servers = shardPorts.stream().map(p -> "\"127.0.0.1:" + p + "\"").toList();
        var config = dir.resolve("config.json");
        Files.writeString(config, "{\"pools\": {\"A\": {\"servers\": [" + String.join(", ", servers)
            + "], \"use_ssl\": true}}, \"route\": \"PoolRoute|A\"}\n");
        var port = ScriptSandbox.freePort();
        var p = new ProcessBuilder("python3", PROJECT.resolve("e2e/fakes/mcrouter-standin.py").toString(),
            "--config=file:" + config, "--pem-cert-path=" + cert.resolve("tls.crt"), "--pem-key-path=" + cert.resolve("tls.key"),
            "--pem-ca-path=" + cert.resolve("ca.crt"), Integer.toString(port), "0123456789abcdef0123456789abcdef", "kind-worker")
            .redirectErrorStream(true).redirectOutput(dir.resolve("standin.log").toFile()).start();
        shards.own(p);
        for (int i = 0; i < 200; i++) {
            try (var s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return port;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("the stand-in did not listen on " + port + ": " + Files.readString(dir.resolve("standin.log")));
    }

    static String shard(int i) {
        return "mycache-memcached-" + i + ".mycache-memcached." + NS + ".svc.cluster.local";
    }

    @Test
    void setgetOnAShardByItsDnsNameOverMutualTls() throws Exception {
        var r = mctool(List.of("--tls-dir", operator.toString(), "setget", shard(0), "11211", "lab-mykey-0", "hello"));
        assertThat(r.exit).as(r.out).isZero();
        assertThat(r.out).contains("< STORED", "< hello", "OK: " + shard(0) + ":11211 stored and returned lab-mykey-0 over mutual TLS");
        var back = mctool(List.of("--tls-dir=" + operator, "get", shard(0), "11211", "lab-mykey-0", "hello"));
        assertThat(back.exit).as(back.out).isZero();
    }

    @Test
    void theShardsRefusePlainTextAClientOfAnotherCaAndANameTheirCertificateLacks() throws Exception {
        var plain = mctool(List.of("setget", shard(1), "11211", "k", "v"));
        assertThat(plain.exit).as(plain.out).isEqualTo(1);
        assertThat(plain.out).contains("FAIL: setget: ");

        var other = mctool(List.of("--tls-dir", stranger.toString(), "setget", shard(1), "11211", "k", "v"));
        assertThat(other.exit).as(other.out).isEqualTo(1);
        assertThat(other.out).contains("FAIL: setget: ");

        // The shard's certificate is checked for the name dialled: the address alone is not in it.
        var byAddress = mctool(List.of("--tls-dir", operator.toString(), "get", "127.0.0.1", Integer.toString(ports.get(1)), "k"));
        assertThat(byAddress.exit).as(byAddress.out).isEqualTo(1);
        assertThat(byAddress.out).contains("FAIL: get: ").contains("CERTIFICATE_VERIFY_FAILED").contains("127.0.0.1");
    }

    @Test
    void labPythonResolvesTheServiceAndChecksEachShardForTheServicesName() throws Exception {
        var r = mctool(List.of("--tls-dir", operator.toString(), "lab-python", SERVICE, "11211", "3"));
        assertThat(r.exit).as(r.out).isZero();
        assertThat(r.out).contains("OK: the headless Service lists 3 pods and the lab's client sets and gets through them over mutual TLS");
    }

    @Test
    void shardKeysAndWriteThroughReadTheShardOverTlsAfterWritingThroughThePlainTextProxy() throws Exception {
        var held = mctool(List.of("--tls-dir", operator.toString(), "shard-keys", "proxy", "5000", shard(2), "11211",
            "e2e-restart-t1", "48"));
        assertThat(held.exit).as(held.out).isZero();
        var keys = held.out.strip().lines().toList();
        assertThat(keys).isNotEmpty().allMatch(k -> k.startsWith("e2e-restart-t1-"));

        var command = new ArrayList<>(List.of("--tls-dir", operator.toString(), "write-through", "proxy", "5000", shard(2), "11211"));
        command.addAll(keys);
        var through = mctool(command);
        assertThat(through.exit).as(through.out).isZero();
        assertThat(through.out).contains("OK: " + keys.size() + " keys written through proxy:5000 are on shard " + shard(2) + ":11211");

        // Without --tls-dir the shard's side is plain text, which the shard refuses.
        var plain = mctool(List.of("write-through", "proxy", "5000", shard(2), "11211", keys.get(0)));
        assertThat(plain.exit).as(plain.out).isEqualTo(1);
    }

    @Test
    void theProxiesCommandsRefuseTheOptionAndRunAsBeforeWithoutIt() throws Exception {
        for (var command : List.of("proxies", "app-check", "loadgen")) {
            var r = mctool(List.of("--tls-dir", operator.toString(), command, "5000"));
            assertThat(r.exit).as(r.out).isEqualTo(2);
            assertThat(r.out).contains("--tls-dir is for the shards' conversations").contains(command + " talks to proxies");
        }
        var r = mctool(List.of("proxies", "5000", "0123456789abcdef0123456789abcdef", "5", "proxy=kind-worker"));
        assertThat(r.exit).as(r.out).isZero();
        var through = mctool(List.of("setget", "proxy", "5000", "anotherkey", "Mcrouter is fun"));
        assertThat(through.exit).as(through.out).isZero();
    }

    private record Result(int exit, String out) {}

    /** mctool.py with the cluster's names sent to the local processes. */
    private static Result mctool(List<String> args) throws Exception {
        var command = new ArrayList<>(List.of("python3", PROJECT.resolve("e2e/mctool.py").toString()));
        command.addAll(args);
        var pb = new ProcessBuilder(command).redirectErrorStream(true);
        var map = new ArrayList<String>();
        var ips = new ArrayList<String>();
        for (int i = 0; i < ports.size(); i++) {
            map.add(shard(i) + ":11211=127.0.0.1:" + ports.get(i));
            var ip = "10.244.2." + (5 + i);
            ips.add(ip);
            map.add(ip + ":11211=127.0.0.1:" + ports.get(i));
        }
        map.add("proxy:5000=127.0.0.1:" + proxy);
        Map<String, String> env = new HashMap<>();
        env.put("MCTOOL_ADDRESS_MAP", String.join(",", map));
        env.put("MCTOOL_RESOLVE", SERVICE + "=" + String.join(",", ips));
        pb.environment().putAll(env);
        var p = pb.start();
        p.getOutputStream().close();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }
}
