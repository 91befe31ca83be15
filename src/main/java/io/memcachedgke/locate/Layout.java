package io.memcachedgke.locate;

import java.util.ArrayList;
import java.util.List;
import io.memcachedgke.hash.Ch3;

/**
 * Where mcrouter's ch3 puts keys: on one layout of {@code to} servers, or during a move from {@code from}
 * servers to {@code to} (pool A and pool B of the moving config, in ordinal order).
 *
 * @param from the servers clients used before the move; equal to {@code to} when nothing moves
 * @param to   the servers of the layout to end with
 */
public record Layout(int from, int to, int pods) {

    public Layout {
        if (from < 1 || to < 1 || pods < Math.max(from, to)) {
            throw new IllegalArgumentException("a layout needs at least one server and a pod for each: " + from + " -> "
                + to + " on " + pods + " pods");
        }
    }

    public Layout(int from, int to) {
        this(from, to, Math.max(from, to));
    }

    public static Layout plain(int servers) {
        return new Layout(servers, servers);
    }

    /** The same layout with surplus pods that hold no key (a shrink that finishes before its pods go). */
    public Layout within(int podCount) {
        return new Layout(from, to, podCount);
    }

    public boolean moving() {
        return from != to;
    }

    /** The pods that exist: both layouts' during a move. */
    public int podCount() {
        return pods;
    }

    /**
     * Where a key lives.
     *
     * @param before its server (pod ordinal) in the layout clients used: where a write always lands
     * @param after  its server in the layout to end with: where it lands too once the key has switched
     */
    public record Placement(int before, int after) {
        public boolean moves() {
            return before != after;
        }
    }

    public Placement place(String key) {
        return new Placement(Ch3.serverIndex(key, from), Ch3.serverIndex(key, to));
    }

    /** A key for the smoke test, and where it must be ({@code predicted}) and may also be ({@code also}). */
    public record SmokeKey(String key, int predicted, int also) {
        /** {@code key@i}, or {@code key@i+j} when it may also be on j. */
        public String entry() {
            return predicted == also ? key + "@" + predicted : key + "@" + predicted + "+" + also;
        }
    }

    /** The prefix of the smoke test's keys. */
    public static final String SMOKE_KEY_PREFIX = "memcached-gke.smoke.";

    /**
     * One key per pod, the first of {@code memcached-gke.smoke.0, .1, ...} that ch3 puts there: on the pods of the
     * layout clients use, keys whose server there is that pod; on a pod only the new layout has, keys that
     * move onto it. The same layout always gives the same keys.
     */
    public List<SmokeKey> smokeKeys() {
        var out = new ArrayList<SmokeKey>();
        for (int pod = 0; pod < Math.max(from, to); pod++) {
            for (int n = 0; ; n++) {
                var key = SMOKE_KEY_PREFIX + n;
                var p = place(key);
                boolean lands = pod < from ? p.before() == pod : p.after() == pod;
                if (lands && out.stream().noneMatch(k -> k.key().equals(key))) {
                    out.add(new SmokeKey(key, p.before(), p.after()));
                    break;
                }
            }
        }
        return out;
    }
}
