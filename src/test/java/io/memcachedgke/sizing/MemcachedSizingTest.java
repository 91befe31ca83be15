package io.memcachedgke.sizing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MemcachedSizingTest {

    @Test
    void devShapeBudgetsEveryTermAboveTheItemMemory() {
        var s = MemcachedSizing.of(64, 250, 1024);
        assertThat(s.threads()).isEqualTo(1);
        assertThat(s.connectionMiB()).isEqualTo(20);   // 1024 x 20 KiB
        assertThat(s.threadMiB()).isEqualTo(2);
        assertThat(s.hashTableMiB()).isEqualTo(6);     // 2^19 buckets x 8 B, plus the old half-size table
        assertThat(s.slackMiB()).isEqualTo(4);         // 5% of 64, rounded up
        assertThat(s.limitMiB()).isEqualTo(112);       // 64+20+2+6+4+16 = 112, a multiple of 8
        assertThat(s.args(11211)).containsExactly("-p", "11211", "-U", "0", "-m", "64", "-c", "1024", "-t", "1");
    }

    @Test
    void prodShapeSumsEveryTermAndRoundsUpToEightMiB() {
        var s = MemcachedSizing.of(22528, 2000, 4096);
        assertThat(s.threads()).isEqualTo(8);
        assertThat(s.connectionMiB()).isEqualTo(80);   // 4096 x 20 KiB
        assertThat(s.threadMiB()).isEqualTo(16);
        assertThat(s.hashTableMiB()).isEqualTo(3072);
        assertThat(s.slackMiB()).isEqualTo(1127);      // 5% of 22528 = 1126.4, rounded up
        // 22528+80+16+3072+1127+16 = 26839, up to the next multiple of 8
        assertThat(s.limitMiB()).isEqualTo(26840);
    }

    @Test
    void mutualTlsAddsItsBuffersToEveryConnection() {
        var s = MemcachedSizing.of(22528, 2000, 4096, true);
        assertThat(s.connectionMiB()).isEqualTo(304);  // 4096 x (20 + 56) KiB
        // 22528+304+16+3072+1127+16 = 27063, up to the next multiple of 8
        assertThat(s.limitMiB()).isEqualTo(27064);
    }

    @Test
    void threadsFollowTheCpuRequestAndAreCapped() {
        assertThat(MemcachedSizing.threadsFor(249)).isZero();
        assertThat(MemcachedSizing.threadsFor(250)).isEqualTo(1);
        assertThat(MemcachedSizing.threadsFor(2000)).isEqualTo(8);
        assertThat(MemcachedSizing.threadsFor(64000)).isEqualTo(MemcachedSizing.MAX_THREADS);
    }

    @Test
    void aCpuRequestWithoutAThreadIsRefused() {
        assertThatThrownBy(() -> MemcachedSizing.of(64, 100, 1024))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("a CPU request of 100m gives no memcached worker thread");
    }

    @Test
    void theHashTableIsSizedForTheWorstCaseItemCount() {
        // 22 GiB of 96-byte chunks is 240M items: 2^28 buckets (2 GiB) plus the old 1 GiB table while growing.
        assertThat(MemcachedSizing.hashTableMiB(22528)).isEqualTo(3072);
        // 16 MiB: 174762 items need 2^17 buckets (1 MiB) plus the old half-size table.
        assertThat(MemcachedSizing.hashTableMiB(16)).isEqualTo(2);
        // Never below memcached's starting table (2^16 buckets, 512 KiB).
        assertThat(MemcachedSizing.hashTableMiB(1)).isEqualTo(1);
    }

    @Test
    void theLimitGrowsWithConnections() {
        assertThat(MemcachedSizing.of(64, 250, 4096).limitMiB())
            .isGreaterThan(MemcachedSizing.of(64, 250, 1024).limitMiB());
    }
}
