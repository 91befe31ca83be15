package io.memcachedgke.tls;

import static io.memcachedgke.support.Stacks.at;
import static io.memcachedgke.support.Stacks.k8s;
import static org.assertj.core.api.Assertions.assertThat;

import io.memcachedgke.cache.Plan;
import io.memcachedgke.support.Stacks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The memcached exporter the program deploys, with its TLS flags exactly as the {@code prod} render gives the
 * container {@code exporter-0} of {@code mycache-memcached-exporter}, against Debian's memcached run with exactly the
 * render's shard arguments (as {@link TlsRunTest} runs it). The exporter is the real one: {@code memcached_exporter}
 * v0.15.0 built from its Go module by {@code scripts/engines.sh} (the images' v0.15.3/v0.15.4 have the same
 * {@code cmd/memcached_exporter/main.go}). An integration test so that it runs after the engines are built.
 *
 * <p>Only what cannot be the pod's is moved: the shard's address (the exporter then checks the shard's certificate for
 * the name 127.0.0.1, which the test's server certificate carries beside the render's DNS names), the listen address
 * (loopback, a free port) and the mount's path. Every process listens on loopback only and is ended by its PID.
 */
class TlsExporterIT {
    static final String LOOPBACK = RenderedShard.LOOPBACK;
    /** Where the render mounts each role's certificate. */
    static final String MOUNT = Plan.TLS_DIR;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static Path tmp;
    static Path engines;
    static Process memcached;
    static int memcachedPort;
    static List<String> renderedFlags;
    static Pki pki;
    static Pki.Ca ca;
    static List<String> serverNames;
    static final List<Process> exporters = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        engines = engines();
        tmp = Files.createTempDirectory("tls-exporter");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        var prod = Stacks.render("prod");
        List<Map<String, Object>> containers = at(k8s(prod, "Deployment", "mycache-memcached-exporter").inputs(),
            "spec.template.spec.containers");
        @SuppressWarnings("unchecked")
        var exporter0 = containers.stream().filter(c -> "exporter-0".equals(c.get("name"))).findFirst()
            .map(c -> (List<String>) c.get("args")).orElseThrow(() -> new AssertionError("no container exporter-0"));
        renderedFlags = List.copyOf(exporter0);
        serverNames = RenderedShard.serverNames();

        pki = new Pki(tmp.resolve("pki"));
        ca = pki.ca("mycache-ca");
        var server = pki.leaf(ca, "mycache-memcached", true, serverNames);
        var secret = tmp.resolve("memcached-tls");
        TlsRunTest.KubeletSecret.write(secret, server, ca);

        memcachedPort = RenderedShard.freePort();
        memcached = RenderedShard.start(RenderedShard.command(RenderedShard.args(), secret, memcachedPort), memcachedPort,
            tmp.resolve("memcached.log"));
    }

    @AfterAll
    static void stop() throws Exception {
        for (var p : exporters) {
            stopByPid(p);
        }
        if (memcached != null) {
            stopByPid(memcached);
        }
    }

    @Test
    void theRenderedExporterFlagsAreTheTlsOnes() {
        assertThat(renderedFlags).contains("--memcached.tls.enable", "--memcached.tls.cert-file=" + MOUNT + "/tls.crt",
            "--memcached.tls.key-file=" + MOUNT + "/tls.key", "--memcached.tls.ca-file=" + MOUNT + "/ca.crt");
        assertThat(renderedFlags).filteredOn(f -> f.startsWith("--memcached.address=")).singleElement()
            .asString().startsWith("--memcached.address=mycache-memcached-0.mycache-memcached.");
    }

    /**
     * The name the exporter checks in the pod: the host of {@code --memcached.address} (memcached_exporter main.go,
     * {@code net.SplitHostPort}), which the server certificate issued for the render's dnsNames must match.
     */
    @Test
    void theShardsCertificateCoversTheHostTheRenderedExporterDials() throws Exception {
        var address = renderedFlags.stream().filter(f -> f.startsWith("--memcached.address=")).findFirst().orElseThrow()
            .substring("--memcached.address=".length());
        var host = address.substring(0, address.lastIndexOf(':'));
        var leaf = pki.leaf(ca, "mycache-memcached", true, serverNames);
        var check = TlsRunTest.run(List.of("openssl", "x509", "-in", leaf.cert().toString(), "-noout", "-checkhost", host),
            Map.of(), "");
        assertThat(check.out()).as(check.out()).contains("does match certificate");
    }

    @Test
    void withTheCachesClientCertificateTheExporterSeesMemcachedUp() throws Exception {
        var client = pki.leaf(ca, "mycache-exporter", false, List.of());
        var metrics = scrape(startExporter(client.dir(), "exporter-own-ca"));
        assertThat(metrics).as(metrics).containsPattern("(?m)^memcached_up 1$")
            .containsPattern("(?m)^memcached_version\\{version=\"[0-9.]+\"\\} 1$");
    }

    /**
     * A client certificate of another CA, the shard's own CA still trusted by the exporter: only memcached's check of
     * the client ({@code ssl_verify_mode=2}) can fail, and it does.
     */
    @Test
    void withACertificateOfAnotherCaTheExporterSeesMemcachedDown() throws Exception {
        var other = pki.ca("another-ca");
        var stranger = pki.leaf(other, "someone", false, List.of());
        var dir = Files.createDirectories(tmp.resolve("stranger-tls"));
        Files.copy(stranger.cert(), dir.resolve("tls.crt"));
        Files.copy(stranger.key(), dir.resolve("tls.key"));
        Files.copy(ca.cert(), dir.resolve("ca.crt"));
        var name = "exporter-other-ca";
        var metrics = scrape(startExporter(dir, name));
        assertThat(metrics).as(metrics).containsPattern("(?m)^memcached_up 0$");
        assertThat(Files.readString(tmp.resolve(name + ".log"))).as("the exporter's log")
            .contains("unknown certificate authority");
    }

    // -------------------------------------------------------------------------------------------------- exporter

    /** The exporter with the rendered flags; returns its metrics port. */
    static int startExporter(Path tlsDir, String name) throws Exception {
        var webPort = RenderedShard.freePort();
        var command = new ArrayList<String>();
        command.add(engines.resolve("memcached_exporter").toString());
        for (var f : renderedFlags) {
            if (f.startsWith("--memcached.address=")) {
                command.add("--memcached.address=" + LOOPBACK + ":" + memcachedPort);
            } else if (f.startsWith("--web.listen-address=")) {
                command.add("--web.listen-address=" + LOOPBACK + ":" + webPort);
            } else {
                command.add(f.replace(MOUNT, tlsDir.toString()));
            }
        }
        assertThat(command).filteredOn(a -> a.contains(MOUNT)).isEmpty();
        var log = tmp.resolve(name + ".log");
        var p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        exporters.add(p);
        RenderedShard.awaitPort(p, webPort, log);
        return webPort;
    }

    /** {@code /metrics}, once it holds {@code memcached_up} (every scrape dials the shard afresh). */
    static String scrape(int port) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://" + LOOPBACK + ":" + port + "/metrics"))
            .timeout(Duration.ofSeconds(10)).build();
        var deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            var response = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            body = response.body();
            if (response.statusCode() == 200 && body.contains("\nmemcached_up ")) {
                return body;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no memcached_up on :" + port + "/metrics:\n" + body);
    }

    // ----------------------------------------------------------------------------------------------- processes

    /** {@code scripts/engines.sh}'s set, as the engine suite finds it (built when missing; MEMCACHED_GKE_ENGINES honoured). */
    static Path engines() throws Exception {
        var p = new ProcessBuilder("bash", "scripts/engines.sh").directory(Stacks.PROJECT_DIR.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(80, TimeUnit.MINUTES)).as("scripts/engines.sh ended").isTrue();
        assertThat(p.exitValue()).as("scripts/engines.sh: the real engines could not be built").isZero();
        var lines = out.split("\n");
        var dir = Path.of(lines[lines.length - 1]);
        assertThat(dir.resolve("memcached_exporter")).as("the engines' memcached_exporter").isExecutable();
        return dir;
    }

    /** SIGTERM to that PID, then SIGKILL if it has not ended within 10 s. */
    static void stopByPid(Process p) throws InterruptedException {
        var handle = ProcessHandle.of(p.pid());
        handle.ifPresent(ProcessHandle::destroy);
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            handle.ifPresent(ProcessHandle::destroyForcibly);
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
