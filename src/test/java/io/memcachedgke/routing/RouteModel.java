package io.memcachedgke.routing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import io.memcachedgke.hash.Ch3;

/**
 * The route handles the generated {@code config.json} uses, modelled from upstream mcrouter (git mirror HEAD
 * {@code 9d7f4342}; file:line cited on each). Requests run one at a time: where upstream sends to several
 * children at once and keeps replies in completion order, the model completes them in list order.
 */
final class RouteModel {
    private RouteModel() {}

    /** A route handle: {@code route(req)} returns the reply the client (or the parent) sees. */
    interface Route {
        Reply route(Request req);
    }

    /**
     * One server of a pool. {@code mcrouter/routes/DestinationRoute.h:120-126}: a delete whose reply is a
     * failover error is spooled to the asynclog and answered with the default reply, NOTFOUND
     * ({@code spoolAsynclog} returns true whenever an asynclog name is set, which PoolRoute sets by default:
     * {@code McRouteHandleProvider-inl.h:754-792}).
     */
    record DestinationRoute(MemcachedModel.Server server) implements Route {
        @Override
        public Reply route(Request req) {
            var reply = server.serve(req);
            if (req.deleteLike() && reply.result().isFailoverError()) {
                return Reply.defaultFor(req);
            }
            return reply;
        }
    }

    /**
     * {@code PoolRoute}: a HashRoute over the pool's servers with ch3 ({@code McRouteHandleProvider-inl.h:666-810},
     * default hash {@code HashRouteFactory.h:115}, a pool of one is that server {@code HashRouteFactory.h:138-160},
     * {@code Ch3HashFunc.h:21-44} over the routing key {@code HashSelector.h:33-81}). The index is memoised per
     * key: upstream caches the last hash per request ({@code reuseLastHash}), and ch3 is deterministic.
     */
    static final class PoolRoute implements Route {
        final String pool;
        final List<DestinationRoute> servers;
        private final Map<String, Integer> index = new HashMap<>();

        PoolRoute(String pool, List<DestinationRoute> servers) {
            if (servers.isEmpty()) {
                throw new IllegalArgumentException("pool " + pool + " has no server (upstream: ErrorRoute)");
            }
            this.pool = pool;
            this.servers = List.copyOf(servers);
        }

        int indexOf(String key) {
            return index.computeIfAbsent(key, k -> Ch3.serverIndex(k, servers.size()));
        }

        MemcachedModel.Server serverOf(String key) {
            return servers.get(indexOf(key)).server();
        }

        @Override
        public Reply route(Request req) {
            return servers.get(indexOf(req.key())).route(req);
        }

        @Override
        public String toString() {
            return "PoolRoute|" + pool;
        }
    }

    /**
     * {@code AllSyncRoute}: {@code mcrouter/lib/routes/AllSyncRoute.h:25-69}: every child, wait for all, answer the
     * worst reply ({@code worseThan}); a reply replaces the kept one only if strictly worse, so on a tie the
     * first completed wins (here: the first child). Factory {@code AllSyncRouteFactory.h:23-53}: no child is a
     * NullRoute, one child is that child (handled by {@link ConfigInterpreter}).
     */
    record AllSyncRoute(List<Route> children) implements Route {
        @Override
        public Reply route(Request req) {
            Reply kept = null;
            for (var child : children) {
                var reply = child.route(req);
                if (kept == null || reply.result().worseThan(kept.result())) {
                    kept = reply;
                }
            }
            return kept;
        }
    }

    /**
     * {@code OperationSelectorRoute}: {@code mcrouter/routes/OperationSelectorRoute.h:63-73}: the policy of the
     * request's operation, else {@code default_policy}, else a default-constructed reply (result UNKNOWN,
     * {@code carbon_result.thrift:17-18}).
     */
    record OperationSelectorRoute(Map<String, Route> operationPolicies, Route defaultPolicy) implements Route {
        @Override
        public Reply route(Request req) {
            var policy = operationPolicies.get(req.op());
            if (policy != null) {
                return policy.route(req);
            }
            if (defaultPolicy != null) {
                return defaultPolicy.route(req);
            }
            return Reply.of(Result.UNKNOWN);
        }
    }

    /** Which MigrateRoute: upstream HEAD (per-key switch) or mcrouter 0.36 (every key at once). */
    enum MigrateMode {
        /** HEAD {@code MigrateRoute.h:154-186}: a key switches at {@code start + interval + hash % interval}. */
        PER_KEY,
        /** {@code v0.36.0:mcrouter/lib/routes/MigrateRoute.h:135-146}: every non-delete switches at {@code start + interval}. */
        ALL_AT_ONCE_V0_36
    }

    /**
     * {@code MigrateRoute}: {@code mcrouter/lib/routes/MigrateRoute.h} (route 112-142, masks 154-179, switch time
     * 182-186); factory {@code mcrouter/routes/MigrateRouteFactory.h:42-65}. "Now" is read once per request.
     * The lease-set special case (85-110) is not modelled: no lease operations here.
     */
    static final class MigrateRoute implements Route {
        final Route from;
        final Route to;
        final long startTime;
        final long interval;
        private final LongSupplier now;
        private final SwitchHash hash;
        private final MigrateMode mode;

        MigrateRoute(Route from, Route to, long startTime, long interval, LongSupplier now, SwitchHash hash,
                     MigrateMode mode) {
            if (interval <= 0) {
                // upstream does not check: interval 0 divides by zero in migrationTime()
                throw new IllegalArgumentException("MigrateRoute interval must be positive: " + interval);
            }
            this.from = from;
            this.to = to;
            this.startTime = startTime;
            this.interval = interval;
            this.now = now;
            this.hash = hash;
            this.mode = mode;
        }

        private static final int FROM = 1;
        private static final int TO = 2;

        /** {@code migrationTime(req)}: lines 182-186; {@code routingKeyHash()} is unsigned 32-bit. */
        long migrationTime(String key) {
            if (mode == MigrateMode.ALL_AT_ONCE_V0_36) {
                return startTime + interval;
            }
            return startTime + interval + Integer.toUnsignedLong(hash.hash32(key)) % interval;
        }

        int routeMask(long t, Request req) {
            if (req.deleteLike()) {
                // lines 154-166 (v0.36: 119-133, the same)
                if (t < startTime) {
                    return FROM;
                }
                if (t < startTime + 2 * interval) {
                    return FROM | TO;
                }
                return TO;
            }
            // lines 169-179 (v0.36: 135-146, with migrationTime = start + interval)
            return t < migrationTime(req.key()) ? FROM : TO;
        }

        @Override
        public Reply route(Request req) {
            return switch (routeMask(now.getAsLong(), req)) {
                case FROM -> from.route(req);
                case TO -> to.route(req);
                // both, the worst reply: lines 125-139, the same fold as AllSyncRoute
                default -> new AllSyncRoute(List.of(from, to)).route(req);
            };
        }
    }

    /**
     * {@code WarmUpRoute}: {@code mcrouter/routes/WarmUpRoute.h}; factory {@code mcrouter/routes/WarmUpRoute.cpp:29-54}.
     * <ul>
     *   <li>get (lines 90-108): cold; on anything but a hit, warm; on a warm hit an asynchronous {@code add} of
     *       the value to cold ({@code folly::fibers::addTask}) with the exptime for cold, and the warm reply;
     *   <li>gets (151-171): cold; on a miss a plain get to warm; on a hit a synchronous add to cold, then the
     *       gets again on cold;
     *   <li>everything else (214-219): cold only.
     * </ul>
     * The exptime for cold ({@code getExptimeForCold}, 226-236) is the configured one; without it (only when
     * {@code enable_metaget} is true) upstream asks warm with {@code metaget}, which stock memcached does not
     * serve, so {@code getExptimeFromRoute} ({@code RoutingUtils.h:37-56}) fails and nothing is copied.
     * lease-get, metaget and gat are not modelled.
     */
    static final class WarmUpRoute implements Route {
        final Route cold;
        final Route warm;
        final Optional<Long> exptime;
        private final Consumer<Runnable> async;

        WarmUpRoute(Route cold, Route warm, Optional<Long> exptime, Consumer<Runnable> async) {
            this.cold = cold;
            this.warm = warm;
            this.exptime = exptime;
            this.async = async;
        }

        @Override
        public Reply route(Request req) {
            return switch (req.op()) {
                case "get" -> get(req);
                case "gets" -> gets(req);
                default -> cold.route(req);
            };
        }

        private Reply get(Request req) {
            var coldReply = cold.route(req);
            if (coldReply.hit()) {
                return coldReply;
            }
            var warmReply = warm.route(req);
            if (warmReply.hit() && exptime.isPresent()) {
                var add = Request.add(req.key(), warmReply.value(), exptime.get());
                async.accept(() -> cold.route(add));
            }
            return warmReply;
        }

        private Reply gets(Request req) {
            var coldReply = cold.route(req);
            if (coldReply.hit()) {
                return coldReply;
            }
            var warmReply = warm.route(Request.get(req.key()));
            if (warmReply.hit() && exptime.isPresent()) {
                cold.route(Request.add(req.key(), warmReply.value(), exptime.get()));
                return cold.route(req);
            }
            return coldReply;
        }
    }
}
