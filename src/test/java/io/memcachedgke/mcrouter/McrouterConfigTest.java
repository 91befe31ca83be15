package io.memcachedgke.mcrouter;

import io.memcachedgke.cache.Plan;
import io.memcachedgke.support.Plans;
import io.memcachedgke.support.Records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import io.memcachedgke.memcached.MemcachedArgs;
import io.memcachedgke.memcached.Resize;
import org.junit.jupiter.api.Test;

class McrouterConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> THREE = List.of("a-0.a.default.svc.cluster.local:11211",
        "a-1.a.default.svc.cluster.local:11211", "a-2.a.default.svc.cluster.local:11211");
    private static final List<String> FOUR = List.of("a-0.a.default.svc.cluster.local:11211",
        "a-1.a.default.svc.cluster.local:11211", "a-2.a.default.svc.cluster.local:11211",
        "a-3.a.default.svc.cluster.local:11211");

    @Test
    void onePoolOfEveryServerInOrderAndAPoolRoute() throws Exception {
        var json = JSON.readTree(McrouterConfig.plain(THREE).toJson());
        assertThat(json.fieldNames()).toIterable().containsExactly("pools", "route");
        assertThat(json.at("/route").asText()).isEqualTo("PoolRoute|A");
        assertThat(json.at("/pools").size()).isEqualTo(1);
        assertThat(JSON.convertValue(json.at("/pools/A/servers"), List.class)).isEqualTo(THREE);
    }

    @Test
    void theDigestIsTheMd5OfTheFilesBytesAsMcrouterReadsThem() throws Exception {
        var config = McrouterConfig.plain(THREE);
        // mcrouter/ProxyConfigBuilder.cpp: configMd5Digest_ = Md5Hash(jsonC), over the raw file contents.
        var md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
            .digest(config.toJson().getBytes(StandardCharsets.UTF_8)));
        assertThat(config.md5()).isEqualTo(md5).hasSize(32).matches("[0-9a-f]{32}");
    }

    @Test
    void sameServersSameBytesAndDigest() {
        var a = McrouterConfig.plain(THREE);
        var b = McrouterConfig.plain(List.copyOf(THREE));
        assertThat(a.toJson()).isEqualTo(b.toJson());
        assertThat(a.md5()).isEqualTo(b.md5());
    }

    @Test
    void aChangedServerListChangesTheDigest() {
        assertThat(McrouterConfig.plain(FOUR).md5()).isNotEqualTo(McrouterConfig.plain(THREE).md5());
        // Order is part of the config: consistent hashing keys on position.
        assertThat(McrouterConfig.plain(List.of(THREE.get(1), THREE.get(0), THREE.get(2))).md5())
            .isNotEqualTo(McrouterConfig.plain(THREE).md5());
    }

    @Test
    void aMoveRoutesDeletesAndSetsToBothLayoutsAndEverythingElseThroughOneMigrateRoute() throws Exception {
        var start = 1_796_119_200L; // 2026-12-01T10:00:00Z
        var json = JSON.readTree(McrouterConfig.migrating(new McrouterConfig.Migration(THREE, FOUR, start, 3600, 900))
            .toJson());
        assertThat(JSON.convertValue(json.at("/pools/A/servers"), List.class)).isEqualTo(THREE);
        assertThat(JSON.convertValue(json.at("/pools/B/servers"), List.class)).isEqualTo(FOUR);
        JsonNode route = json.at("/route");
        assertThat(route.at("/type").asText()).isEqualTo("OperationSelectorRoute");
        var bothPools = JSON.readTree("{\"type\":\"AllSyncRoute\",\"children\":[\"PoolRoute|A\",\"PoolRoute|B\"]}");
        assertThat(route.at("/operation_policies/delete")).isEqualTo(bothPools);
        // Sets too, from the moment a proxy loads the config: no proxy's clock decides where a write goes.
        assertThat(route.at("/operation_policies/set")).isEqualTo(bothPools);
        var migrate = route.at("/default_policy");
        assertThat(migrate.at("/type").asText()).isEqualTo("MigrateRoute");
        assertThat(migrate.at("/from").asText()).isEqualTo("PoolRoute|A");
        // Keys switch at start_time + interval + hash % interval: across [start, start + window).
        assertThat(migrate.at("/start_time").asLong()).isEqualTo(start - 3600);
        assertThat(migrate.at("/interval").asLong()).isEqualTo(3600);
        assertThat(migrate.at("/to")).isEqualTo(JSON.readTree(
            "{\"type\":\"WarmUpRoute\",\"cold\":\"PoolRoute|B\",\"warm\":\"PoolRoute|A\",\"exptime\":900}"));
    }

    @Test
    void aResizeBlockGivesTheMovingConfigAndTheSameTextWheneverItIsRendered() throws Exception {
        var args = Records.with(Plans.memcached(), "replicas", 4, "resize", new Resize(3, "2026-12-01T10:00:00Z", "1h", "1h", false));
        var first = Plan.proxyConfig(args);
        assertThat(Plan.proxyConfig(args).toJson()).isEqualTo(first.toJson());
        assertThat(first.pools()).containsOnlyKeys("A", "B");
        assertThat(first.pools().get("A").servers()).hasSize(3);
        assertThat(first.pools().get("B").servers()).hasSize(4)
            .first().isEqualTo("mycache-memcached-0.mycache-memcached.default.svc.cluster.local:11211");
        assertThat(JSON.readTree(first.toJson()).at("/route/default_policy/to/exptime").asLong())
            .as("the copy TTL defaults to an hour").isEqualTo(3600);
        assertThat(Plan.proxyConfig(Records.with(Plans.memcached(), "replicas", 4)).pools()).containsOnlyKeys("A");
    }

    @Test
    void refusesAnEmptyPool() {
        assertThatThrownBy(() -> McrouterConfig.plain(List.of()))
            .hasMessage("mcrouter needs at least one memcached server");
    }
}
