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
        var r = new Resize(3, START, "1h30m", null);
        assertThat(r.problems("memcached.resize.")).isEmpty();
        assertThat(r.start()).isEqualTo(Instant.parse(START));
        assertThat(r.windowDuration()).isEqualTo(Duration.ofMinutes(90));
        assertThat(r.copyTtlDuration()).as("the default copy TTL").isEqualTo(Duration.ofHours(1));
        assertThat(r.finish()).isFalse();
    }

    @Test
    void everyRequiredKeyIsNamed() {
        assertThat(new Resize(null, null, null, null).problems("memcached.resize.")).containsExactly(
            "memcached.resize.from is required in a resize block (the number of pods clients use now, e.g. from: 3)",
            "memcached.resize.startTime is required in a resize block (an RFC 3339 time in UTC such as 2026-12-01T10:00:00Z)",
            "memcached.resize.window is required in a resize block (a duration such as 30m, 1h or 1h30m)");
    }

    @Test
    void theBoundsOfFromWindowAndCopyTtl() {
        assertThat(new Resize(1, START, "1m", "1s").problems("r.")).isEmpty();
        assertThat(new Resize(64, START, "7d", "30d").problems("r.")).isEmpty();
        assertThat(new Resize(0, START, "59s", "31d").problems("r.")).containsExactly(
            "r.from must be between 1 and 64, but 0 was provided",
            "r.window must be between 1m and 7d, but '59s' was provided",
            "r.copyTtl must be between 1s and 30d, but '31d' was provided");
        assertThat(new Resize(65, START, "8d", "0s").problems("r.")).hasSize(3);
    }

    @Test
    void aTimeMustBeUtcAndADurationADuration() {
        assertThat(new Resize(3, "2026-12-01 10:00", "an hour", "1 h").problems("r.")).containsExactly(
            "r.startTime must be an RFC 3339 time in UTC such as 2026-12-01T10:00:00Z, but '2026-12-01 10:00' was provided",
            "r.window must be a duration such as 30m, 1h or 1h30m, but 'an hour' was provided",
            "r.copyTtl must be a duration such as 30m, 1h or 1h30m, but '1 h' was provided");
    }
}
