package io.memcachedgke.routing;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The memcached servers the proxies share, by {@code host:port}, on one {@link VirtualClock}: each a map of
 * key to value with an expiry, serving what stock memcached 1.6 does for the modelled operations
 * (replies as mcrouter's ASCII parser reads them: {@code mcrouter/lib/network/McAsciiParser.rl} lines 178-180,
 * 223, 330-333, 356, 425).
 *
 * <p>No memory limit, so no eviction: an item leaves only by {@code delete}, its expiry, or {@link #replace}
 * (a pod deleted and created again). Servers appear on first use, empty, as a new StatefulSet pod does.
 */
final class MemcachedModel {
    /** memcached's {@code REALTIME_MAXDELTA}: a larger exptime is a Unix time. */
    static final long MAX_RELATIVE_EXPTIME = 30L * 24 * 3600;

    private final VirtualClock clock;
    private final Map<String, Server> servers = new LinkedHashMap<>();

    MemcachedModel(VirtualClock clock) {
        this.clock = clock;
    }

    VirtualClock clock() {
        return clock;
    }

    Server server(String hostPort) {
        return servers.computeIfAbsent(hostPort, Server::new);
    }

    /** A pod deleted and created again (a scale-down then up): the server restarts empty. */
    void replace(String hostPort) {
        servers.put(hostPort, new Server(hostPort));
    }

    private record Item(String value, long expiresAt, long cas) {}

    /** One memcached. */
    final class Server {
        final String name;
        private final Map<String, Item> items = new HashMap<>();
        private long nextCas = 1;
        /** A server that cannot be reached: every request fails as a connection error would. */
        boolean down;

        private Server(String name) {
            this.name = name;
        }

        /** memcached's {@code realtime()}: 0 never expires, up to 30 days relative, beyond that a Unix time, negative at once. */
        private long expiresAt(long exptime) {
            if (exptime == 0) {
                return 0;
            }
            if (exptime < 0) {
                return clock.now();
            }
            return exptime > MAX_RELATIVE_EXPTIME ? exptime : clock.now() + exptime;
        }

        private Optional<Item> live(String key) {
            var item = items.get(key);
            if (item == null) {
                return Optional.empty();
            }
            if (item.expiresAt() != 0 && item.expiresAt() <= clock.now()) {
                items.remove(key);
                return Optional.empty();
            }
            return Optional.of(item);
        }

        private void store(String key, String value, long expiresAt) {
            items.put(key, new Item(value, expiresAt, nextCas++));
        }

        Reply serve(Request req) {
            if (down) {
                return Reply.of(Result.CONNECT_ERROR);
            }
            var item = live(req.key());
            return switch (req.op()) {
                case "get", "gets" -> item.map(i -> new Reply(Result.FOUND, i.value(), i.cas()))
                    .orElse(Reply.of(Result.NOTFOUND));
                case "set" -> {
                    store(req.key(), req.value(), expiresAt(req.exptime()));
                    yield Reply.of(Result.STORED);
                }
                case "add" -> {
                    if (item.isPresent()) {
                        yield Reply.of(Result.NOTSTORED);
                    }
                    store(req.key(), req.value(), expiresAt(req.exptime()));
                    yield Reply.of(Result.STORED);
                }
                case "cas" -> {
                    if (item.isEmpty()) {
                        yield Reply.of(Result.NOTFOUND);
                    }
                    if (item.get().cas() != req.casToken()) {
                        yield Reply.of(Result.EXISTS);
                    }
                    store(req.key(), req.value(), expiresAt(req.exptime()));
                    yield Reply.of(Result.STORED);
                }
                case "delete" -> {
                    if (item.isEmpty()) {
                        yield Reply.of(Result.NOTFOUND);
                    }
                    items.remove(req.key());
                    yield Reply.of(Result.DELETED);
                }
                case "incr" -> {
                    if (item.isEmpty()) {
                        yield Reply.of(Result.NOTFOUND);
                    }
                    // memcached changes the number in place: the item keeps its expiry
                    var next = Long.toUnsignedString(Long.parseUnsignedLong(item.get().value()) + req.delta());
                    store(req.key(), next, item.get().expiresAt());
                    yield new Reply(Result.STORED, next, 0);
                }
                case "touch" -> {
                    if (item.isEmpty()) {
                        yield Reply.of(Result.NOTFOUND);
                    }
                    items.put(req.key(), new Item(item.get().value(), expiresAt(req.exptime()), item.get().cas()));
                    yield Reply.of(Result.TOUCHED);
                }
                default -> throw new IllegalArgumentException("not modelled: " + req.op());
            };
        }

        /** The live value, read directly (no proxy): for the tests' own checks. */
        Optional<String> peek(String key) {
            return live(key).map(Item::value);
        }

        /** The live item's absolute expiry (0 = never), read directly. */
        Optional<Long> expiresAtOf(String key) {
            return live(key).map(Item::expiresAt);
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
