package io.memcachedgke.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import io.memcachedgke.config.InvalidConfigException;
import io.memcachedgke.alerts.AlertRules.Alert;
import io.memcachedgke.alerts.AlertRules.Severity;
import org.junit.jupiter.api.Test;

/** The rules' shape and the conventions every rule keeps; what they do is PromtoolTest's. */
class AlertRulesTest {
    static final RuleScope SCOPE = PromtoolTest.SCOPE;
    static final Pattern SELECTOR = DashboardTest.SELECTOR;
    static final Pattern METRIC = DashboardTest.METRIC;
    /** Counters: read only through rate() or increase(). */
    static final Pattern COUNTER = Pattern.compile("\\b[a-z_]+(?:_total|_count)\\b|\\bmcrouter_config_failures\\b");
    /** Labels managed Prometheus sets on every result of a Rules object, and refuses from the rule. */
    static final List<String> MANAGED_LABELS = List.of("project_id", "location", "cluster", "namespace");

    @Test
    void theAlertsTheirDurationsAndSeverities() {
        assertThat(AlertRules.of(SCOPE).groups()).extracting(AlertRules.Group::name, AlertRules.Group::interval)
            .containsExactly(tuple("mycache-memcached", "1m"), tuple("mycache-mcrouter", "1m"));
        assertThat(AlertRules.of(SCOPE).alerts()).extracting(Alert::name, Alert::forDuration, Alert::severity)
            .containsExactly(
                tuple("MemcachedShardDown", "5m", Severity.CRITICAL),
                tuple("MemcachedConnectionsNearLimit", "15m", Severity.WARNING),
                tuple("MemcachedEvictionsSustained", "30m", Severity.WARNING),
                tuple("MemcachedOutOfMemoryErrors", "15m", Severity.WARNING),
                tuple("MemcachedHitRatioLow", "15m", Severity.WARNING),
                tuple("McrouterShardMarkedDown", "5m", Severity.CRITICAL),
                tuple("McrouterShardErrors", "10m", Severity.WARNING),
                tuple("McrouterConfigReloadFailed", "5m", Severity.WARNING),
                tuple("McrouterDown", "5m", Severity.CRITICAL),
                tuple("McrouterNodeWithoutReadyProxy", "10m", Severity.CRITICAL));
    }

    @Test
    void theThreeRenderingsHaveTheSameGroups() throws Exception {
        var spec = AlertRules.of(SCOPE).spec();
        assertThat(AlertRules.gmpRulesSpec(SCOPE)).isEqualTo(spec);
        assertThat(AlertRules.prometheusRuleSpec(SCOPE)).isEqualTo(spec);
        Map<String, Object> file = new ObjectMapper(new YAMLFactory())
            .readValue(AlertRules.ruleFileYaml(SCOPE), new TypeReference<>() {});
        assertThat(file).isEqualTo(spec);
        assertThat(AlertRules.ruleFileYaml(SCOPE)).isEqualTo(AlertRules.ruleFileYaml(SCOPE));
    }

    @Test
    void everySelectorIsFilteredToTheNamespace() {
        for (var alert : AlertRules.of(SCOPE).alerts()) {
            var names = METRIC.matcher(alert.expr());
            while (names.find()) {
                assertThat(alert.expr().charAt(names.end())).as("%s in %s", names.group(), alert.name()).isEqualTo('{');
            }
            var selectors = SELECTOR.matcher(alert.expr());
            while (selectors.find()) {
                assertThat(selectors.group(2)).as("%s in %s", selectors.group(), alert.name())
                    .startsWith("namespace=\"memcached\", ")
                    // This cache's series only: its shards, its proxies' jobs, its DaemonSet.
                    .containsAnyOf("shard=~\"mycache-memcached-[0-9]+\"",
                        "job=~\"mycache-mcrouter|mycache-mcrouter-metrics\"", "daemonset=\"mycache-mcrouter\"");
            }
        }
    }

    @Test
    void everyCounterIsReadThroughRateOrIncrease() {
        for (var alert : AlertRules.of(SCOPE).alerts()) {
            var counters = COUNTER.matcher(alert.expr());
            while (counters.find()) {
                var before = alert.expr().substring(0, counters.start());
                assertThat(before).as("%s in %s", counters.group(), alert.name()).matches("(?s).*\\b(rate|increase)\\($");
            }
        }
        // The eviction alert in particular: never the raw counter (it would fire for good after one eviction).
        assertThat(alert("MemcachedEvictionsSustained").expr()).contains("rate(memcached_items_evicted_total{");
    }

    @Test
    void rulesCarryOnlySeverityAndTheThreeAnnotations() {
        @SuppressWarnings("unchecked")
        var groups = (List<Map<String, Object>>) AlertRules.of(SCOPE).spec().get("groups");
        assertThat(groups).hasSize(2);
        for (var group : groups) {
            @SuppressWarnings("unchecked")
            var rules = (List<Map<String, Object>>) group.get("rules");
            for (var rule : rules) {
                assertThat(rule.keySet()).containsExactly("alert", "expr", "for", "labels", "annotations");
                assertThat(((Map<String, ?>) rule.get("labels")).keySet()).containsExactly("severity")
                    .doesNotContainAnyElementsOf(MANAGED_LABELS);
                assertThat(((Map<String, ?>) rule.get("annotations")).keySet())
                    .containsExactly("summary", "description", "runbook_url");
            }
        }
    }

    @Test
    void everyAlertLinksToItsRunbookSection() throws Exception {
        var runbook = Files.readString(Path.of("docs/alerts.md"));
        var headings = Pattern.compile("(?m)^## (\\w+)$").matcher(runbook).results().map(m -> m.group(1)).toList();
        var names = AlertRules.of(SCOPE).alerts().stream().map(Alert::name).toList();
        assertThat(headings).as("docs/alerts.md has one section per alert, in order").isEqualTo(names);
        for (var alert : AlertRules.of(SCOPE).alerts()) {
            assertThat(alert.runbook()).isEqualTo("docs/alerts.md#" + alert.name().toLowerCase());
        }
    }

    @Test
    void theScopeSetsTheFloorAndTheRunbookAddress() {
        var scope = new RuleScope("cache", "sessions", 0.95,
            "https://github.com/example/memcached-gke/blob/main/docs/alerts.md");
        var rules = AlertRules.of(scope);
        var hitRatio = rules.alerts().stream().filter(a -> a.name().equals("MemcachedHitRatioLow")).findFirst().orElseThrow();
        assertThat(hitRatio.expr()).contains(") < 0.95 and ").contains("shard=~\"sessions-memcached-[0-9]+\"");
        assertThat(hitRatio.summary()).endsWith("below its 95% floor");
        assertThat(hitRatio.runbook())
            .isEqualTo("https://github.com/example/memcached-gke/blob/main/docs/alerts.md#memcachedhitratiolow");
        assertThat(rules.groups()).extracting(AlertRules.Group::name).containsExactly("sessions-memcached", "sessions-mcrouter");
        assertThat(rules.alerts()).allSatisfy(a -> assertThat(a.expr()).doesNotContain("memcached\"").contains("namespace=\"cache\""));
    }

    static Alert alert(String name) {
        return AlertRules.of(SCOPE).alerts().stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }
}
