package io.memcachedgke.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Shards that serve mutual TLS as prod's do, for the offline tests of the operator tools: Debian's memcached (built
 * with TLS) run with the arguments the {@code prod} render gives its StatefulSet (only the port, the memory, the user
 * it drops to and the certificates' directory moved to this machine's), with certificates made by openssl the way
 * cert-manager makes the program's (ECDSA P-256; the server's for the names of prod's {@code mycache-memcached-tls}
 * Certificate and nothing else, clients' with clientAuth; each leaf's directory holding {@code tls.crt},
 * {@code tls.key} and {@code ca.crt} as its Secret does).
 */
final class TlsShards implements AutoCloseable {
    static final String LOOPBACK = "127.0.0.1";
    /** Where the render mounts the shards' certificate. */
    static final String MOUNT = "/etc/memcached-gke/tls";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path GOLDEN_PROD = Paths.get("").toAbsolutePath().resolve("src/test/resources/golden/prod/resources.json");

    private final Path dir;
    private final List<Process> processes = new ArrayList<>();
    private int serial;
    final Path caCert;
    private final Path caKey;
    /** The names prod's shard certificate carries. */
    final List<String> serverNames;
    final Path server;

    TlsShards(Path dir) throws Exception {
        ScriptSandbox.require("openssl", "Debian: apt-get install -y openssl");
        this.dir = readable(Files.createDirectories(dir));
        var ca = readable(Files.createDirectories(dir.resolve("ca")));
        openssl(ca, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key",
            "-out", "ca.crt", "-days", "2", "-subj", "/CN=mycache-ca", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        caCert = ca.resolve("ca.crt");
        caKey = ca.resolve("ca.key");
        serverNames = renderedServerNames();
        server = leaf(dir.resolve("memcached"), "mycache-memcached", true, serverNames);
    }

    /** A client certificate of this CA, in {@code target} (tls.crt, tls.key, ca.crt). */
    Path client(Path target, String name) throws Exception {
        return leaf(target, name, false, List.of());
    }

    /** A client certificate of another CA (same names of files). */
    static Path stranger(Path target) throws Exception {
        var other = new TlsShards(target.resolveSibling(target.getFileName() + "-ca"));
        return other.client(target, "someone");
    }

    /** A shard on a free loopback port, with the StatefulSet's rendered TLS arguments; its port. */
    int start() throws Exception {
        var memcached = ScriptSandbox.require("memcached", "Debian: apt-get install -y memcached");
        var port = ScriptSandbox.freePort();
        var args = new ArrayList<String>(List.of(memcached.toString()));
        var rendered = renderedArgs();
        assertThat(rendered).as("prod's memcached serves mutual TLS").contains("-Z");
        for (int i = 0; i < rendered.size(); i++) {
            var a = rendered.get(i).replace(MOUNT, server.toString());
            args.add(a);
            if (a.equals("-p")) {
                args.add(Integer.toString(port));
                i++;
            } else if (a.equals("-m")) {
                args.add("64");
                i++;
            }
        }
        // On loopback only, and as nobody: memcached refuses to run as root without -u (CI runs as root).
        args.addAll(List.of("-l", LOOPBACK, "-u", "nobody"));
        var log = dir.resolve("memcached-" + port + ".log");
        var p = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        for (int i = 0; i < 200; i++) {
            if (!p.isAlive()) {
                throw new IllegalStateException("memcached exited with " + p.exitValue() + ": " + Files.readString(log));
            }
            try (var s = new Socket()) {
                s.connect(new InetSocketAddress(LOOPBACK, port), 200);
                return port;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("memcached did not listen on " + port + ": " + Files.readString(log));
    }

    /** A process this fixture stops at the end (a proxy stand-in). */
    void own(Process p) {
        processes.add(p);
    }

    @Override
    public void close() {
        for (var p : processes) {
            p.destroy();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static List<String> renderedArgs() throws IOException {
        for (var r : JSON.readTree(GOLDEN_PROD.toFile())) {
            if (r.get("type").asText().equals("kubernetes:apps/v1:StatefulSet")) {
                var args = new ArrayList<String>();
                r.at("/inputs/spec/template/spec/containers/0/args").forEach(a -> args.add(a.asText()));
                return args;
            }
        }
        throw new AssertionError("no StatefulSet in the prod render");
    }

    private static List<String> renderedServerNames() throws IOException {
        for (JsonNode r : JSON.readTree(GOLDEN_PROD.toFile())) {
            if (r.get("type").asText().equals("kubernetes:cert-manager.io/v1:Certificate")
                    && r.at("/inputs/metadata/name").asText().equals("mycache-memcached-tls")) {
                var names = new ArrayList<String>();
                r.at("/inputs/spec/dnsNames").forEach(n -> names.add(n.asText()));
                return names;
            }
        }
        throw new AssertionError("no Certificate mycache-memcached-tls in the prod render");
    }

    private Path leaf(Path d, String name, boolean serverAuth, List<String> dnsNames) throws Exception {
        readable(Files.createDirectories(d));
        var ext = new StringBuilder()
            .append("basicConstraints=CA:FALSE\n")
            .append("keyUsage=critical,digitalSignature,keyEncipherment\n")
            .append("extendedKeyUsage=").append(serverAuth ? "serverAuth" : "clientAuth").append('\n');
        if (!dnsNames.isEmpty()) {
            ext.append("subjectAltName=").append(String.join(",", dnsNames.stream().map(n -> "DNS:" + n).toList())).append('\n');
        }
        Files.writeString(d.resolve("ext.cnf"), ext.toString());
        openssl(d, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "tls.key",
            "-out", "tls.csr", "-subj", "/CN=" + name);
        openssl(d, "x509", "-req", "-in", "tls.csr", "-CA", caCert.toString(), "-CAkey", caKey.toString(),
            "-set_serial", Integer.toString(1000 + ++serial), "-days", "1", "-out", "tls.crt", "-extfile", "ext.cnf");
        Files.copy(caCert, d.resolve("ca.crt"));
        for (var f : List.of("tls.crt", "tls.key", "ca.crt")) {
            Files.setPosixFilePermissions(d.resolve(f), PosixFilePermissions.fromString("r--r--r--"));
        }
        return d;
    }

    /** memcached reads its files as nobody. */
    private static Path readable(Path d) throws IOException {
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        return d;
    }

    private static void openssl(Path cwd, String... args) throws Exception {
        var command = new ArrayList<String>(List.of("openssl"));
        command.addAll(List.of(args));
        var p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + out);
        }
    }
}
