package io.memcachedgke.routing;

import io.memcachedgke.support.Plans;
import io.memcachedgke.support.Records;
import io.memcachedgke.cache.Plan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import io.memcachedgke.mcrouter.McrouterConfig;
import io.memcachedgke.memcached.MemcachedArgs;
import io.memcachedgke.memcached.Resize;
import io.memcachedgke.routing.RouteModel.MigrateMode;

/**
 * Clients, proxies and memcached servers on one virtual clock, and what every client expects of every key:
 * the last value set (values are unique: {@code key#n}), or deleted. Each get is judged: a hit of the last
 * value, a miss of a live key, a stale value, or a deleted key resurrected ({@link Tally}).
 */
final class Scenario {
    /** The moment the moving config is deployed: 2027-01-15T08:00:00Z. */
    static final long DEPLOY = 1_800_000_000L;

    final String name;
    final VirtualClock clock = new VirtualClock(DEPLOY - 7200);
    final MemcachedModel servers = new MemcachedModel(clock);
    final List<Proxy> proxies = new ArrayList<>();
    final List<String> keys = new ArrayList<>();
    /** key -> last value set, or null once deleted. */
    final Map<String, String> expected = new HashMap<>();
    final Random random;
    private long seq;
    private Tally tally;

    Scenario(String name, int keyCount, int proxyCount, SwitchHash hash, MigrateMode mode, long seed) {
        this.name = name;
        this.random = new Random(seed);
        for (int i = 0; i < proxyCount; i++) {
            proxies.add(new Proxy("proxy-" + i, servers, hash, mode));
        }
        for (int i = 0; i < keyCount; i++) {
            keys.add("user:" + i + ":profile");
        }
    }

    Scenario(String name, int keyCount, int proxyCount) {
        this(name, keyCount, proxyCount, SwitchHash.SPOOKY_V2, MigrateMode.PER_KEY, 12_5L);
    }

    /** The tier's args: {@code replicas} pods, and a resize from {@code from} if {@code from != replicas}. */
    static MemcachedArgs tier(int replicas, Integer from, long start, long windowSeconds, long copyTtlSeconds) {
        var args = Records.with(Plans.memcached(), "replicas", replicas);
        if (from != null && from != replicas) {
            args = Records.with(args, "resize", new Resize(from, Instant.ofEpochSecond(start).toString(),
                windowSeconds + "s", copyTtlSeconds + "s", false));
        }
        return args;
    }

    /** The plain config of {@code replicas} pods, as the program renders it without a resize block. */
    static McrouterConfig plain(int replicas) {
        return Plan.proxyConfig(tier(replicas, null, 0, 0, 0));
    }

    /** Every proxy loads {@code config} (one at a time, all at the same moment). */
    void loadAll(McrouterConfig config) {
        loadAll(config.toJson());
    }

    void loadAll(String json) {
        proxies.forEach(p -> p.load(json));
    }

    Tally phase(String phase) {
        tally = new Tally(name, phase);
        tally.keys = keys.size();
        return tally;
    }

    Tally tally() {
        return tally;
    }

    Proxy anyProxy() {
        return proxies.get(random.nextInt(proxies.size()));
    }

    void set(String key) {
        set(anyProxy(), key);
    }

    void set(Proxy proxy, String key) {
        var value = key + "#" + (++seq);
        var reply = proxy.send(Request.set(key, value, 0));
        tally.sets++;
        if (reply.result() != Result.STORED) {
            tally.errors++;
            tally.example("set " + key + " at " + clock.now() + " via " + proxy + ": " + reply.result());
        }
        expected.put(key, value);
    }

    void delete(String key) {
        delete(anyProxy(), key);
    }

    void delete(Proxy proxy, String key) {
        var reply = proxy.send(Request.delete(key));
        tally.deletes++;
        // the reply is not judged: AllSyncRoute's worst reply is NOTFOUND when one layout had no copy (caveat)
        if (reply.result() != Result.DELETED && reply.result() != Result.NOTFOUND) {
            tally.errors++;
            tally.example("delete " + key + " at " + clock.now() + " via " + proxy + ": " + reply.result());
        }
        expected.put(key, null);
    }

    Reply get(String key) {
        return get(anyProxy(), key);
    }

    /** A get, judged against what the client expects of {@code key} (which it must have written). */
    Reply get(Proxy proxy, String key) {
        if (!expected.containsKey(key)) {
            throw new IllegalStateException("never written: " + key);
        }
        var want = expected.get(key);
        var reply = proxy.send(Request.get(key));
        tally.gets++;
        switch (reply.result()) {
            case FOUND -> {
                tally.hits++;
                if (want == null) {
                    tally.resurrected++;
                    example(proxy, key, want, reply.value());
                } else if (!want.equals(reply.value())) {
                    tally.stale++;
                    example(proxy, key, want, reply.value());
                }
            }
            case NOTFOUND -> {
                if (want != null) {
                    tally.misses++;
                    example(proxy, key, want, "NOTFOUND");
                }
            }
            default -> {
                tally.errors++;
                example(proxy, key, want, reply.result().toString());
            }
        }
        return reply;
    }

    private void example(Proxy proxy, String key, String want, String got) {
        tally.example("get " + key + " at DEPLOY" + String.format("%+d", clock.now() - DEPLOY) + "s via " + proxy
            + ": want " + want + ", got " + got);
    }

    /** Every key written, once. */
    void writeAll() {
        keys.forEach(this::set);
    }

    /** A get of every key ever written, each through any proxy. */
    void getAll() {
        keys.stream().filter(expected::containsKey).forEach(this::get);
    }

    /**
     * A mixed load at the current moment: a random {@code sample} of the keys, each a set (10%), a delete (5%)
     * or a get; then every key set or deleted here is read back through another random proxy.
     */
    void playMix(double sample) {
        var touched = new ArrayList<String>();
        for (var key : keys) {
            if (random.nextDouble() >= sample) {
                continue;
            }
            double r = random.nextDouble();
            if (r < 0.10) {
                set(key);
                touched.add(key);
            } else if (r < 0.15) {
                delete(key);
                touched.add(key);
            } else if (expected.containsKey(key)) {
                get(key);
            }
        }
        touched.forEach(this::get);
    }
}
