package io.memcachedgke.routing;

/**
 * Wall-clock seconds shared by the memcached servers (expiry) and the proxies ({@code MigrateRoute} reads
 * {@code time(nullptr)} once per request: {@code mcrouter/routes/TimeProviderFunc.h:16-22},
 * {@code mcrouter/mcrouter_config.h:109-114}). Only moves forward.
 */
final class VirtualClock {
    private long now;

    VirtualClock(long epochSecond) {
        this.now = epochSecond;
    }

    long now() {
        return now;
    }

    void set(long epochSecond) {
        if (epochSecond < now) {
            throw new IllegalArgumentException("the clock only moves forward: " + now + " -> " + epochSecond);
        }
        now = epochSecond;
    }

    void advance(long seconds) {
        set(now + seconds);
    }
}
