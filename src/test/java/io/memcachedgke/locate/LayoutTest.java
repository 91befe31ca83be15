package io.memcachedgke.locate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import io.memcachedgke.hash.Ch3;
import org.junit.jupiter.api.Test;

/** Where keys live in a layout, during a move, and the smoke test's keys: one per pod, the first ch3 puts there. */
class LayoutTest {
    @Test
    void aPlainLayoutPutsOneSmokeKeyOnEachPodWhereCh3PutsIt() {
        var keys = Layout.plain(3).smokeKeys();
        assertThat(keys).extracting(Layout.SmokeKey::predicted).containsExactly(0, 1, 2);
        assertThat(keys).allSatisfy(k -> {
            assertThat(k.also()).isEqualTo(k.predicted());
            assertThat(Ch3.serverIndex(k.key(), 3)).isEqualTo(k.predicted());
            assertThat(k.entry()).isEqualTo(k.key() + "@" + k.predicted());
        });
    }

    @Test
    void eachSmokeKeyIsTheFirstThatLandsOnItsPod() {
        var layout = new Layout(3, 4);
        var taken = new HashSet<String>();
        for (var k : layout.smokeKeys()) {
            int n = Integer.parseInt(k.key().substring(Layout.SMOKE_KEY_PREFIX.length()));
            int pod = layout.smokeKeys().indexOf(k);
            for (int earlier = 0; earlier < n; earlier++) {
                var key = Layout.SMOKE_KEY_PREFIX + earlier;
                boolean lands = pod < 3 ? Ch3.serverIndex(key, 3) == pod : Ch3.serverIndex(key, 4) == pod;
                assertThat(lands && !taken.contains(key)).as("%s lands on pod %d before %s", key, pod, k.key()).isFalse();
            }
            taken.add(k.key());
        }
    }

    @Test
    void smokeKeysAreDistinctNumberedFromZeroAndStableForEveryLayout() {
        for (int from = 1; from <= 8; from++) {
            for (int to = 1; to <= 8; to++) {
                var keys = new Layout(from, to).smokeKeys();
                assertThat(keys).hasSize(Math.max(from, to));
                assertThat(keys).extracting(Layout.SmokeKey::key).doesNotHaveDuplicates()
                    .allMatch(k -> k.matches("memcached-gke\\.smoke\\.[0-9]+"));
                assertThat(new Layout(from, to).smokeKeys()).isEqualTo(keys);
            }
        }
        // The first keys ch3 puts on each of 3 pods (mcrouter's hash, checked against upstream in Ch3Test).
        assertThat(Layout.plain(3).smokeKeys()).allSatisfy(k -> {
            int n = Integer.parseInt(k.key().substring(Layout.SMOKE_KEY_PREFIX.length()));
            for (int earlier = 0; earlier < n; earlier++) {
                assertThat(Ch3.serverIndex(Layout.SMOKE_KEY_PREFIX + earlier, 3)).isNotEqualTo(k.predicted());
            }
        });
    }

    @Test
    void duringAMoveTheNewPodsKeyIsOneThatMovesOntoIt() {
        var keys = new Layout(3, 4).smokeKeys();
        assertThat(keys).hasSize(4);
        var onNew = keys.get(3);
        assertThat(onNew.also()).isEqualTo(3);
        assertThat(onNew.predicted()).isEqualTo(Ch3.serverIndex(onNew.key(), 3)).isNotEqualTo(3);
        assertThat(onNew.entry()).isEqualTo(onNew.key() + "@" + onNew.predicted() + "+3");
        assertThat(new Layout(3, 4).place(onNew.key()).moves()).isTrue();
    }

    @Test
    void podsCountBothLayoutsAndAShrinkMayKeepSurplusPods() {
        assertThat(new Layout(3, 4).podCount()).isEqualTo(4);
        assertThat(new Layout(4, 3).podCount()).isEqualTo(4);
        assertThat(Layout.plain(3).moving()).isFalse();
        assertThat(new Layout(4, 3).moving()).isTrue();
        assertThat(Layout.plain(3).within(4).podCount()).isEqualTo(4);
        assertThat(Layout.plain(3).within(4).smokeKeys()).hasSize(3);
        assertThatThrownBy(() -> new Layout(3, 4, 3)).hasMessage(
            "a layout needs at least one server and a pod for each: 3 -> 4 on 3 pods");
        assertThatThrownBy(() -> Layout.plain(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
