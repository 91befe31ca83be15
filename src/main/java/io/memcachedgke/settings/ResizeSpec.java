package io.memcachedgke.settings;

/**
 * A warm move between numbers of shards, as written: the rules quote what was given, and the composition root turns
 * it into the tiers' typed move once it passed them.
 */
@Doc("A warm move from another number of shards: while it is set, the StatefulSet runs `max(from, replicas)` pods and "
    + "the proxies move keys from the `from` layout to the `replicas` layout across the window, without a miss.")
public record ResizeSpec(
    @Doc(value = "1–64: the number of shards clients use now. Must differ from `memcached.replicas`", required = true)
    Integer from,
    @Doc(value = "An RFC 3339 time in UTC, e.g. `2026-12-01T10:00:00Z`: when keys start to switch. A time less than "
        + "10 minutes away gives a warning, because every proxy must load the moving config first", required = true)
    String startTime,
    @Doc(value = "A duration such as `30m`, `1h`, `1h30m` or `2d`, between `1m` and `7d`: how long the switch takes",
        required = true)
    String window,
    @Doc("A duration between `1s` and `30d`: the expiry of a value copied from the old layout into the new one on a read")
    String copyTtl,
    @Doc("The last step before the block is removed: reads and writes use the new layout only, deletes still reach "
        + "both, nothing is copied")
    boolean finish) {

    public static final ResizeSpec DEFAULTS = new ResizeSpec(null, null, null, "1h", false);
}
