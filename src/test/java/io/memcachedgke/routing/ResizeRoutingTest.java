package io.memcachedgke.routing;

import io.memcachedgke.cache.Plan;
import static io.memcachedgke.routing.Scenario.DEPLOY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import io.memcachedgke.hash.Ch3;
import io.memcachedgke.mcrouter.McrouterConfig;
import io.memcachedgke.routing.RouteModel.MigrateMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12.5, "prove the routing offline": the config the program generates, read by the {@link RouteModel}
 * of mcrouter's route handles over {@link MemcachedModel} servers, across a whole warm resize:
 * <ol>
 *   <li>thousands of keys written under the old layout's plain config (before any resize block);
 *   <li>every proxy loads the moving config ({@code McrouterConfig.of} with a {@code resize} block);
 *   <li>gets, sets and deletes through several proxies before the window, at several points in it, after it;
 *   <li>the block removed (the new layout's plain config), and every key read again.
 * </ol>
 * From the moving config's deploy to the block's removal no live key misses, no get returns a value older
 * than the last set, and no deleted key comes back; after the removal nothing is stale or resurrected either,
 * and the only misses are keys whose new server never got a copy. Changing the plain config directly, without
 * a resize block, misses about a quarter of the keys either way.
 */
class ResizeRoutingTest {
    static final Figures FIGURES = new Figures("warm resize through the generated config (mcrouter model)");
    static final int KEYS = 3000;
    static final long MINUTE = 60;
    static final long HOUR = 3600;

    /**
     * One move.
     *
     * @param startOffset the window's start relative to the moving config's deploy (negative: in the past)
     */
    record Move(String label, int from, int to, long startOffset, long window, long copyTtl, int proxies,
                SwitchHash hash, MigrateMode mode) {
        Move(String label, int from, int to, long startOffset, long window, int proxies) {
            this(label, from, to, startOffset, window, HOUR, proxies, SwitchHash.SPOOKY_V2, MigrateMode.PER_KEY);
        }

        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<Move> moves() {
        return Stream.of(
            new Move("3->4 start +10m, window 1h, 2 proxies", 3, 4, 10 * MINUTE, HOUR, 2),
            new Move("3->4 start -30m, window 1h, 3 proxies", 3, 4, -30 * MINUTE, HOUR, 3),
            new Move("3->4 start -3h (window over), 2 proxies", 3, 4, -3 * HOUR, HOUR, 2),
            new Move("3->4 start +2h, window 10m, 4 proxies", 3, 4, 2 * HOUR, 10 * MINUTE, 4),
            new Move("4->3 start +10m, window 1h, 2 proxies", 4, 3, 10 * MINUTE, HOUR, 2),
            new Move("4->3 start -30m, window 1h, 3 proxies", 4, 3, -30 * MINUTE, HOUR, 3),
            new Move("4->3 start +1m, window 6h, copy 10m, 2 p.", 4, 3, MINUTE, 6 * HOUR, 10 * MINUTE, 2,
                SwitchHash.SPOOKY_V2, MigrateMode.PER_KEY),
            new Move("3->6 start +10m, window 1h, 2 proxies", 3, 6, 10 * MINUTE, HOUR, 2),
            new Move("5->2 start -10m, window 30m, 2 proxies", 5, 2, -10 * MINUTE, 30 * MINUTE, 2));
    }

    /** The switch hash does not matter: stand-ins of every quality, and mcrouter 0.36's all-at-once switch. */
    static Stream<Move> switchHashes() {
        var out = new ArrayList<Move>();
        record Variant(String name, SwitchHash hash, MigrateMode mode) {}
        var variants = List.of(
            new Variant("stand-in FNV-1a", SwitchHash.FNV1A_STAND_IN, MigrateMode.PER_KEY),
            new Variant("stand-in CRC-32", SwitchHash.CRC32_STAND_IN, MigrateMode.PER_KEY),
            new Variant("stand-in String.hashCode", SwitchHash.JAVA_HASH_STAND_IN, MigrateMode.PER_KEY),
            new Variant("stand-in zero", SwitchHash.ZERO_STAND_IN, MigrateMode.PER_KEY),
            new Variant("v0.36 all at once", SwitchHash.SPOOKY_V2, MigrateMode.ALL_AT_ONCE_V0_36));
        for (var v : variants) {
            out.add(new Move("3->4 +10m/1h, " + v.name(), 3, 4, 10 * MINUTE, HOUR, HOUR, 2, v.hash(), v.mode()));
            out.add(new Move("4->3 -30m/1h, " + v.name(), 4, 3, -30 * MINUTE, HOUR, HOUR, 2, v.hash(), v.mode()));
        }
        return out.stream();
    }

    /** What a move left to judge. */
    record Outcome(List<Tally> phases, Tally afterRemoval, int movedLive, int uncopiedAtRemoval) {}

    static Outcome run(Move m) {
        return run(m, KEYS);
    }

    static Outcome run(Move m, int keys) {
        return run(m, keys, UnaryOperator.identity());
    }

    /** @param transform applied to the moving config's text (identity: the generated config as is) */
    static Outcome run(Move m, int keys, UnaryOperator<String> transform) {
        var s = new Scenario(m.label(), keys, m.proxies(), m.hash(), m.mode(), 125L + m.label().hashCode());
        // 1. the old layout's plain config, before any resize block: write every key, read it back
        s.loadAll(Scenario.plain(m.from()));
        var old = s.phase("old plain");
        s.writeAll();
        s.getAll();
        assertThat(old.violations()).as("%s", old).isZero();

        // 2. every proxy loads the moving config at DEPLOY
        long start = DEPLOY + m.startOffset();
        s.clock.set(DEPLOY);
        var moving = Plan.proxyConfig(Scenario.tier(m.to(), m.from(), start, m.window(), m.copyTtl()));
        s.loadAll(transform.apply(moving.toJson()));
        assertThat(s.proxies.get(0).pools().get("A")).hasSize(m.from());
        assertThat(s.proxies.get(0).pools().get("B")).hasSize(m.to());

        // 3. load before, during and after the window
        long w = m.window();
        var moments = new TreeSet<Long>(List.of(DEPLOY, DEPLOY + 300, start - 60, start, start + w / 10, start + w / 4,
            start + w / 2, start + 3 * w / 4, start + w - 1, start + w, start + w + 600));
        var phases = new ArrayList<Tally>();
        Tally current = null;
        for (long t : moments.tailSet(DEPLOY)) {
            var phase = t < start ? "before window" : t < start + w ? "in window" : "after window";
            if (current == null || !current.phase.equals(phase)) {
                current = s.phase(phase);
                phases.add(current);
            }
            s.clock.set(t);
            s.playMix(0.4);
        }

        // 4. the resize block removed: the new layout's plain config
        s.clock.set(Math.max(s.clock.now() + 600, start + w + 1200));
        var newServers = moving.pools().get(McrouterConfig.NEXT_POOL).servers();
        var oldServers = moving.pools().get(McrouterConfig.POOL).servers();
        int movedLive = 0;
        int uncopied = 0;
        for (var key : s.keys) {
            if (s.expected.get(key) == null) {
                continue;
            }
            var to = newServers.get(Ch3.serverIndex(key, newServers.size()));
            var from = oldServers.get(Ch3.serverIndex(key, oldServers.size()));
            if (!to.equals(from)) {
                movedLive++;
                if (s.servers.server(to).peek(key).isEmpty()) {
                    uncopied++;
                }
            }
        }
        s.loadAll(Scenario.plain(m.to()));
        var after = s.phase("after removal");
        s.getAll();
        return new Outcome(phases, after, movedLive, uncopied);
    }

    static void record(Outcome o) {
        var phases = o.phases().stream().map(t -> t.phase).distinct().toList();
        FIGURES.add(Tally.sum(String.join(", ", phases), o.phases()), o.afterRemoval());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("moves")
    void aWarmMoveNeverMissesALiveKeyNorServesAStaleOrDeletedValue(Move m) {
        var o = run(m);
        record(o);
        assertThat(o.phases()).isNotEmpty();
        for (var t : o.phases()) {
            assertThat(t.gets).as("%s", t).isGreaterThan(500);
            assertThat(t.misses).as("misses: %s", t).isZero();
            assertThat(t.stale).as("stale: %s", t).isZero();
            assertThat(t.resurrected).as("resurrected: %s", t).isZero();
            assertThat(t.errors).as("errors: %s", t).isZero();
        }
        var after = o.afterRemoval();
        assertThat(after.stale).as("%s", after).isZero();
        assertThat(after.resurrected).as("%s", after).isZero();
        assertThat(after.errors).as("%s", after).isZero();
        // once the block is gone the old layout is never read: what misses is exactly what never got a copy
        assertThat(after.misses).as("%s", after).isEqualTo(o.uncopiedAtRemoval()).isLessThanOrEqualTo(o.movedLive());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("switchHashes")
    void theInvariantsHoldWhateverTheSwitchHash(Move m) {
        var o = run(m, 2000);
        record(o);
        for (var t : o.phases()) {
            assertThat(t.violations()).as("%s", t).isZero();
        }
        assertThat(o.afterRemoval().stale + o.afterRemoval().resurrected).isZero();
    }

    /** The contrast: the old plain config replaced by the new one directly. */
    static Tally plainChange(int from, int to) {
        var s = new Scenario("plain " + from + "->" + to + " (no resize block)", KEYS, 2);
        s.loadAll(Scenario.plain(from));
        s.phase("old plain");
        s.writeAll();
        s.clock.advance(60);
        s.loadAll(Scenario.plain(to));
        var t = s.phase("new plain config");
        s.getAll();
        FIGURES.add(t, null);
        return t;
    }

    @Test
    void aPlainChangeFrom3To4MissesAboutAQuarterOfTheKeys() {
        var t = plainChange(3, 4);
        assertThat(t.missRate()).as("%s", t).isBetween(0.20, 0.30);
        assertThat(t.stale + t.resurrected + t.errors).isZero();
        // exactly the keys ch3 moves to the new pod
        long moved = new Scenario("", KEYS, 1).keys.stream().filter(k -> Ch3.serverIndex(k, 4) == 3).count();
        assertThat((long) t.misses).isEqualTo(moved);
    }

    @Test
    void aPlainChangeFrom4To3MissesTheKeysOfTheRemovedPod() {
        var t = plainChange(4, 3);
        assertThat(t.missRate()).as("%s", t).isBetween(0.20, 0.30);
        assertThat(t.stale + t.resurrected + t.errors).isZero();
        long onPod3 = new Scenario("", KEYS, 1).keys.stream().filter(k -> Ch3.serverIndex(k, 4) == 3).count();
        assertThat((long) t.misses).isEqualTo(onPod3);
    }

    @Test
    void aValueCopiedFromTheOldLayoutCarriesTheCopyTtl() throws Exception {
        long copyTtl = 20 * MINUTE;
        var s = new Scenario("copy TTL 20m", 200, 2);
        s.loadAll(Scenario.plain(3));
        s.phase("old plain");
        s.writeAll();
        long start = DEPLOY + 10 * MINUTE;
        s.clock.set(DEPLOY);
        var moving = Plan.proxyConfig(Scenario.tier(4, 3, start, HOUR, copyTtl));
        assertThat(new ObjectMapper().readTree(moving.toJson()).at("/route/default_policy/to/exptime")
            .asLong()).isEqualTo(copyTtl);
        s.loadAll(moving);
        var pod3 = s.servers.server(moving.pools().get("B").servers().get(3));
        var key = s.keys.stream().filter(k -> Ch3.serverIndex(k, 4) == 3).findFirst().orElseThrow();

        s.clock.set(start + HOUR); // every key has switched
        s.phase("copy");
        assertThat(pod3.peek(key)).isEmpty();
        assertThat(s.get(key).value()).isEqualTo(s.expected.get(key));
        assertThat(pod3.peek(key)).contains(s.expected.get(key));
        assertThat(pod3.expiresAtOf(key)).contains(s.clock.now() + copyTtl);

        s.clock.advance(copyTtl - 1);
        assertThat(pod3.peek(key)).isPresent();
        s.clock.advance(1);
        assertThat(pod3.peek(key)).as("the copy expired").isEmpty();
        // while the block is in place a read copies it again from the old layout, which still has it
        assertThat(s.get(key).value()).isEqualTo(s.expected.get(key));
        assertThat(pod3.expiresAtOf(key)).contains(s.clock.now() + copyTtl);
        // a set through the moving config writes both layouts with the client's own exptime (0: never)
        s.set(key);
        assertThat(pod3.expiresAtOf(key)).contains(0L);
        assertThat(s.tally().violations()).as("%s", s.tally()).isZero();
    }

    @AfterAll
    static void printFigures() {
        FIGURES.print();
    }
}
