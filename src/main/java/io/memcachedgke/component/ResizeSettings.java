package io.memcachedgke.component;

import com.pulumi.core.annotations.Import;

/** A warm move between numbers of shards (stack config: {@code memcached-gke:memcached.resize}). */
@Description("A warm move from another number of shards: the proxies read the old layout while the new one fills "
    + "(docs/operations.md, \"Resize without a miss storm\").")
@RequiredInSchema({"from", "startTime", "window"})
public final class ResizeSettings {
    @Import(name = "from")
    @Description("The number of shards clients use now (1-64). Required in a resize; must differ from `memcached.replicas`.")
    private Integer from;

    @Import(name = "startTime")
    @Description("When keys start to move: an RFC 3339 time in UTC, e.g. `2026-12-01T10:00:00Z`. Required in a resize.")
    private String startTime;

    @Import(name = "window")
    @Description("How long the move lasts: a duration such as `30m`, `1h` or `2d`, between 1m and 30d. Required in a resize.")
    private String window;

    /** @default 1h */
    @Import(name = "copyTtl")
    @Description("The expiry of a value copied from the old layout into the new one on a read: 1s-30d. Default: `1h`.")
    private String copyTtl;

    /** @default false */
    @Import(name = "finish")
    @Description("The last step before the resize is removed: reads and writes use the new layout only. Default: false.")
    private Boolean finish;

    ResizeSettings() {}
}
