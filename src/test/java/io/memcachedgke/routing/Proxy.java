package io.memcachedgke.routing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import io.memcachedgke.routing.RouteModel.MigrateMode;
import io.memcachedgke.routing.RouteModel.Route;

/**
 * One mcrouter: the route tree of the config it last loaded, over the shared {@link MemcachedModel}, and its
 * queue of asynchronous requests (WarmUpRoute's copies, {@code folly::fibers::addTask}). By default the queue
 * runs after each client request, before the next: one client at a time. {@link #deferAsync} holds them so a
 * test can interleave another client's request first.
 */
final class Proxy {
    final String name;
    private final MemcachedModel servers;
    private final SwitchHash switchHash;
    private final MigrateMode migrateMode;
    private final Deque<Runnable> pending = new ArrayDeque<>();
    /** Seconds this proxy's wall clock is ahead of the shared clock (negative: behind). */
    long clockSkew;
    boolean deferAsync;
    private Route route;
    private Map<String, List<String>> pools;
    private String configJson;

    Proxy(String name, MemcachedModel servers, SwitchHash switchHash, MigrateMode migrateMode) {
        this.name = name;
        this.servers = servers;
        this.switchHash = switchHash;
        this.migrateMode = migrateMode;
    }

    Proxy(String name, MemcachedModel servers) {
        this(name, servers, SwitchHash.SPOOKY_V2, MigrateMode.PER_KEY);
    }

    /** Loads a config, as mcrouter does when the mounted file changes; queued copies stay queued. */
    Proxy load(String json) {
        var interpreter = new ConfigInterpreter(servers, () -> servers.clock().now() + clockSkew, switchHash,
            migrateMode, pending::add);
        route = interpreter.parse(json);
        pools = interpreter.pools();
        configJson = json;
        return this;
    }

    String configJson() {
        return configJson;
    }

    Map<String, List<String>> pools() {
        return pools;
    }

    Route route() {
        return route;
    }

    Reply send(Request req) {
        var reply = route.route(req);
        if (!deferAsync) {
            drain();
        }
        return reply;
    }

    /** Runs the queued asynchronous requests. */
    int drain() {
        int n = 0;
        while (!pending.isEmpty()) {
            pending.poll().run();
            n++;
        }
        return n;
    }

    int pendingCount() {
        return pending.size();
    }

    @Override
    public String toString() {
        return name;
    }
}
