package io.memcachedgke.sizing;

import static io.memcachedgke.support.Stacks.container;
import static io.memcachedgke.support.Stacks.k8s;
import static io.memcachedgke.support.Stacks.value;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import io.memcachedgke.render.Rendering;
import io.memcachedgke.support.Stacks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The memory model against a real memcached (Debian's): started with exactly the arguments the
 * rendered StatefulSet gives, filled far past {@code -m} with small and large values over as many
 * connections as the model budgets, it must evict, stay up, and keep its resident memory at least 10%
 * under the rendered container limit. Only loopback traffic; every loop is bounded.
 */
class MemcachedUnderLoadTest {
    private static final Path MEMCACHED = Path.of("/usr/bin/memcached");
    private static final int SMALL = 100;
    private static final int LARGE = 100 * 1024;
    private static final int THREADS = 8;
    private static final int BATCH = 100;

    private Process server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    record Figures(int itemMiB, int connections, int threads, int limitMiB, long rssMiB, long evictions,
                   int held, double seconds) {}

    @Test
    void devMemcachedFilledPastItsItemMemoryStaysUnderTheRenderedLimit() throws Exception {
        var sts = k8s(Stacks.render("dev"), "StatefulSet", "mycache-memcached");
        var c = container(sts);
        @SuppressWarnings("unchecked")
        var args = (List<String>) c.get("args");
        assertThat(c.get("command")).isEqualTo(List.of("memcached"));
        int limitMiB = mebibytes((String) value(c, "resources.limits.memory"));
        var f = fill(args, limitMiB);
        assertUnderLimit(f);
    }

    @Test
    void prodShapedMemcachedStaysUnderTheModelsLimit() throws Exception {
        // prod's -m is 22 GiB, more than this machine has: keep prod's -c and -t, scale -m down to 512 and take
        // the limit the model gives for that shape.
        Rendering prod = Stacks.render("prod");
        var c = container(k8s(prod, "StatefulSet", "mycache-memcached"));
        @SuppressWarnings("unchecked")
        var args = new ArrayList<>((List<String>) c.get("args"));
        // Plain text here (the fill is a plain client): TLS's per-connection buffers are the model's upper bound on top
        // (MemcachedSizing.TLS_CONNECTION_KIB); TlsRunTest runs the rendered TLS flags themselves.
        int z = args.indexOf("-Z");
        if (z >= 0) {
            args.subList(z, z + 3).clear();
        }
        args.set(args.indexOf("-m") + 1, "512");
        int cpuMillis = Integer.parseInt(((String) value(c, "resources.requests.cpu")).replace("m", ""));
        int maxConnections = Integer.parseInt(args.get(args.indexOf("-c") + 1));
        var sizing = MemcachedSizing.of(512, cpuMillis, maxConnections);
        assertThat(args.get(args.indexOf("-t") + 1)).isEqualTo(Integer.toString(sizing.threads()));
        assertUnderLimit(fill(args, sizing.limitMiB()));
    }

    private static void assertUnderLimit(Figures f) {
        System.out.printf("memcached under load: -m %d -c %d -t %d, limit %d MiB, RSS at full %d MiB (%.0f%% of limit), "
                + "evictions %d, connections held %d, %.1f s%n", f.itemMiB(), f.connections(), f.threads(), f.limitMiB(),
            f.rssMiB(), 100.0 * f.rssMiB() / f.limitMiB(), f.evictions(), f.held(), f.seconds());
        assertThat(f.evictions()).as("it really filled").isPositive();
        assertThat(f.rssMiB()).as("resident memory with 10%% to spare under the %d MiB limit", f.limitMiB())
            .isLessThanOrEqualTo((long) (f.limitMiB() * 0.9));
    }

    /** Starts memcached with {@code renderedArgs}, fills it and measures. */
    private Figures fill(List<String> renderedArgs, int limitMiB) throws Exception {
        assertThat(MEMCACHED).as("Debian's memcached is needed: apt-get install -y memcached (.ci/run does)").exists();
        long start = System.nanoTime();
        int port = freePort();
        var args = new ArrayList<String>();
        args.add(MEMCACHED.toString());
        args.addAll(renderedArgs);
        args.set(args.indexOf("-p") + 1, Integer.toString(port));   // a free loopback port instead of 11211
        args.addAll(List.of("-l", "127.0.0.1"));                    // loopback only
        if ("root".equals(System.getProperty("user.name"))) {
            args.addAll(List.of("-u", "nobody"));                   // memcached refuses to run as root without -u
        }
        server = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        waitForPort(port);

        int itemMiB = Integer.parseInt(renderedArgs.get(renderedArgs.indexOf("-m") + 1));
        int maxConnections = Integer.parseInt(renderedArgs.get(renderedArgs.indexOf("-c") + 1));
        int threads = Integer.parseInt(renderedArgs.get(renderedArgs.indexOf("-t") + 1));

        int clients;
        try (var probe = new Conn(port)) {
            assertThat(probe.set("hello", "world".getBytes(StandardCharsets.US_ASCII))).isEqualTo("STORED");
            assertThat(probe.get("hello")).isEqualTo("world");
            var stats = probe.stats();
            assertThat(stats.get("max_connections")).isEqualTo(Integer.toString(maxConnections));
            // -c counts memcached's own descriptors too (listeners, per-thread pipes): "reserved_fds".
            // memcached turns a connection away a few short of that ceiling; hold all it will keep.
            clients = maxConnections - Integer.parseInt(stats.get("reserved_fds")) - 8;
        }

        var conns = new ArrayList<Conn>();
        try {
            for (int i = 0; i < clients; i++) {
                conns.add(new Conn(port));
            }
            // Twice -m in values: a quarter of the bytes in 100-byte items (the hash table's worst case), the
            // rest in 100 KiB items, spread over every connection by a bounded pool.
            long target = 2L * itemMiB * 1024 * 1024;
            long smallOps = target / 4 / SMALL;
            long largeOps = (target - smallOps * SMALL) / LARGE;
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                var futures = new ArrayList<Future<?>>();
                for (int t = 0; t < THREADS; t++) {
                    final int worker = t;
                    futures.add(pool.submit(() -> {
                        var mine = new ArrayList<Conn>();
                        for (int i = worker; i < conns.size(); i += THREADS) {
                            mine.add(conns.get(i));
                        }
                        byte[] small = new byte[SMALL];
                        byte[] large = new byte[LARGE];
                        Arrays.fill(small, (byte) 's');
                        Arrays.fill(large, (byte) 'L');
                        long n = 0;
                        // Small items in pipelined batches (the last one acknowledged), large ones one by one.
                        for (long op = (long) worker * BATCH; op < smallOps; op += (long) THREADS * BATCH, n++) {
                            expectStored(mine.get((int) (n % mine.size())).setMany("s" + op + "-", BATCH, small), op);
                        }
                        for (long op = worker; op < largeOps; op += THREADS, n++) {
                            expectStored(mine.get((int) (n % mine.size())).set("l" + op, large), op);
                        }
                        return null;
                    }));
                }
                for (var future : futures) {
                    future.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            // Measured while every connection is still open.
            long rssMiB = rssKiB(server.pid()) / 1024;
            assertThat(server.isAlive()).as("memcached stayed up").isTrue();
            var stats = conns.get(0).stats();
            assertThat(conns.get(conns.size() - 1).set("after", "ok".getBytes(StandardCharsets.US_ASCII))).isEqualTo("STORED");
            return new Figures(itemMiB, maxConnections, threads, limitMiB, rssMiB, Long.parseLong(stats.get("evictions")),
                conns.size(), (System.nanoTime() - start) / 1e9);
        } finally {
            for (var conn : conns) {
                conn.close();
            }
        }
    }

    private static void expectStored(String reply, long op) {
        if (!"STORED".equals(reply)) {
            throw new IllegalStateException("set " + op + ": " + reply);
        }
    }

    private static int mebibytes(String quantity) {
        assertThat(quantity).endsWith("Mi");
        return Integer.parseInt(quantity.substring(0, quantity.length() - 2));
    }

    private static long rssKiB(long pid) throws IOException {
        for (var line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void waitForPort(int port) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (!server.isAlive()) {
                throw new IllegalStateException("memcached exited at start with " + server.exitValue());
            }
            try (var s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("memcached did not listen on " + port);
    }

    /** One memcached ASCII-protocol connection. */
    static final class Conn implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;

        Conn(int port) throws IOException {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
            out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            in = new BufferedInputStream(socket.getInputStream());
        }

        String set(String key, byte[] value) throws IOException {
            out.write(("set " + key + " 0 0 " + value.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(value);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return line();
        }

        /** {@code count} sets of {@code prefix<i>}, all but the last with noreply; returns the last reply. */
        String setMany(String prefix, int count, byte[] value) throws IOException {
                        for (int i = 0; i < count; i++) {
                out.write(("set " + prefix + i + " 0 0 " + value.length + (i < count - 1 ? " noreply" : "") + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
                out.write(value);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            return line();
        }

        String get(String key) throws IOException {
            out.write(("get " + key + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            var header = line();
            if (header.equals("END")) {
                return null;
            }
            var value = line();
            assertThat(line()).isEqualTo("END");
            return value;
        }

        Map<String, String> stats() throws IOException {
            out.write("stats\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            var stats = new HashMap<String, String>();
            for (var l = line(); !l.equals("END"); l = line()) {
                var parts = l.split(" ", 3);
                stats.put(parts[1], parts[2]);
            }
            return stats;
        }

        private String line() throws IOException {
            var sb = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed by memcached");
                }
                if (b != '\r') {
                    sb.append((char) b);
                }
            }
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
