package io.memcachedgke.tls;

import static io.memcachedgke.support.Stacks.at;
import static io.memcachedgke.support.Stacks.k8s;
import static org.assertj.core.api.Assertions.assertThat;

import io.memcachedgke.memcached.ReloadScript;
import io.memcachedgke.probe.ProbeScript;
import io.memcachedgke.support.Stacks;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Mutual TLS with the real thing: Debian's memcached (1.6.18, built with TLS) run with exactly the arguments the
 * {@code prod} render gives its StatefulSet (only its port, its memory, the user it drops to and the mount's path
 * moved to this machine's), reading certificate files laid out as kubelet mounts a Secret (a {@code ..data} link to a
 * timestamped directory, swapped whole on an update), and the clients the program deploys: the smoke test's TLS client
 * ({@link ProbeScript#TLS_CLIENT}, as {@code ask_tls} runs it) and the certificate reloader ({@link ReloadScript}, as
 * its ConfigMap holds it). The certificates come from openssl, shaped as cert-manager issues them (ECDSA P-256, the
 * CA in {@code ca.crt}, the usages the program asks for).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsRunTest {
    static final String LOOPBACK = RenderedShard.LOOPBACK;

    static Path tmp;
    static Path secret;
    static Process memcached;
    static int port;
    static Pki.Leaf smoke;
    static Pki.Leaf reloader;
    static Pki.Leaf stranger;
    static Pki pki;
    static Pki.Ca ca;
    static List<String> serverNames;

    @BeforeAll
    static void start() throws Exception {
        tmp = Files.createTempDirectory("tls-run");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        serverNames = RenderedShard.serverNames();

        pki = new Pki(tmp.resolve("pki"));
        ca = pki.ca("mycache-ca");
        var other = pki.ca("another-ca");
        var server = pki.leaf(ca, "mycache-memcached", true, serverNames);
        smoke = pki.leaf(ca, "mycache-smoke", false, List.of());
        reloader = pki.leaf(ca, "mycache-reloader", false, List.of());
        stranger = pki.leaf(other, "someone", false, List.of());
        secret = tmp.resolve("memcached-tls");
        KubeletSecret.write(secret, server, ca);

        port = RenderedShard.freePort();
        memcached = RenderedShard.start(RenderedShard.command(RenderedShard.args(), secret, port), port,
            tmp.resolve("memcached.log"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (memcached != null) {
            memcached.destroy();
            memcached.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(1)
    void aClientWithACertificateOfTheCaSetsAndGets() throws Exception {
        var reply = askTls(smoke, "set kept 0 0 5\r\nhello\r\nget kept\r\n", false);
        assertThat(reply).as(log()).contains("STORED").contains("VALUE kept 0 5").contains("hello").contains("END");
    }

    @Test
    @Order(2)
    void aClientWithoutACertificateOrInPlainTextIsRefused() throws Exception {
        assertThat(askTls(smoke, "version\r\n", true)).as("no certificate").doesNotContain("VERSION");
        assertThat(plain("version\r\n")).as("plain text").doesNotContain("VERSION");
    }

    @Test
    @Order(3)
    void aCertificateOfAnotherCaIsRefused() throws Exception {
        assertThat(askTls(stranger, "version\r\n", false)).doesNotContain("VERSION");
        assertThat(askTls(smoke, "version\r\n", false)).as("the cache's own").contains("VERSION");
    }

    /**
     * A renewal as cert-manager and kubelet make it (a new key and certificate, the Secret's files swapped whole), then
     * the reloader's {@code refresh_certs}: new connections get the new certificate, the item set before is still there,
     * and memcached is the same process.
     */
    @Test
    @Order(4)
    void aRenewedCertificateIsServedAfterTheReloaderWithEveryItemKept() throws Exception {
        var before = peerFingerprint();
        assertThat(before).isEqualTo(Pki.fingerprint(KubeletSecret.current(secret)));
        var pid = memcached.pid();

        var renewed = pki.leaf(ca, "mycache-memcached", true, serverNames);
        KubeletSecret.write(secret, renewed, ca);
        assertThat(peerFingerprint()).as("memcached reads its files only when told").isEqualTo(before);

        var script = tmp.resolve(ReloadScript.FILE);
        Files.writeString(script, renderedReloadScript());
        var env = Map.of("MEMCACHED_SERVERS", LOOPBACK + ":" + port, "TLS_DIR", reloader.dir().toString(),
            "RELOAD_ONCE", "1");
        var run = run(List.of("python3", script.toString()), env, "");
        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(run.out()).as(run.out()).contains("refresh_certs " + LOOPBACK + ":" + port + ": OK");

        assertThat(peerFingerprint()).as("new connections get the renewed certificate")
            .isEqualTo(Pki.fingerprint(renewed.cert())).isNotEqualTo(before);
        assertThat(askTls(smoke, "get kept\r\n", false)).as("the item stored before the renewal").contains("hello");
        assertThat(memcached.isAlive()).isTrue();
        assertThat(memcached.pid()).isEqualTo(pid);
    }

    /** The reloader's script as the render's ConfigMap holds it (the program's own text, checked to be it). */
    static String renderedReloadScript() {
        var prod = Stacks.render("prod");
        Map<String, String> data = at(k8s(prod, "ConfigMap", "mycache-memcached-cert-reloader").inputs(), "data");
        assertThat(data.get(ReloadScript.FILE)).isEqualTo(ReloadScript.text());
        return data.get(ReloadScript.FILE);
    }

    // ------------------------------------------------------------------------------------------------- clients

    /** The smoke test's {@code ask_tls}: the request, then quit, over TLS with {@code client}'s files. */
    static String askTls(Pki.Leaf client, String request, boolean noCert) throws Exception {
        var env = new HashMap<String, String>();
        env.put(ProbeScript.TLS_DIR_ENV, client.dir().toString());
        if (noCert) {
            env.put("NO_CERT", "no-cert");
        }
        return run(List.of("python3", "-c", ProbeScript.TLS_CLIENT, LOOPBACK, Integer.toString(port)), env,
            request + "quit\r\n").out();
    }

    static String plain(String request) throws IOException {
        try (var s = new Socket()) {
            s.connect(new InetSocketAddress(LOOPBACK, port), 2000);
            s.setSoTimeout(2000);
            s.getOutputStream().write((request + "quit\r\n").getBytes(StandardCharsets.US_ASCII));
            try {
                return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            } catch (IOException closedOrTimedOut) {
                return "";
            }
        }
    }

    /** SHA-256 of the certificate a new TLS connection gets (with the smoke test's certificate). */
    static String peerFingerprint() throws Exception {
        var code = "import hashlib,os,socket,ssl,sys; d=sys.argv[3]; c=ssl.create_default_context(cafile=d+'/ca.crt'); "
            + "c.load_cert_chain(d+'/tls.crt',d+'/tls.key'); "
            + "t=c.wrap_socket(socket.create_connection((sys.argv[1],int(sys.argv[2])),timeout=3),server_hostname=sys.argv[1]); "
            + "print(hashlib.sha256(t.getpeercert(True)).hexdigest())";
        var r = run(List.of("python3", "-c", code, LOOPBACK, Integer.toString(port), smoke.dir().toString()), Map.of(), "");
        assertThat(r.exit()).as(r.out()).isZero();
        return r.out().strip();
    }

    record Run(int exit, String out) {}

    static Run run(List<String> command, Map<String, String> env, String stdin) throws Exception {
        var pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        var p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        var out = read(p.getInputStream());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("%s did not end", command).isTrue();
        return new Run(p.exitValue(), out);
    }

    static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    static String log() throws IOException {
        return Files.readString(tmp.resolve("memcached.log"));
    }

    /**
     * A Secret volume as kubelet writes it (pkg/volume/util/atomic_writer.go): the files live in a timestamped
     * directory, {@code ..data} links to it, and each file is a link through {@code ..data}; an update writes a new
     * directory and renames a new {@code ..data} link over the old one, so a reader sees every file old or every file
     * new. Readable by memcached's user here (the pod's fsGroup there).
     */
    static final class KubeletSecret {
        private KubeletSecret() {}

        static int generation;

        static void write(Path mount, Pki.Leaf leaf, Pki.Ca ca) throws IOException {
            Files.createDirectories(mount);
            Files.setPosixFilePermissions(mount, PosixFilePermissions.fromString("rwxr-xr-x"));
            var dir = mount.resolve("..2026_12_07_00_00_00." + (++generation));
            Files.createDirectory(dir);
            Files.copy(leaf.cert(), dir.resolve("tls.crt"));
            Files.copy(leaf.key(), dir.resolve("tls.key"));
            Files.copy(ca.cert(), dir.resolve("ca.crt"));
            for (var f : List.of("tls.crt", "tls.key", "ca.crt")) {
                Files.setPosixFilePermissions(dir.resolve(f), PosixFilePermissions.fromString("r--r--r--"));
            }
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
            var link = mount.resolve("..data_tmp");
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, dir.getFileName());
            Files.move(link, mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            for (var f : List.of("tls.crt", "tls.key", "ca.crt")) {
                if (!Files.isSymbolicLink(mount.resolve(f))) {
                    Files.createSymbolicLink(mount.resolve(f), Path.of("..data").resolve(f));
                }
            }
        }

        static Path current(Path mount) {
            return mount.resolve("tls.crt");
        }
    }
}
