package io.memcachedgke.scripts;

import io.memcachedgke.tls.Pki;
import io.memcachedgke.tls.RenderedShard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Shards that serve mutual TLS as prod's do, for the offline tests of the operator tools: {@link RenderedShard}s
 * (Debian's memcached with the arguments the {@code prod} render gives its StatefulSet), with certificates from
 * {@link Pki} the way cert-manager makes the program's: the server's for the names of prod's
 * {@code mycache-memcached-tls} Certificate and nothing else (not 127.0.0.1), clients' with clientAuth, each leaf's
 * directory holding {@code tls.crt}, {@code tls.key} and {@code ca.crt} as its Secret does.
 */
final class TlsShards implements AutoCloseable {
    private final Path dir;
    private final Pki pki;
    private final Pki.Ca ca;
    private final List<String> rendered = RenderedShard.args();
    private final List<Process> processes = new ArrayList<>();
    final Path server;

    TlsShards(Path dir) throws Exception {
        ScriptSandbox.require("openssl", "Debian: apt-get install -y openssl");
        this.dir = Files.createDirectories(dir);
        // memcached reads its files as nobody.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        pki = new Pki(dir.resolve("pki"));
        ca = pki.ca("mycache-ca");
        server = pki.leaf(dir.resolve("memcached"), ca, "mycache-memcached", true, RenderedShard.serverNames(), false).dir();
    }

    /** A client certificate of this CA, in {@code target} (tls.crt, tls.key, ca.crt). */
    Path client(Path target, String name) throws Exception {
        return pki.leaf(target, ca, name, false, List.of(), false).dir();
    }

    /** A client certificate of another CA (same names of files). */
    static Path stranger(Path target) throws Exception {
        var other = new Pki(target.resolveSibling(target.getFileName() + "-ca"));
        return other.leaf(target, other.ca("another-ca"), "someone", false, List.of(), false).dir();
    }

    /** A shard on a free loopback port, with the StatefulSet's rendered TLS arguments; its port. */
    int start() throws Exception {
        var port = RenderedShard.freePort();
        processes.add(RenderedShard.start(RenderedShard.command(rendered, server, port), port,
            dir.resolve("memcached-" + port + ".log")));
        return port;
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
}
