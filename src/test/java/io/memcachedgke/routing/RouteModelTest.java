package io.memcachedgke.routing;

import io.memcachedgke.cache.Plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.memcachedgke.hash.Ch3;
import io.memcachedgke.locate.Layout;
import io.memcachedgke.mcrouter.McrouterConfig;
import io.memcachedgke.routing.RouteModel.AllSyncRoute;
import io.memcachedgke.routing.RouteModel.MigrateMode;
import io.memcachedgke.routing.RouteModel.MigrateRoute;
import io.memcachedgke.routing.RouteModel.OperationSelectorRoute;
import io.memcachedgke.routing.RouteModel.PoolRoute;
import io.memcachedgke.routing.RouteModel.Route;
import io.memcachedgke.routing.RouteModel.WarmUpRoute;
import org.junit.jupiter.api.Test;

/**
 * Each modelled route handle against what upstream's own tests and source say it does, and the interpreter
 * against the config the program generates.
 */
class RouteModelTest {
    final VirtualClock clock = new VirtualClock(Scenario.DEPLOY);
    final MemcachedModel servers = new MemcachedModel(clock);

    /** A child that records what it saw and answers with fixed results, as upstream's {@code TestHandle}. */
    static final class Recorder implements Route {
        final List<String> saw = new ArrayList<>();
        final Map<String, Reply> replies;

        Recorder(Map<String, Reply> replies) {
            this.replies = replies;
        }

        @Override
        public Reply route(Request req) {
            saw.add(req.op() + " " + req.key() + (req.op().equals("add") ? " exptime=" + req.exptime() : ""));
            return replies.getOrDefault(req.op(), Reply.defaultFor(req));
        }
    }

    @Test
    void migrateRouteFollowsUpstreamsMigrateRouteTestTimeline() {
        // mcrouter/lib/test/MigrateRouteTest.cpp:53-58 and its four cases
        long interval = 50;
        long start = clock.now() + 25;
        var from = new Recorder(Map.of("get", new Reply(Result.FOUND, "a", 0), "delete", Reply.of(Result.DELETED)));
        var to = new Recorder(Map.of("get", Reply.of(Result.NOTFOUND), "delete", Reply.of(Result.NOTFOUND)));
        var rh = new MigrateRoute(from, to, start, interval, clock::now, SwitchHash.SPOOKY_V2, MigrateMode.PER_KEY);
        var key = "key_get";
        long migration = rh.migrationTime(key);
        assertThat(migration).isEqualTo(start + interval
            + Integer.toUnsignedLong(SpookyHashV2.hash32(key.getBytes(), 0)) % interval);

        // case 1: before start_time, everything to from
        assertThat(rh.route(Request.get(key)).value()).isEqualTo("a");
        assertThat(rh.route(Request.delete(key)).result()).isEqualTo(Result.DELETED);
        assertThat(to.saw).isEmpty();

        // case 2: start_time <= now < migration time: gets to from, deletes to both, the worst reply
        clock.set(start + 1);
        from.saw.clear();
        assertThat(rh.route(Request.get(key)).value()).isEqualTo("a");
        assertThat(to.saw).isEmpty();
        assertThat(rh.route(Request.delete(key)).result()).as("MigrateRouteTest.cpp:135").isEqualTo(Result.NOTFOUND);
        assertThat(from.saw).contains("delete key_get");
        assertThat(to.saw).containsExactly("delete key_get");

        // case 3: migration time <= now < start + 2 * interval: gets to to, deletes still to both
        clock.set(Math.min(migration + 1, start + 2 * interval - 1));
        to.saw.clear();
        from.saw.clear();
        assertThat(rh.route(Request.get(key)).result()).isEqualTo(Result.NOTFOUND);
        assertThat(rh.route(Request.delete(key)).result()).isEqualTo(Result.NOTFOUND);
        assertThat(from.saw).containsExactly("delete key_get");
        assertThat(to.saw).containsExactly("get key_get", "delete key_get");

        // case 4: from start + 2 * interval, everything to to
        clock.set(start + 2 * interval);
        from.saw.clear();
        rh.route(Request.delete(key));
        assertThat(from.saw).isEmpty();
    }

    @Test
    void migrateRouteSpreadsSwitchTimesAcrossTheWindowOrSwitchesAllAtOnceInV036() {
        long start = 1_000_000;
        long interval = 3600;
        var perKey = new MigrateRoute(null, null, start, interval, clock::now, SwitchHash.SPOOKY_V2, MigrateMode.PER_KEY);
        var v036 = new MigrateRoute(null, null, start, interval, clock::now, SwitchHash.SPOOKY_V2,
            MigrateMode.ALL_AT_ONCE_V0_36);
        int beforeMiddle = 0;
        for (int i = 0; i < 10_000; i++) {
            long t = perKey.migrationTime("k" + i);
            assertThat(t).isBetween(start + interval, start + 2 * interval - 1);
            if (t < start + interval + interval / 2) {
                beforeMiddle++;
            }
            assertThat(v036.migrationTime("k" + i)).isEqualTo(start + interval);
        }
        assertThat(beforeMiddle).isBetween(4_800, 5_200);
    }

    @Test
    void warmUpRouteCopiesAWarmHitIntoColdWithTheConfiguredExptimeAndSendsTheRestToCold() {
        // mcrouter/routes/test/WarmUpRouteTest.cpp:31-91: get misses cold, hits warm; cold then sees add, exptime 1
        var cold = new Recorder(Map.of());
        var warm = new Recorder(Map.of("get", new Reply(Result.FOUND, "b", 0)));
        var queued = new ArrayList<Runnable>();
        var rh = new WarmUpRoute(cold, warm, Optional.of(1L), queued::add);
        assertThat(rh.route(Request.get("key")).value()).isEqualTo("b");
        assertThat(cold.saw).containsExactly("get key");
        assertThat(queued).as("the add is asynchronous").hasSize(1);
        queued.forEach(Runnable::run);
        assertThat(cold.saw).containsExactly("get key", "add key exptime=1");

        rh.route(Request.delete("key"));
        rh.route(Request.set("key", "v", 0));
        rh.route(Request.incr("key", 1));
        assertThat(cold.saw).endsWith("delete key", "set key", "incr key");
        assertThat(warm.saw).containsExactly("get key");
    }

    @Test
    void warmUpRouteTreatsAColdErrorAsAMissAndWithoutExptimeOrMetagetCopiesNothing() {
        var cold = new Recorder(Map.of("get", Reply.of(Result.CONNECT_ERROR)));
        var warm = new Recorder(Map.of("get", new Reply(Result.FOUND, "w", 0)));
        var queued = new ArrayList<Runnable>();
        assertThat(new WarmUpRoute(cold, warm, Optional.of(0L), queued::add).route(Request.get("k")).value())
            .isEqualTo("w");
        assertThat(queued).hasSize(1);
        queued.clear();
        // enable_metaget without exptime: stock memcached serves no metaget, so nothing is copied
        new WarmUpRoute(cold, warm, Optional.empty(), queued::add).route(Request.get("k"));
        assertThat(queued).isEmpty();
    }

    @Test
    void warmUpRouteGetsAddsSynchronouslyThenAsksColdAgain() {
        var coldServer = servers.server("cold:11211");
        var warmServer = servers.server("warm:11211");
        warmServer.serve(Request.set("k", "v", 0));
        var rh = new WarmUpRoute(new RouteModel.DestinationRoute(coldServer), new RouteModel.DestinationRoute(warmServer),
            Optional.of(60L), r -> { throw new AssertionError("gets copies synchronously"); });
        var reply = rh.route(Request.gets("k"));
        assertThat(reply.result()).isEqualTo(Result.FOUND);
        assertThat(reply.cas()).as("the cas of cold's copy").isPositive();
        assertThat(coldServer.expiresAtOf("k")).contains(clock.now() + 60);
    }

    @Test
    void allSyncRouteAnswersTheWorstReplyAndTheFirstOnATie() {
        var ok = new Recorder(Map.of("get", new Reply(Result.FOUND, "first", 0), "delete", Reply.of(Result.DELETED)));
        var ok2 = new Recorder(Map.of("get", new Reply(Result.FOUND, "second", 0), "touch", Reply.of(Result.TOUCHED)));
        var miss = new Recorder(Map.of("delete", Reply.of(Result.NOTFOUND), "touch", Reply.of(Result.NOTFOUND)));
        var down = new Recorder(Map.of("delete", Reply.of(Result.TIMEOUT)));
        assertThat(new AllSyncRoute(List.of(ok, ok2)).route(Request.get("k")).value()).isEqualTo("first");
        assertThat(new AllSyncRoute(List.of(ok, miss)).route(Request.delete("k")).result()).isEqualTo(Result.NOTFOUND);
        assertThat(new AllSyncRoute(List.of(miss, down, ok)).route(Request.delete("k")).result()).isEqualTo(Result.TIMEOUT);
        // McResUtil.h: TOUCHED is not in resultSeverity's switch, so it is "worse" than NOTFOUND
        assertThat(new AllSyncRoute(List.of(miss, ok2)).route(Request.touch("k", 1)).result()).isEqualTo(Result.TOUCHED);
        assertThat(ok.saw).hasSize(3);
        assertThat(miss.saw).hasSize(3);
    }

    @Test
    void operationSelectorRoutePicksThePolicyOfTheOperationElseTheDefault() {
        var a = new Recorder(Map.of());
        var b = new Recorder(Map.of());
        var rh = new OperationSelectorRoute(Map.of("delete", a), b);
        rh.route(Request.delete("k"));
        rh.route(Request.get("k"));
        rh.route(Request.set("k", "v", 0));
        assertThat(a.saw).containsExactly("delete k");
        assertThat(b.saw).containsExactly("get k", "set k");
        assertThat(new OperationSelectorRoute(Map.of("delete", a), null).route(Request.get("k")).result())
            .isEqualTo(Result.UNKNOWN);
    }

    @Test
    void aDeleteToAnUnreachableServerThroughAPoolIsAnsweredNotFound() {
        // DestinationRoute.h:120-126: failover errors on deletes are spooled and answered with the default reply
        var server = servers.server("down:11211");
        server.down = true;
        var dest = new RouteModel.DestinationRoute(server);
        assertThat(dest.route(Request.delete("k")).result()).isEqualTo(Result.NOTFOUND);
        assertThat(dest.route(Request.get("k")).result()).isEqualTo(Result.CONNECT_ERROR);
        assertThat(dest.route(Request.set("k", "v", 0)).result()).isEqualTo(Result.CONNECT_ERROR);
    }

    @Test
    void memcachedModelServesAddDeleteIncrAndExpiryAsMemcachedDoes() {
        var s = servers.server("m:11211");
        assertThat(s.serve(Request.add("k", "1", 10)).result()).isEqualTo(Result.STORED);
        assertThat(s.serve(Request.add("k", "2", 10)).result()).isEqualTo(Result.NOTSTORED);
        assertThat(s.serve(Request.incr("k", 5)).value()).isEqualTo("6");
        assertThat(s.expiresAtOf("k")).as("incr keeps the expiry").contains(clock.now() + 10);
        clock.advance(10);
        assertThat(s.serve(Request.get("k")).result()).as("expired at its exptime").isEqualTo(Result.NOTFOUND);
        assertThat(s.serve(Request.add("k", "3", 0)).result()).as("add over an expired item").isEqualTo(Result.STORED);
        assertThat(s.serve(Request.delete("k")).result()).isEqualTo(Result.DELETED);
        assertThat(s.serve(Request.delete("k")).result()).isEqualTo(Result.NOTFOUND);
        long absolute = clock.now() + 100 + MemcachedModel.MAX_RELATIVE_EXPTIME;
        s.serve(Request.set("k", "4", absolute));
        assertThat(s.expiresAtOf("k")).as("over 30 days is a Unix time").contains(absolute);
    }

    @Test
    void thePlainConfigPlacesEveryKeyWhereLayoutSaysItLives() {
        var config = Scenario.plain(4);
        var proxy = new Proxy("p", servers).load(config.toJson());
        var route = (PoolRoute) proxy.route();
        assertThat(route.pool).isEqualTo("A");
        var layout = Layout.plain(4);
        for (int i = 0; i < 1000; i++) {
            var key = "k" + i;
            assertThat(route.indexOf(key)).isEqualTo(layout.place(key).after()).isEqualTo(Ch3.serverIndex(key, 4));
        }
        proxy.send(Request.set("k7", "v", 0));
        assertThat(servers.server(config.pools().get("A").servers().get(Ch3.serverIndex("k7", 4))).peek("k7"))
            .contains("v");
    }

    @Test
    void theMovingConfigReadsAsTheTreeTheClassCommentDescribes() {
        long start = Scenario.DEPLOY + 600;
        var config = Plan.proxyConfig(Scenario.tier(4, 3, start, 3600, 1800));
        var proxy = new Proxy("p", servers).load(config.toJson());
        var top = (OperationSelectorRoute) proxy.route();
        assertThat(top.operationPolicies()).containsOnlyKeys("delete", "set");
        for (var op : List.of("delete", "set")) {
            var both = (AllSyncRoute) top.operationPolicies().get(op);
            assertThat(both.children()).extracting(Object::toString).containsExactly("PoolRoute|A", "PoolRoute|B");
        }
        var migrate = (MigrateRoute) top.defaultPolicy();
        assertThat(migrate.from).hasToString("PoolRoute|A");
        assertThat(migrate.startTime).isEqualTo(start - 3600);
        assertThat(migrate.interval).isEqualTo(3600);
        var warmUp = (WarmUpRoute) migrate.to;
        assertThat(warmUp.cold).hasToString("PoolRoute|B");
        assertThat(warmUp.warm).hasToString("PoolRoute|A");
        assertThat(warmUp.exptime).contains(1800L);
        assertThat(proxy.pools().get("A")).hasSize(3);
        assertThat(proxy.pools().get("B")).hasSize(4).startsWith(proxy.pools().get("A").toArray(String[]::new));
    }

    @Test
    void theObjectFormOfPoolRouteIsTheStringForm() {
        var json = """
            {"pools": {"A": {"servers": ["h0:11211", "h1:11211", "h2:11211"]}},
             "route": {"type": "PoolRoute", "pool": "A"}}""";
        var route = (PoolRoute) new Proxy("p", servers).load(json).route();
        assertThat(route).hasToString("PoolRoute|A");
        assertThat(route.servers).hasSize(3);
    }

    @Test
    void whatTheModelDoesNotUnderstandIsRefusedNotIgnored() {
        var proxy = new Proxy("p", servers);
        assertThatThrownBy(() -> proxy.load("""
            {"pools": {"A": {"servers": ["h:1"], "weights": [1]}}, "route": "PoolRoute|A"}"""))
            .hasMessageContaining("weights");
        assertThatThrownBy(() -> proxy.load("""
            {"pools": {"A": {"servers": ["h:1"]}}, "route": {"type": "OperationSelectorRoute",
             "operation_policies": {"sett": "PoolRoute|A"}}}""")).hasMessageContaining("Unknown operation: sett");
        assertThatThrownBy(() -> proxy.load("""
            {"pools": {"A": {"servers": ["h:1"]}}, "route": {"type": "MigrateRoute", "from": "PoolRoute|A",
             "to": "PoolRoute|A", "start_time": "soon"}}""")).hasMessageContaining("start_time");
        assertThatThrownBy(() -> proxy.load("""
            {"pools": {"A": {"servers": ["h:1"]}}, "route": "HashRoute|Pool|A"}""")).hasMessageContaining("HashRoute");
        assertThatThrownBy(() -> proxy.load("""
            {"pools": {"A": {"servers": ["h:1"]}}, "route": "PoolRoute|B"}""")).hasMessageContaining("pool not found");
    }
}
