package io.memcachedgke.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import io.memcachedgke.routing.RouteModel.AllSyncRoute;
import io.memcachedgke.routing.RouteModel.DestinationRoute;
import io.memcachedgke.routing.RouteModel.MigrateMode;
import io.memcachedgke.routing.RouteModel.MigrateRoute;
import io.memcachedgke.routing.RouteModel.OperationSelectorRoute;
import io.memcachedgke.routing.RouteModel.PoolRoute;
import io.memcachedgke.routing.RouteModel.Route;
import io.memcachedgke.routing.RouteModel.WarmUpRoute;

/**
 * Reads a {@code config.json} into {@link RouteModel} route handles, as mcrouter's config reader does for the
 * subset the program generates:
 * <ul>
 *   <li>{@code pools} (name to {@code {"servers": [...]}}, {@code mcrouter/PoolFactory.cpp:21-32}) and one
 *       {@code route} ({@code mcrouter/ProxyConfig-inl.h:61-100});
 *   <li>a string is the short form {@code Type|rest} ({@code mcrouter/lib/config/RouteHandleFactory-inl.h:144-156}),
 *       so {@code PoolRoute|A} is a PoolRoute of pool A; an object is {@code {"type": ...}}.
 * </ul>
 * Stricter than upstream on purpose: a field, route type, or pool option the model does not understand is an
 * error, never ignored, so that a change of the generated config cannot pass these tests unmodelled.
 */
final class ConfigInterpreter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MemcachedModel servers;
    private final LongSupplier now;
    private final SwitchHash switchHash;
    private final MigrateMode migrateMode;
    private final Consumer<Runnable> async;
    private final Map<String, List<String>> pools = new TreeMap<>();

    ConfigInterpreter(MemcachedModel servers, LongSupplier now, SwitchHash switchHash, MigrateMode migrateMode,
                      Consumer<Runnable> async) {
        this.servers = servers;
        this.now = now;
        this.switchHash = switchHash;
        this.migrateMode = migrateMode;
        this.async = async;
    }

    /** The route tree of {@code configJson}. */
    Route parse(String configJson) {
        JsonNode root;
        try {
            root = JSON.readTree(configJson);
        } catch (Exception e) {
            throw new IllegalArgumentException("config.json is not JSON: " + e.getMessage(), e);
        }
        onlyFields(root, "config", Set.of("pools", "route"));
        var jpools = require(root, "pools", "config");
        for (Iterator<Map.Entry<String, JsonNode>> it = jpools.fields(); it.hasNext(); ) {
            var pool = it.next();
            // no "weights" (WeightedCh3, McRouteHandleProvider-inl.h:694-699) nor other options: plain ch3 only
            onlyFields(pool.getValue(), "pool " + pool.getKey(), Set.of("servers"));
            var list = new ArrayList<String>();
            require(pool.getValue(), "servers", "pool " + pool.getKey()).forEach(s -> list.add(s.asText()));
            pools.put(pool.getKey(), list);
        }
        return route(require(root, "route", "config"));
    }

    /** The pools read by the last {@link #parse}. */
    Map<String, List<String>> pools() {
        return pools;
    }

    private Route route(JsonNode json) {
        if (json.isTextual()) {
            var text = json.asText();
            int pipe = text.indexOf('|');
            if (pipe < 0) {
                throw new IllegalArgumentException("route type not modelled: " + text);
            }
            var type = text.substring(0, pipe);
            var rest = text.substring(pipe + 1);
            if (type.equals("PoolRoute")) {
                return poolRoute(rest);
            }
            throw new IllegalArgumentException("short form not modelled: " + text);
        }
        if (!json.isObject()) {
            throw new IllegalArgumentException("a route is a string or an object: " + json);
        }
        var type = require(json, "type", "route").asText();
        return switch (type) {
            case "PoolRoute" -> {
                // McRouteHandleProvider-inl.h:666-680: "pool" names the pool (an inline pool object is not modelled)
                onlyFields(json, type, Set.of("type", "pool"));
                var pool = require(json, "pool", type);
                if (!pool.isTextual()) {
                    throw new IllegalArgumentException("PoolRoute: an inline pool is not modelled: " + pool);
                }
                yield poolRoute(pool.asText());
            }
            case "AllSyncRoute" -> {
                onlyFields(json, type, Set.of("type", "children"));
                var children = new ArrayList<Route>();
                require(json, "children", type).forEach(c -> children.add(route(c)));
                // AllSyncRouteFactory.h:23-53: no child is a NullRoute, one child is that child
                if (children.isEmpty()) {
                    yield req -> Reply.defaultFor(req);
                }
                yield children.size() == 1 ? children.get(0) : new AllSyncRoute(List.copyOf(children));
            }
            case "OperationSelectorRoute", "PrefixPolicyRoute" -> operationSelector(json, type);
            case "MigrateRoute" -> {
                // MigrateRouteFactory.h:42-65: start_time required and an int; interval an int, default 3600
                onlyFields(json, type, Set.of("type", "from", "to", "start_time", "interval"));
                var start = require(json, "start_time", type);
                if (!start.isIntegralNumber()) {
                    throw new IllegalArgumentException("MigrateRoute has no/invalid start_time");
                }
                long interval = 3600;
                if (json.has("interval")) {
                    if (!json.get("interval").isIntegralNumber()) {
                        throw new IllegalArgumentException("MigrateRoute interval is not integer");
                    }
                    interval = json.get("interval").asLong();
                }
                yield new MigrateRoute(route(require(json, "from", type)), route(require(json, "to", type)),
                    start.asLong(), interval, now, switchHash, migrateMode);
            }
            case "WarmUpRoute" -> {
                // WarmUpRoute.cpp:29-54; isMetagetAvailable() is false in the open-source build (mcrouter_config.h:159-161)
                onlyFields(json, type, Set.of("type", "cold", "warm", "exptime", "enable_metaget"));
                boolean enableMetaget = false;
                if (json.has("enable_metaget")) {
                    if (!json.get("enable_metaget").isBoolean()) {
                        throw new IllegalArgumentException("WarmUpRoute: enable_metaget is not a boolean");
                    }
                    enableMetaget = json.get("enable_metaget").asBoolean();
                }
                Optional<Long> exptime = Optional.empty();
                if (json.has("exptime")) {
                    if (!json.get("exptime").isIntegralNumber()) {
                        throw new IllegalArgumentException("WarmUpRoute: exptime is not an integer");
                    }
                    exptime = Optional.of(json.get("exptime").asLong());
                } else if (!enableMetaget) {
                    exptime = Optional.of(0L);
                }
                yield new WarmUpRoute(route(require(json, "cold", type)), route(require(json, "warm", type)), exptime,
                    async);
            }
            default -> throw new IllegalArgumentException("route type not modelled: " + type);
        };
    }

    /** {@code OperationSelectorRoute-inl.h:37-100}: at least one of the two; operation names must be known. */
    private Route operationSelector(JsonNode json, String type) {
        onlyFields(json, type, Set.of("type", "default_policy", "operation_policies"));
        var jdefault = json.get("default_policy");
        var jpolicies = json.get("operation_policies");
        if (jdefault == null && jpolicies == null) {
            throw new IllegalArgumentException("OperationSelectorRoute needs either 'default_policy' or 'operation_policies'");
        }
        Route defaultPolicy = jdefault == null ? null : route(jdefault);
        if (jpolicies == null) {
            return defaultPolicy;
        }
        if (!jpolicies.isObject()) {
            throw new IllegalArgumentException("OperationSelectorRoute: operation_policies is not an object");
        }
        var policies = new LinkedHashMap<String, Route>();
        var ordered = new TreeMap<String, JsonNode>(); // upstream builds them in name order
        jpolicies.fields().forEachRemaining(e -> ordered.put(e.getKey(), e.getValue()));
        ordered.forEach((op, policy) -> {
            if (!Request.UPSTREAM_OPERATIONS.contains(op)) {
                throw new IllegalArgumentException("Unknown operation: " + op);
            }
            policies.put(op, route(policy));
        });
        return new OperationSelectorRoute(Map.copyOf(policies), defaultPolicy);
    }

    private PoolRoute poolRoute(String pool) {
        var list = pools.get(pool);
        if (list == null) {
            throw new IllegalArgumentException("PoolRoute: pool not found: " + pool);
        }
        return new PoolRoute(pool, list.stream().map(s -> new DestinationRoute(servers.server(s))).toList());
    }

    private static JsonNode require(JsonNode json, String field, String where) {
        var value = json.get(field);
        if (value == null) {
            throw new IllegalArgumentException(where + ": no '" + field + "'");
        }
        return value;
    }

    private static void onlyFields(JsonNode json, String where, Set<String> known) {
        if (!json.isObject()) {
            throw new IllegalArgumentException(where + " is not an object: " + json);
        }
        json.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                throw new IllegalArgumentException(where + ": field not modelled: " + f);
            }
        });
    }
}
