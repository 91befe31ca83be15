package io.memcachedgke.memcached;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The resize block's own rules: what is required, where each bound lies, and the copy TTL's default. */
class ResizeTest {
    static final String START = "2026-12-01T10:00:00Z";

    @Test
    void aCompleteBlockPassesAndReadsAsTyped() {
        var r = new Resize(3, START, "1h30m", "1h", false);
        assertThat(r.start()).isEqualTo(Instant.parse(START));
        assertThat(r.windowDuration()).isEqualTo(Duration.ofMinutes(90));
        assertThat(r.copyTtlDuration()).isEqualTo(Duration.ofHours(1));
        assertThat(r.finish()).isFalse();
    }
}
