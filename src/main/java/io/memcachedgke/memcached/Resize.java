package io.memcachedgke.memcached;

import java.time.Duration;
import java.time.Instant;
import io.memcachedgke.config.Durations;

/**
 * A warm move of the keys from the layout clients use now ({@code from} pods) to the one the tier declares
 * ({@code replicas}), declared in the stack file as {@code memcached.resize}. While it is declared, the
 * StatefulSet runs {@code max(from, replicas)} pods and the proxies move keys across the window without a
 * miss (mcrouter's MigrateRoute and WarmUpRoute: {@code McrouterConfig.migrating}). Values are kept as
 * written so that the rules can quote them; the typed accessors read them once they passed.
 *
 * @param from      the number of pods clients use now; required
 * @param startTime when keys start to switch, RFC 3339 in UTC; required. The config is the same whenever it is
 *                  rendered, so a later up during the move changes nothing; the up that starts the move must come
 *                  well before it (every proxy must load the moving config first: a warning says so)
 * @param window    how long the switch takes, e.g. {@code 1h}; required, at least a minute
 * @param copyTtl   the expiry of a value copied from the old layout into the new one on a read
 * @param finish    the last step before the block goes: reads and writes use the new layout only, deletes still
 *                  reach both, and nothing is copied any more. Removing the block straight from the moving config
 *                  would let a proxy still on it copy a key that another already deleted back into the new layout
 *                  (ResizeCaveatsTest); with every proxy on the finishing config first, no proxy reads the old one
 */
public record Resize(Integer from, String startTime, String window, String copyTtl, boolean finish) {

    public Instant start() {
        return Durations.parseUtc(startTime).orElseThrow();
    }

    public Duration windowDuration() {
        return Durations.parse(window).orElseThrow();
    }

    public Duration copyTtlDuration() {
        return Durations.parse(copyTtl).orElseThrow();
    }
}
