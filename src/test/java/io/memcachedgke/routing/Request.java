package io.memcachedgke.routing;

import java.util.Set;

/**
 * One memcache request as a route handle sees it: its operation by Carbon name (the names
 * {@code OperationSelectorRoute}'s {@code operation_policies} key on: {@code mcrouter/lib/network/gen/
 * MemcacheMessages-decl.h}), its key, and the fields the modelled operations use.
 *
 * @param op      {@code get}, {@code gets}, {@code set}, {@code add}, {@code cas}, {@code delete}, {@code incr},
 *                {@code touch}
 * @param exptime seconds as memcached reads them (0 never; over 30 days a Unix time)
 */
record Request(String op, String key, String value, long exptime, long delta, long casToken) {

    /** Every operation name upstream accepts in {@code operation_policies} (memcache and common requests). */
    static final Set<String> UPSTREAM_OPERATIONS = Set.of(
        "get", "set", "delete", "lease-get", "lease-set", "add", "replace", "gets", "cas", "incr", "decr",
        "metaget", "append", "prepend", "touch", "flushre", "flushall", "gat", "gats",
        "version", "stats", "shutdown", "quit", "exec", "goaway");

    /** The operations the memcached model serves. */
    static final Set<String> MODELLED = Set.of("get", "gets", "set", "add", "cas", "delete", "incr", "touch");

    Request {
        if (!MODELLED.contains(op)) {
            throw new IllegalArgumentException("operation not modelled: " + op);
        }
    }

    static Request get(String key) {
        return new Request("get", key, null, 0, 0, 0);
    }

    static Request gets(String key) {
        return new Request("gets", key, null, 0, 0, 0);
    }

    static Request set(String key, String value, long exptime) {
        return new Request("set", key, value, exptime, 0, 0);
    }

    static Request add(String key, String value, long exptime) {
        return new Request("add", key, value, exptime, 0, 0);
    }

    static Request cas(String key, String value, long exptime, long casToken) {
        return new Request("cas", key, value, exptime, 0, casToken);
    }

    static Request delete(String key) {
        return new Request("delete", key, null, 0, 0, 0);
    }

    static Request incr(String key, long delta) {
        return new Request("incr", key, null, 0, delta, 0);
    }

    static Request touch(String key, long exptime) {
        return new Request("touch", key, null, exptime, 0, 0);
    }

    /** {@code carbon::DeleteLike}: only {@code McDeleteRequest} ({@code MemcacheRoutingGroups.h:168}). */
    boolean deleteLike() {
        return op.equals("delete");
    }

    /** {@code carbon::UpdateLike}: add, append, cas, lease-set, prepend, replace, set ({@code MemcacheRoutingGroups.h:397-498}). */
    boolean updateLike() {
        return op.equals("set") || op.equals("add") || op.equals("cas");
    }
}
