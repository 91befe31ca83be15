package io.memcachedgke.memcached;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import io.memcachedgke.config.Durations;
import io.memcachedgke.config.Rule;

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

    /** The shortest window: the proxies' clocks and config reloads need seconds, a move needs more. */
    public static final Duration MIN_WINDOW = Duration.ofMinutes(1);
    public static final Duration MAX_WINDOW = Duration.ofDays(7);
    /** memcached reads a larger expiry as a Unix time. */
    public static final Duration MAX_COPY_TTL = Duration.ofDays(30);
    /** @default the copy TTL: an hour bounds how long a copied value can outlive its original expiry. */
    public static final String DEFAULT_COPY_TTL = "1h";

    public static final List<Rule<Resize>> RULES = List.of(
        Rule.custom("from", (r, p) -> r.from() == null
            ? "is required in a resize block (the number of pods clients use now, e.g. from: 3)" : null),
        Rule.between("from", Resize::from, 1, 64),
        Rule.custom("startTime", (r, p) -> r.startTime() == null
            ? "is required in a resize block (" + Durations.TIME_TEXT + ")" : null),
        Rule.of("startTime", Resize::startTime, t -> Durations.parseUtc(t).isPresent(), v -> "must be " + Durations.TIME_TEXT),
        Rule.custom("window", (r, p) -> r.window() == null
            ? "is required in a resize block (" + Durations.DURATION_TEXT + ")" : null),
        Rule.of("window", Resize::window, w -> Durations.parse(w).isPresent(), v -> "must be " + Durations.DURATION_TEXT),
        Rule.of("window", Resize::window, w -> Durations.parse(w).map(d -> d.compareTo(MIN_WINDOW) >= 0
                && d.compareTo(MAX_WINDOW) <= 0).orElse(true),
            v -> "must be between 1m and 7d"),
        Rule.of("copyTtl", Resize::copyTtl, w -> Durations.parse(w).isPresent(), v -> "must be " + Durations.DURATION_TEXT),
        Rule.of("copyTtl", Resize::copyTtl, w -> Durations.parse(w).map(d -> d.getSeconds() >= 1
                && d.compareTo(MAX_COPY_TTL) <= 0).orElse(true),
            v -> "must be between 1s and 30d"));

    public Resize {
        copyTtl = copyTtl == null ? DEFAULT_COPY_TTL : copyTtl;
    }

    /** A move that is under way (not finishing). */
    public Resize(Integer from, String startTime, String window, String copyTtl) {
        this(from, startTime, window, copyTtl, false);
    }

    public List<String> problems(String keyPrefix) {
        return Rule.checkAll(RULES, this, keyPrefix);
    }

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
