package io.memcachedgke.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The small parsers the rules use: CIDR blocks, durations, GCP locations, and the one-line refusal. */
class FormatsAndDurationsTest {
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"10.0.0.0/8, true", "0.0.0.0/0, true", "255.255.255.255/32, true", "256.0.0.0/8, false",
        "10.0.0.256/8, false", "10.0.0.0/33, false", "10.0.0/8, false", "10.0.0.0, false", "a.b.c.d/8, false",
        "10.0.0.0/-1, false", "'10.0.0.0/24 ', false"})
    void ipv4Cidrs(String text, boolean valid) {
        assertThat(Formats.isIpv4Cidr(text)).isEqualTo(valid);
    }

    @ParameterizedTest(name = "{0} = {1}s")
    @CsvSource({"1s, 1", "59s, 59", "1m, 60", "1h30m, 5400", "2d, 172800", "1d2h3m4s, 93784"})
    void durationsReadAndWriteBack(String text, long seconds) {
        assertThat(Durations.parse(text)).contains(Duration.ofSeconds(seconds));
        assertThat(Durations.format(Duration.ofSeconds(seconds))).isEqualTo(text);
    }

    @Test
    void whatIsNotADuration() {
        assertThat(Durations.parse("")).isEmpty();
        assertThat(Durations.parse("1 h")).isEmpty();
        assertThat(Durations.parse("an hour")).isEmpty();
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(Durations.parseUtc("2026-12-01T10:00:00Z")).isPresent();
        assertThat(Durations.parseUtc("2026-12-01T10:00:00+01:00")).isEmpty();
        assertThat(Durations.parseUtc("2026-13-01T10:00:00Z")).isEmpty();
    }

    @Test
    void gcpLocationsAreRealRegionsAndTheirZones() {
        assertThat(GcpLocations.isRegion("us-central1")).isTrue();
        assertThat(GcpLocations.isZone("us-central1")).isFalse();
        assertThat(GcpLocations.isZone("us-central1-f")).isTrue();
        assertThat(GcpLocations.isRegion("us-central1-f")).isFalse();
        assertThat(GcpLocations.isZone("europe-west4-z")).isFalse();
        assertThat(GcpLocations.zonesOf("europe-west4")).containsExactly("europe-west4-a", "europe-west4-b", "europe-west4-c");
        assertThat(GcpLocations.zonesOf("mars-north1")).isEmpty();
        assertThat(GcpLocations.regions()).contains("us-central1", "europe-west4").doesNotContain("us-central1-f");
        assertThat(GcpLocations.all()).contains("us-central1", "us-central1-f");
    }

    @Test
    void aRefusalIsOneLineAndReadsBackIntoItsProblems() {
        var one = new InvalidConfigException(List.of("memcached-gke:a must be b, but 'c' was provided"));
        assertThat(one.getMessage()).isEqualTo(
            "invalid configuration (1 problem): memcached-gke:a must be b, but 'c' was provided");
        var two = new InvalidConfigException(List.of("memcached-gke:a is wrong; really", "gcp:project is not set"));
        assertThat(two.getMessage()).isEqualTo(
            "invalid configuration (2 problems): memcached-gke:a is wrong; really; gcp:project is not set");
        assertThat(two.problems()).containsExactly("memcached-gke:a is wrong; really", "gcp:project is not set");
        assertThat(InvalidConfigException.fromMessage(two.getMessage()).problems()).isEqualTo(two.problems());
        assertThatThrownBy(() -> InvalidConfigException.fromMessage("boom")).hasMessage("not a refusal: boom");
        InvalidConfigException.throwIfAny(List.of());
        assertThatThrownBy(() -> InvalidConfigException.throwIfAny(List.of("x:y z"))).isInstanceOf(InvalidConfigException.class)
            .hasMessage("invalid configuration (1 problem): x:y z");
    }
}
