package io.memcachedgke.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memcachedgke.config.InvalidConfigException;
import io.memcachedgke.config.Naming;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one rule table, through the component package's way in: every problem named by its argument path (as the
 * schema spells it), the value given and what is allowed, all at once. The stack's way in names the same problems by
 * stack key (BadStackFilesTest, StackSettingsTest): the rules are the same rows.
 */
class SettingRulesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-01T00:00:00Z"), ZoneOffset.UTC);
    static final String START = "2026-12-01T10:00:00Z";

    /** Names as the component package does: the argument path. */
    static final Naming ARGUMENTS = new Naming() {
        @Override
        public String key(String path) {
            return path;
        }

        @Override
        public String objectExample(String path) {
            return path + ": {...}";
        }
    };

    static SettingsReader.Read read(String argsJson) {
        try {
            return SettingsReader.component((ObjectNode) JSON.readTree(argsJson), ARGUMENTS, CLOCK);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> problems(String argsJson) {
        return catchThrowableOfType(() -> read(argsJson), InvalidConfigException.class).problems();
    }

    @Test
    void noArgumentsAreEveryDefault() {
        var s = read("{}").settings();
        assertThat(s.cache()).isEqualTo(CacheSpec.DEFAULTS);
        assertThat(s.stack()).isEmpty();
        assertThat(s.gke()).isEmpty();
        assertThat(s.onGke()).isFalse();
    }

    @Test
    void theProxiesRules() {
        assertThat(problems("{\"mcrouter\": {\"port\": 80, \"image\": \"mcrouter\", \"probeTimeoutMaxMs\": 500}}"))
            .containsExactly(
                "mcrouter.image must be an image reference pinned to a tag other than 'latest' or to a digest "
                    + "(e.g. memcached:1.6.38-alpine), but 'mcrouter' was provided",
                "mcrouter.port must be between 1024 and 65535, but 80 was provided",
                "mcrouter.probeTimeoutMaxMs must be between mcrouter.probeTimeoutInitialMs (1000) and 600000, but 500 was provided");
        assertThat(problems("{\"mcrouter\": {\"port\": 9442}}")).containsExactly(
            "mcrouter.port must not be 9442, the mcrouter exporter's port, but 9442 was provided");
        assertThat(read("{\"mcrouter\": {\"port\": 9442}, \"metrics\": {\"exporters\": false}}").warnings())
            .as("the exporter's port is free without the exporters").isEmpty();
    }

    @Test
    void theMetricsRules() {
        assertThat(problems("{\"metrics\": {\"interval\": \"30\", \"exporters\": false, \"podMonitoring\": true},"
            + " \"memcached\": {\"exporterImage\": \"exporter:latest\"}}")).containsExactly(
            "metrics.interval must be a number of seconds or minutes such as 30s or 1m, but '30' was provided",
            "metrics.podMonitoring is true, which needs metrics.exporters true (without the exporters nothing serves "
                + "metrics), but exporters false was provided",
            "memcached.exporterImage must be an image reference pinned to a tag other than 'latest' or to a digest "
                + "(e.g. memcached:1.6.38-alpine), but 'exporter:latest' was provided");
        assertThat(problems("{\"namespace\": \"Bad_NS\", \"metrics\": {\"hitRatioFloor\": 1.5, \"runbookBase\": \"docs/alerts.md#x\"}}"))
            .hasSize(3).allSatisfy(p -> assertThat(p).doesNotContain("memcached-gke:"));
    }

    @Test
    void notificationsNeedTheGkeClusterTheyAreSentFor() {
        assertThat(problems("{\"metrics\": {\"podMonitoring\": true, \"notificationEmails\": [\"oncall@example.com\"]}}"))
            .containsExactly("metrics.notificationEmails is only used with gke (the GKE cluster whose Cloud Monitoring "
                + "sends the notifications), but it is not set; set it or remove metrics.notificationEmails");
        var onGke = read("{\"gke\": {\"project\": \"acme-prod\", \"cluster\": \"cache\"},"
            + " \"metrics\": {\"notificationEmails\": [\"oncall@example.com\"]}}").settings();
        assertThat(onGke.onGke()).isTrue();
        assertThat(onGke.cache().metrics().podMonitoring(onGke.onGke())).as("managed Prometheus on GKE by default").isTrue();
        assertThat(problems("{\"gke\": {\"project\": \"Acme\"}}")).containsExactly(
            "gke.project must be a GCP project id (6 to 30 lower-case letters, digits and '-', starting with a letter), "
                + "but 'Acme' was provided",
            "gke.cluster is required with gke (the cluster's name)");
    }

    @Test
    void theResizeBlock() {
        assertThat(problems("{\"memcached\": {\"replicas\": 4, \"resize\": {}}}")).containsExactly(
            "memcached.resize.from is required in a resize block (the number of pods clients use now, e.g. from: 3)",
            "memcached.resize.startTime is required in a resize block (an RFC 3339 time in UTC such as 2026-12-01T10:00:00Z)",
            "memcached.resize.window is required in a resize block (a duration such as 30m, 1h or 1h30m)");
        assertThat(read("{\"memcached\": {\"replicas\": 4, \"resize\": {\"from\": 1, \"startTime\": \"" + START
            + "\", \"window\": \"1m\", \"copyTtl\": \"1s\"}}}").settings().cache().memcached().resize().copyTtl()).isEqualTo("1s");
        assertThat(read("{\"memcached\": {\"replicas\": 4, \"resize\": {\"from\": 64, \"startTime\": \"" + START
            + "\", \"window\": \"7d\"}}}").settings().cache().memcached().resize().copyTtl()).as("the default").isEqualTo("1h");
        assertThat(problems("{\"memcached\": {\"replicas\": 4, \"resize\": {\"from\": 0, \"startTime\": \"" + START
            + "\", \"window\": \"59s\", \"copyTtl\": \"31d\"}}}")).containsExactly(
            "memcached.resize.from must be between 1 and 64, but 0 was provided",
            "memcached.resize.window must be between 1m and 7d, but '59s' was provided",
            "memcached.resize.copyTtl must be between 1s and 30d, but '31d' was provided");
        assertThat(problems("{\"memcached\": {\"replicas\": 4, \"resize\": {\"from\": 3, \"startTime\": \"2026-12-01 10:00\","
            + " \"window\": \"an hour\", \"copyTtl\": \"1 h\"}}}")).containsExactly(
            "memcached.resize.startTime must be an RFC 3339 time in UTC such as 2026-12-01T10:00:00Z, but '2026-12-01 10:00' was provided",
            "memcached.resize.window must be a duration such as 30m, 1h or 1h30m, but 'an hour' was provided",
            "memcached.resize.copyTtl must be a duration such as 30m, 1h or 1h30m, but '1 h' was provided");
    }

    @Test
    void theSmokeTestsImageIsTheRolloutChecksToo() {
        assertThat(problems("{\"smokeTest\": {\"enabled\": false, \"image\": \"busybox\"}}")).containsExactly(
            "smokeTest.image must be an image reference pinned to a tag other than 'latest' or to a digest "
                + "(e.g. memcached:1.6.38-alpine), but 'busybox' was provided");
    }

    @Test
    void aResizeThatStartsSoonIsAWarningForAPackageUserToo() {
        var soon = Clock.fixed(Instant.parse("2026-12-01T09:55:00Z"), ZoneOffset.UTC);
        var args = "{\"memcached\": {\"replicas\": 4, \"resize\": {\"from\": 3, \"startTime\": \"" + START + "\", \"window\": \"1h\"}}}";
        try {
            var warnings = SettingsReader.component((ObjectNode) JSON.readTree(args), ARGUMENTS, soon).warnings();
            assertThat(warnings).containsExactly("memcached.resize.startTime 2026-12-01T10:00:00Z is less than 10 minutes "
                + "away: if this up starts the move, set it later (proxies load the new config over a minute or two, and "
                + "keys must not switch before all have it); on a later up during the move, ignore this");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void productionTakesNoHostPortUnlessOneIsAskedForAndThenRefusesIt() {
        var prod = read("{\"environment\": \"production\", \"namespace\": \"cache\"}").settings();
        assertThat(prod.cache().mcrouter().exposure(prod.environment())).hasToString("NODE_LOCAL_SERVICE");
        assertThat(problems("{\"environment\": \"production\", \"mcrouter\": {\"exposure\": \"hostPort\"}}")).containsExactly(
            "mcrouter.exposure must be nodeLocalService in production (a hostPort opens the unauthenticated cache protocol "
                + "on every node's IP, outside any Service, and keeps the namespace from enforcing Pod Security restricted), "
                + "but 'hostPort' was provided");
        assertThat(problems("{\"environment\": \"production\", \"networkPolicy\": {\"enabled\": false}}")).containsExactly(
            "networkPolicy.enabled must be true in production (memcached has no authentication), but false was provided");
    }
}
