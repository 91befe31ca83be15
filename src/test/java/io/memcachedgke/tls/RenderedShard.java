package io.memcachedgke.tls;

import static io.memcachedgke.support.Stacks.at;
import static io.memcachedgke.support.Stacks.container;
import static io.memcachedgke.support.Stacks.k8s;
import static org.assertj.core.api.Assertions.assertThat;

import io.memcachedgke.cache.Plan;
import io.memcachedgke.support.Stacks;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A shard as {@code prod} renders it, run here: Debian's memcached (built with TLS) with exactly the arguments the
 * StatefulSet renders, only the port, the memory and the certificates' directory moved to this machine's, on loopback
 * and as {@code nobody} (memcached refuses to run as root without {@code -u}; CI runs as root). The one place the TLS
 * tests (TlsRunTest, TlsExporterIT, ProbeScriptTlsRunTest, the operator tools' TlsShards) start one.
 */
public final class RenderedShard {
    public static final String LOOPBACK = "127.0.0.1";

    private RenderedShard() {}

    /** The memcached arguments of prod's StatefulSet, checked to be the mutual-TLS ones. */
    public static List<String> args() {
        @SuppressWarnings("unchecked")
        var rendered = (List<String>) container(k8s(Stacks.render("prod"), "StatefulSet", "mycache-memcached")).get("args");
        assertThat(rendered).as("prod's shards serve mutual TLS").contains("-Z");
        assertThat(String.join(" ", rendered)).contains("ssl_verify_mode=2");
        return List.copyOf(rendered);
    }

    /** The names prod's shard Certificate ({@code mycache-memcached-tls}) carries. */
    public static List<String> serverNames() {
        return Stacks.ofType(Stacks.render("prod"), "kubernetes:cert-manager.io/v1:Certificate").stream()
            .map(r -> r.inputs())
            .filter(c -> at(c, "metadata.name").equals("mycache-memcached-tls"))
            .<List<String>>map(c -> at(c, "spec.dnsNames")).findFirst()
            .orElseThrow(() -> new AssertionError("no Certificate mycache-memcached-tls in the prod render"));
    }

    /**
     * The command line of a shard with {@code rendered} arguments: the certificates read from {@code certDir} (where
     * the render mounts them, {@link Plan#TLS_DIR}), listening on {@code port}, 64 MiB.
     */
    public static List<String> command(List<String> rendered, Path certDir, int port) {
        var command = new ArrayList<String>(List.of(require("memcached").toString()));
        for (int i = 0; i < rendered.size(); i++) {
            var a = rendered.get(i).replace(Plan.TLS_DIR, certDir.toString());
            command.add(a);
            if (a.equals("-p")) {
                command.add(Integer.toString(port));
                i++;
            } else if (a.equals("-m")) {
                command.add("64");
                i++;
            }
        }
        command.addAll(List.of("-l", LOOPBACK, "-u", "nobody"));
        return command;
    }

    /** Starts {@code command}, its output in {@code log}, and returns once something listens on {@code port}. */
    public static Process start(List<String> command, int port, Path log) throws Exception {
        var process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitPort(process, port, log);
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
        return process;
    }

    /** Returns once {@code process} listens on {@code port}; fails with its log if it exits or 15 s pass. */
    public static void awaitPort(Process process, int port, Path log) throws Exception {
        var deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(process.info().command().orElse("?") + " exited with "
                    + process.exitValue() + ": " + Files.readString(log));
            }
            try (var s = new Socket()) {
                s.connect(new InetSocketAddress(LOOPBACK, port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("nothing listens on " + port + ": " + Files.readString(log));
    }

    public static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return s.getLocalPort();
        }
    }

    /** A program on the PATH; fails naming the Debian package that has it. */
    public static Path require(String program) {
        for (var dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            var candidate = Path.of(dir).resolve(program);
            if (Files.isExecutable(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException(program + " is not on the PATH (Debian: apt-get install -y " + program + ")");
    }
}
