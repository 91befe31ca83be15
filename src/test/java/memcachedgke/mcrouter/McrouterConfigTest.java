package memcachedgke.mcrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class McrouterConfigTest {
    private static final List<String> THREE = List.of("a-0.a.default.svc.cluster.local:11211",
        "a-1.a.default.svc.cluster.local:11211", "a-2.a.default.svc.cluster.local:11211");

    @Test
    void onePoolOfEveryServerInOrderAndAPoolRoute() throws Exception {
        var json = new ObjectMapper().readTree(McrouterConfig.forServers(THREE).toJson());
        assertThat(json.fieldNames()).toIterable().containsExactly("pools", "route");
        assertThat(json.at("/route").asText()).isEqualTo("PoolRoute|A");
        assertThat(json.at("/pools").size()).isEqualTo(1);
        assertThat(new ObjectMapper().convertValue(json.at("/pools/A/servers"), List.class)).isEqualTo(THREE);
    }

    @Test
    void sameServersSameBytesAndHash() {
        var a = McrouterConfig.forServers(THREE);
        var b = McrouterConfig.forServers(List.copyOf(THREE));
        assertThat(a.toJson()).isEqualTo(b.toJson());
        assertThat(a.sha256()).isEqualTo(b.sha256()).hasSize(64);
    }

    @Test
    void aChangedServerListChangesTheHash() {
        var four = new java.util.ArrayList<>(THREE);
        four.add("a-3.a.default.svc.cluster.local:11211");
        assertThat(McrouterConfig.forServers(four).sha256()).isNotEqualTo(McrouterConfig.forServers(THREE).sha256());
        // Order is part of the config: consistent hashing keys on position.
        assertThat(McrouterConfig.forServers(List.of(THREE.get(1), THREE.get(0), THREE.get(2))).sha256())
            .isNotEqualTo(McrouterConfig.forServers(THREE).sha256());
    }

    @Test
    void refusesAnEmptyPool() {
        assertThatThrownBy(() -> McrouterConfig.forServers(List.of()))
            .hasMessage("mcrouter needs at least one memcached server");
    }
}
