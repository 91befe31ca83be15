package io.memcachedgke.probe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.net.SocketFactory;

/**
 * A stand-in for one mcrouter pod in the probe scripts' tests: it answers mcrouter's admin requests
 * ({@code get __mcrouter__.config_md5_digest}, {@code get __mcrouter__.options(config_params)}: mcrouter/ServiceInfo-inl.h)
 * from settable values and forwards get, set and delete to real memcached processes, the way a route decides:
 * gets to the first server a key routes to, sets and deletes to all of them (as AllSyncRoute does during a move).
 * Multi-gets and pipelined requests work as they do with mcrouter. Loopback only; stopped with {@link #close()}.
 */
final class FakeMcrouter implements AutoCloseable {
    private final ServerSocket server;
    private volatile String digest;
    private volatile String params;
    private volatile Function<String, List<Integer>> route;
    /** How it dials a shard: plain sockets, or TLS with the proxies' client certificate (mcrouter's use_ssl pool). */
    private volatile SocketFactory dialer = SocketFactory.getDefault();
    private final List<Socket> open = new ArrayList<>();

    /**
     * @param digest what it reports as its config's MD5
     * @param params its {@code config_params} option, e.g. {@code node_name:node-a,template:abc}
     * @param route  a key to the ports of the memcached servers it goes to (gets: the first)
     */
    FakeMcrouter(String digest, String params, Function<String, List<Integer>> route) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        this.digest = digest;
        this.params = params;
        this.route = route;
        var acceptor = new Thread(this::accept, "fake-mcrouter-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    String address() {
        return "127.0.0.1:" + port();
    }

    void digest(String v) {
        digest = v;
    }

    void route(Function<String, List<Integer>> v) {
        route = v;
    }

    void dialer(SocketFactory v) {
        dialer = v;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                var s = server.accept();
                synchronized (open) {
                    open.add(s);
                }
                var t = new Thread(() -> serve(s));
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))) {
            OutputStream out = s.getOutputStream();
            for (String line; (line = in.readLine()) != null; ) {
                var words = line.trim().split(" +");
                String reply;
                switch (words[0]) {
                    case "quit" -> {
                        return;
                    }
                    case "get" -> reply = get(words);
                    case "set" -> {
                        var data = in.readLine();
                        reply = toAll(words[1], line + "\r\n" + data + "\r\n");
                    }
                    case "delete" -> reply = toAll(words[1], line + "\r\n");
                    default -> reply = "ERROR\r\n";
                }
                out.write(reply.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private String get(String[] words) throws IOException {
        if (words.length == 2 && words[1].startsWith("__mcrouter__.")) {
            var value = switch (words[1]) {
                case "__mcrouter__.config_md5_digest" -> digest;
                case "__mcrouter__.options(config_params)" -> params;
                default -> "ERROR: unknown command";
            };
            return "VALUE " + words[1] + " 0 " + value.length() + "\r\n" + value + "\r\nEND\r\n";
        }
        var sb = new StringBuilder();
        for (int i = 1; i < words.length; i++) {
            var reply = Memcached.ask(dialer, route.apply(words[i]).get(0), "get " + words[i] + "\r\n");
            sb.append(reply, 0, reply.length() - "END\r\n".length());
        }
        return sb.append("END\r\n").toString();
    }

    /** AllSyncRoute: every server gets it; the worst reply wins (an error over NOT_FOUND over success). */
    private String toAll(String key, String request) throws IOException {
        String worst = null;
        for (int port : route.apply(key)) {
            String reply;
            try {
                reply = Memcached.ask(dialer, port, request);
            } catch (IOException e) {
                reply = "SERVER_ERROR connection error\r\n";
            }
            if (worst == null || severity(reply) > severity(worst)) {
                worst = reply;
            }
        }
        return worst;
    }

    private static int severity(String reply) {
        return reply.startsWith("SERVER_ERROR") ? 5 : reply.startsWith("NOT_") ? 4 : 1;
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (open) {
            for (var s : open) {
                s.close();
            }
        }
    }

    /** One request to a local memcached and its whole reply. */
    static final class Memcached {
        static String ask(int port, String request) throws IOException {
            return ask(SocketFactory.getDefault(), port, request);
        }

        static String ask(SocketFactory dialer, int port, String request) throws IOException {
            try (var s = dialer.createSocket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                s.setSoTimeout(3000);
                s.getOutputStream().write((request + "quit\r\n").getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                var reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                if (reply.isEmpty()) {
                    // memcached answers every request; nothing back is a failed connection (a TLS shard dialled in
                    // plain text closes it), which mcrouter reports as an error.
                    throw new IOException("127.0.0.1:" + port + " closed the connection without a reply");
                }
                return reply;
            }
        }
    }
}
