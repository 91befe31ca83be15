package io.memcachedgke.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import io.memcachedgke.hash.Ch3;
import io.memcachedgke.locate.Layout;
import org.junit.jupiter.api.Test;

class LocateTest {

    @Test
    void namesThePodOfEveryKeyInInputOrder() {
        var keys = List.of("user:1", "user:2", "session:abc", "user:1");
        var lines = Locate.locate(Layout.plain(3), "acme", keys);
        assertThat(lines).hasSize(4);
        for (int i = 0; i < keys.size(); i++) {
            assertThat(lines.get(i)).isEqualTo(keys.get(i) + "\tacme-memcached-" + Ch3.serverIndex(keys.get(i), 3));
        }
    }

    @Test
    void duringAMoveItNamesBothLayouts() {
        var layout = new Layout(3, 4);
        var moving = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "k" + i)
            .filter(k -> layout.place(k).moves()).findFirst().orElseThrow();
        var staying = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "k" + i)
            .filter(k -> !layout.place(k).moves()).findFirst().orElseThrow();
        var lines = Locate.locate(layout, "mycache", List.of(moving, staying));
        assertThat(lines.get(0)).isEqualTo(moving + "\tmycache-memcached-" + layout.place(moving).before()
            + " until it switches, then mycache-memcached-3");
        assertThat(lines.get(1)).isEqualTo(staying + "\tmycache-memcached-" + layout.place(staying).before() + " (both layouts)");
    }

    @Test
    void keysMemcachedRefusesAreNamedAsRefused() {
        var lines = Locate.locate(Layout.plain(3), "mycache",
            List.of("has space", "", "x".repeat(251), "tab\there", "ok\r", "é".repeat(126)));
        assertThat(lines).containsExactly(
            "has space\trefused: contains a space (character 4)",
            "\trefused: empty",
            "x".repeat(251) + "\trefused: 251 bytes (memcached takes at most 250)",
            "tab\there\trefused: contains a control or whitespace character U+0009 (character 4)",
            "ok\tmycache-memcached-" + Ch3.serverIndex("ok", 3),
            "é".repeat(126) + "\trefused: 252 bytes (memcached takes at most 250)");
    }
}
