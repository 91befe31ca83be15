package io.memcachedgke.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Cloud Monitoring dashboard: every tile's title and queries, the stack's filter on each, and stable JSON. */
class DashboardTest {
    static final RuleScope SCOPE = PromtoolTest.SCOPE;
    static final String CLUSTER = "lab";
    static final String MEM = "cluster=\"lab\", namespace=\"memcached\", shard=~\"mycache-memcached-[0-9]+\"";
    static final String PROXY = "cluster=\"lab\", namespace=\"memcached\", job=~\"mycache-mcrouter|mycache-mcrouter-metrics\"";
    static final String DS = "cluster=\"lab\", namespace=\"memcached\", daemonset=\"mycache-mcrouter\"";
    static final String SHARD_OF_SERVER = "\"shard\", \"$1\", \"server\", \"([^.:]+).*\"";
    /** A selector: a metric name and its matchers. */
    static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}");
    /** A metric name of the exporters or kube-state-metrics, wherever it stands. */
    static final Pattern METRIC = Pattern.compile("\\b(?:memcached|mcrouter|kube)_[a-z_]+\\b");

    static JsonNode json() throws Exception {
        return new ObjectMapper().readTree(Dashboard.of(SCOPE, CLUSTER).json());
    }

    /** title -> queries, for every tile that has a title (the text tiles have none). */
    static Map<String, List<String>> titledTiles(JsonNode dashboard) {
        var out = new LinkedHashMap<String, List<String>>();
        for (var tile : dashboard.at("/mosaicLayout/tiles")) {
            var widget = tile.get("widget");
            if (widget.has("text")) {
                assertThat(widget.has("title")).isFalse();
                continue;
            }
            var queries = new ArrayList<String>();
            widget.findValues("prometheusQuery").forEach(q -> queries.add(q.asText()));
            assertThat(out.put(widget.get("title").asText(), queries)).as("titles are unique").isNull();
        }
        return out;
    }

    static List<String> allQueries(JsonNode dashboard) {
        return dashboard.findValues("prometheusQuery").stream().map(JsonNode::asText).toList();
    }

    /**
     * The Monitoring API returns a dashboard without its zero values (proto3 JSON), and the provider compares the
     * declared JSON with the returned one after dropping only keys the declaration lacks: a declared zero, false or
     * empty string would be a difference in every preview (hashicorp/terraform-provider-google#16173).
     */
    @Test
    void declaresNoZeroValueTheApiWouldLeaveOut() throws Exception {
        var zeros = new ArrayList<String>();
        collectZeros(json(), "", zeros);
        assertThat(zeros).isEmpty();
        // The scorecard that turns red above zero still says so: by direction, with the value left out.
        var card = json().findParents("scorecard").stream()
            .filter(w -> w.path("title").asText().equals("Nodes without a ready proxy")).findFirst().orElseThrow();
        assertThat(card.at("/scorecard/thresholds/0").toString()).isEqualTo("{\"color\":\"RED\",\"direction\":\"ABOVE\"}");
    }

    private static void collectZeros(JsonNode node, String path, List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> collectZeros(e.getValue(), path + "/" + e.getKey(), out));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectZeros(node.get(i), path + "/" + i, out);
            }
        } else if ((node.isNumber() && node.asDouble() == 0) || (node.isBoolean() && !node.asBoolean())
            || (node.isTextual() && node.asText().isEmpty())) {
            out.add(path + " = " + node);
        }
    }

    @Test
    void everyTileHasItsTitleAndQueries() throws Exception {
        var expected = new LinkedHashMap<String, List<String>>();
        var hits = "memcached_commands_total{" + MEM + ", command=\"get\", status=\"hit\"}";
        var gets = "memcached_commands_total{" + MEM + ", command=\"get\"}";
        expected.put("Shards up", List.of("sum(memcached_up{" + MEM + "})"));
        expected.put("Hit ratio, whole cache (15 min)", List.of(
            "sum(rate(" + hits + "[15m])) / sum(rate(" + gets + "[15m]))"));
        expected.put("Proxies up", List.of("sum(mcrouter_up{" + PROXY + "})"));
        expected.put("Nodes without a ready proxy", List.of(
            "max(kube_daemonset_status_desired_number_scheduled{" + DS + "}) - max(kube_daemonset_status_number_ready{"
                + DS + "})"));
        expected.put("Hit ratio: gets that hit / gets", List.of(
            "sum(rate(" + hits + "[5m])) / sum(rate(" + gets + "[5m]))",
            "sum by (shard) (rate(" + hits + "[5m])) / sum by (shard) (rate(" + gets + "[5m]))"));
        expected.put("Requests per second by command", List.of(
            "sum by (shard, command) (rate(memcached_commands_total{" + MEM + "}[5m]))"));
        expected.put("Evictions per second", List.of(
            "sum by (shard) (rate(memcached_items_evicted_total{" + MEM + "}[5m]))"));
        expected.put("Out-of-memory store errors per second (per slab class summed; store_no_memory)", List.of(
            "sum by (shard) (rate(memcached_slab_items_outofmemory_total{" + MEM + "}[5m]))",
            "sum by (shard) (rate(memcached_item_no_memory_total{" + MEM + "}[5m]))"));
        expected.put("Memory used / limit (-m)", List.of(
            "max by (shard) (memcached_current_bytes{" + MEM + "}) / max by (shard) (memcached_limit_bytes{" + MEM + "})"));
        expected.put("Connections / maximum (-c)", List.of(
            "max by (shard) (memcached_current_connections{" + MEM + "} / memcached_max_connections{" + MEM + "})"));
        expected.put("Items stored", List.of("sum by (shard) (memcached_current_items{" + MEM + "})"));
        expected.put("Requests per second, per proxy", List.of(
            "sum by (instance) (rate(mcrouter_request_count{" + PROXY + ", type=\"sent\"}[5m]))"));
        expected.put("Error replies per second, per proxy and kind", List.of(
            "sum by (instance, reply) (rate(mcrouter_result_count{" + PROXY + "}[5m]))"));
        expected.put("Timeouts and remote errors per second, per proxy and destination shard", List.of(
            "sum by (instance, shard) (label_replace(rate(mcrouter_server_memcached_timeout_count{" + PROXY
                + "}[5m]) + rate(mcrouter_server_memcached_connect_timeout_count{" + PROXY + "}[5m]), "
                + SHARD_OF_SERVER + "))",
            "sum by (instance, shard) (label_replace(rate(mcrouter_server_memcached_remote_error_count{" + PROXY
                + "}[5m]), " + SHARD_OF_SERVER + "))"));
        expected.put("Shards marked down (TKO), per proxy and shard: 1 = down", List.of(
            "max by (instance, shard) (label_replace(clamp_max(mcrouter_server_memcached_soft_tko{" + PROXY
                + "} + mcrouter_server_memcached_hard_tko{" + PROXY + "}, 1), " + SHARD_OF_SERVER + "))"));
        expected.put("Seconds since the last successful config load, per proxy", List.of(
            "time() - max by (instance) (mcrouter_config_last_success{" + PROXY + "})"));
        expected.put("Config load failures (left) and seconds the last attempt is after the last success (right, "
            + "> 0 = the newest config failed)", List.of(
            "sum by (instance) (increase(mcrouter_config_failures{" + PROXY + "}[5m]))",
            "max by (instance) (clamp_min(mcrouter_config_last_attempt{" + PROXY + "} - mcrouter_config_last_success{"
                + PROXY + "}, 0))"));
        expected.put("Same config everywhere? Seconds each proxy's last successful load is behind the newest "
            + "(inferred: mcrouter_exporter 0.5.0 exports no config digest)", List.of(
            "scalar(max(mcrouter_config_last_success{" + PROXY + "})) - max by (instance) (mcrouter_config_last_success{"
                + PROXY + "})"));
        expected.put("Proxies per pod-template revision (from mcrouter_commandargs; two lines = a roll under way "
            + "or stuck)", List.of(
            "count by (template) (label_replace(mcrouter_commandargs{" + PROXY
                + "}, \"template\", \"$1\", \"commandargs\", \".*template:([0-9a-f]+).*\"))"));

        var dashboard = json();
        assertThat(titledTiles(dashboard)).containsExactlyEntriesOf(expected);
        assertThat(dashboard.get("displayName").asText()).isEqualTo("memcached-gke mycache (lab/memcached)");
    }

    @Test
    void everyQueryCarriesTheStacksClusterAndNamespace() throws Exception {
        var queries = allQueries(json());
        assertThat(queries).hasSize(23);
        for (var query : queries) {
            // No metric is read without a selector ...
            var names = METRIC.matcher(query);
            while (names.find()) {
                assertThat(query.charAt(names.end())).as("%s in %s", names.group(), query).isEqualTo('{');
            }
            // ... and every selector names the cluster and the namespace.
            var selectors = SELECTOR.matcher(query);
            int count = 0;
            while (selectors.find()) {
                count++;
                assertThat(selectors.group(2)).as(selectors.group())
                    .startsWith("cluster=\"lab\", namespace=\"memcached\", ");
            }
            assertThat(count).as(query).isPositive();
        }
    }

    @Test
    void theConfigTilesSayTheDigestIsInferred() throws Exception {
        var text = Dashboard.of(SCOPE, CLUSTER).tiles().get(0).text();
        assertThat(text).contains("mcrouter_exporter 0.5.0 exports no config digest",
            "cluster=\"lab\"", "namespace=\"memcached\"", "docs/alerts.md");
    }

    @Test
    void theThresholdsAreTheAlerts() throws Exception {
        var tiles = Dashboard.of(new RuleScope("memcached", "mycache", 0.9, "docs/alerts.md"),
            CLUSTER).tiles();
        var byTitle = new LinkedHashMap<String, Dashboard.Tile>();
        tiles.forEach(t -> byTitle.put(t.title(), t));
        assertThat(byTitle.get("Hit ratio: gets that hit / gets").thresholds())
            .containsExactly(new Dashboard.Threshold("alert floor", 0.9, false, "YELLOW"));
        assertThat(byTitle.get("Connections / maximum (-c)").thresholds())
            .containsExactly(new Dashboard.Threshold("alert", AlertRules.CONNECTIONS_CEILING, true, "RED"));
    }

    @Test
    void theJsonIsDeterministicAndTheTilesFitTheGrid() throws Exception {
        var first = Dashboard.of(SCOPE, CLUSTER).json();
        assertThat(Dashboard.of(new RuleScope("memcached", "mycache", 0.8, "docs/alerts.md"), CLUSTER).json())
            .isEqualTo(first);
        assertThat(Dashboard.of(SCOPE, "other").json()).isNotEqualTo(first);

        var dashboard = json();
        assertThat(dashboard.at("/mosaicLayout/columns").asInt()).isEqualTo(48);
        var occupied = new boolean[200][48];
        for (var tile : dashboard.at("/mosaicLayout/tiles")) {
            int x = tile.path("xPos").asInt(0);
            int y = tile.path("yPos").asInt(0);
            assertThat(x + tile.get("width").asInt()).isLessThanOrEqualTo(48);
            for (int row = y; row < y + tile.get("height").asInt(); row++) {
                for (int col = x; col < x + tile.get("width").asInt(); col++) {
                    assertThat(occupied[row][col]).as("tiles overlap at %d,%d", col, row).isFalse();
                    occupied[row][col] = true;
                }
            }
            // Only the widget fields this builder means to write (the API refuses unknown ones).
            var widget = tile.get("widget");
            widget.fieldNames().forEachRemaining(f -> assertThat(f).isIn("title", "xyChart", "scorecard", "text"));
        }
    }
}
