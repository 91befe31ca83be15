package io.memcachedgke.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import io.memcachedgke.config.Json;
import io.memcachedgke.kube.Names;

/**
 * One cache's Cloud Monitoring dashboard: the JSON the {@code gcp.monitoring.Dashboard} resource takes as
 * {@code dashboardJson}, built as a Jackson tree. Every chart is a managed Prometheus query
 * ({@code timeSeriesQuery.prometheusQuery}) whose every selector carries {@code cluster="<cluster>"},
 * {@code namespace="<namespace>"} and this cache's own series ({@link RuleScope}), so two stacks' dashboards
 * in one project never mix.
 *
 * <p>Counters are shown as rates over a fixed {@value #WINDOW} window: at a 30 s scrape interval a window of
 * the chart's own step can hold a single sample, and a rate needs two.
 *
 * <p>Whether every proxy runs the same config cannot be read directly: mcrouter answers
 * {@code get __mcrouter__.config_md5_digest}, but mcrouter_exporter 0.5.0 does not export it (only its unmerged
 * pull request 52 does). The dashboard shows what can be read instead, and says so: how far each proxy's last
 * successful config load is behind the newest, and which pod-template revision each proxy was started with
 * ({@code template:} in its {@code --config-params}, read from {@code mcrouter_commandargs}).
 *
 * @param displayName the dashboard's name in the console
 * @param tiles       the tiles, in reading order
 */
public record Dashboard(String displayName, List<Tile> tiles) {

    /** Cloud Monitoring's mosaic grid is 48 columns wide. */
    public static final int COLUMNS = 48;
    /** The rate window of every chart. */
    public static final String WINDOW = "5m";
    /** Behind the newest proxy's last successful load by more than this, a proxy probably missed a config. */
    public static final int CONFIG_LAG_SECONDS = 300;

    public enum Kind { TEXT, CHART, SCORECARD }

    /**
     * One PromQL query and what it shows.
     *
     * @param promql     the query
     * @param unit       Cloud Monitoring's unit for the values ({@code 1}, {@code 1/s}, {@code By}, {@code s})
     * @param rightAxis  plotted against the right-hand axis (a second unit on one chart)
     */
    public record Query(String promql, String unit, boolean rightAxis) {}

    /** A line drawn across a chart, or a scorecard's colour change, at {@code value}. */
    public record Threshold(String label, double value, boolean above, String color) {}

    /**
     * @param title      the tile's title; for text tiles, empty
     * @param kind       a text, a chart or a scorecard
     * @param text       a text tile's Markdown; otherwise empty
     * @param queries    a chart's lines (a scorecard has one)
     * @param thresholds lines on a chart, or a scorecard's colour change
     * @param width      columns, of {@value #COLUMNS}
     * @param height     rows
     */
    public record Tile(String title, Kind kind, String text, List<Query> queries, List<Threshold> thresholds,
                       int width, int height) {
        public Tile {
            queries = List.copyOf(queries);
            thresholds = List.copyOf(thresholds);
            if (width < 1 || width > COLUMNS) {
                throw new IllegalArgumentException("a tile is 1 to " + COLUMNS + " columns wide: " + width);
            }
        }
    }

    public Dashboard {
        tiles = List.copyOf(tiles);
    }

    /** The dashboard of the cache {@code scope} names, in the cluster {@code cluster}. */
    public static Dashboard of(RuleScope scope, String cluster) {
        var q = new Queries(scope, cluster);
        var tiles = new ArrayList<Tile>();
        tiles.add(text(about(scope, cluster), 6));

        tiles.add(scorecard("Shards up", q.mem("sum(", "memcached_up", ")"), "1", List.of()));
        tiles.add(scorecard("Hit ratio, whole cache (15 min)", q.hitRatio("", "15m"), "1",
            List.of(new Threshold("floor", scope.hitRatioFloor(), false, "YELLOW"))));
        tiles.add(scorecard("Proxies up", q.proxy("sum(", "mcrouter_up", ")"), "1", List.of()));
        tiles.add(scorecard("Nodes without a ready proxy", q.nodesWithoutProxy(), "1",
            List.of(new Threshold("", 0, true, "RED"))));

        tiles.add(text("### memcached, per shard\nShards are the pods `" + Names.memcached(scope.namePrefix())
            + "-<i>`; every series is read from the exporter Deployment `" + Names.memcachedExporter(scope.namePrefix())
            + "`.", 4));
        tiles.add(chart("Hit ratio: gets that hit / gets", List.of(
                new Query(q.hitRatio("", WINDOW), "1", false),
                new Query(q.hitRatio(RuleScope.SHARD_LABEL, WINDOW), "1", false)),
            List.of(new Threshold("alert floor", scope.hitRatioFloor(), false, "YELLOW"))));
        tiles.add(chart("Requests per second by command", List.of(
            new Query("sum by (shard, command) (" + q.memRate("memcached_commands_total") + ")", "1/s", false)),
            List.of()));
        tiles.add(chart("Evictions per second", List.of(
            new Query("sum by (shard) (" + q.memRate("memcached_items_evicted_total") + ")", "1/s", false)), List.of()));
        tiles.add(chart("Out-of-memory store errors per second (per slab class summed; store_no_memory)", List.of(
                new Query("sum by (shard) (" + q.memRate("memcached_slab_items_outofmemory_total") + ")", "1/s", false),
                new Query("sum by (shard) (" + q.memRate("memcached_item_no_memory_total") + ")", "1/s", false)),
            List.of()));
        tiles.add(chart("Memory used / limit (-m)", List.of(
                new Query("max by (shard) (" + q.memSelect("memcached_current_bytes") + ") / max by (shard) ("
                    + q.memSelect("memcached_limit_bytes") + ")", "1", false)),
            List.of(new Threshold("-m", 1, true, "YELLOW"))));
        tiles.add(chart("Connections / maximum (-c)", List.of(
                new Query("max by (shard) (" + q.memSelect("memcached_current_connections") + " / "
                    + q.memSelect("memcached_max_connections") + ")", "1", false)),
            List.of(new Threshold("alert", AlertRules.CONNECTIONS_CEILING, true, "RED"))));
        tiles.add(chart("Items stored", List.of(
            new Query("sum by (shard) (" + q.memSelect("memcached_current_items") + ")", "1", false)), List.of()));

        tiles.add(text("### mcrouter, per proxy\nOne proxy per node (DaemonSet `" + scope.daemonSet() + "`); `instance` "
            + "names the node under managed Prometheus. Destinations are named by shard, the first label of mcrouter's "
            + "server id.", 4));
        tiles.add(chart("Requests per second, per proxy", List.of(
            new Query("sum by (instance) (" + q.proxyRate("mcrouter_request_count", PromQl.eq("type", "sent")) + ")",
                "1/s", false)), List.of()));
        tiles.add(chart("Error replies per second, per proxy and kind", List.of(
            new Query("sum by (instance, reply) (" + q.proxyRate("mcrouter_result_count") + ")", "1/s", false)),
            List.of()));
        tiles.add(chart("Timeouts and remote errors per second, per proxy and destination shard", List.of(
                new Query("sum by (instance, shard) (" + PromQl.shardOfServer(
                    q.proxyRate("mcrouter_server_memcached_timeout_count") + " + "
                        + q.proxyRate("mcrouter_server_memcached_connect_timeout_count")) + ")", "1/s", false),
                new Query("sum by (instance, shard) (" + PromQl.shardOfServer(
                    q.proxyRate("mcrouter_server_memcached_remote_error_count")) + ")", "1/s", false)),
            List.of()));
        tiles.add(chart("Shards marked down (TKO), per proxy and shard: 1 = down", List.of(
                new Query("max by (instance, shard) (" + PromQl.shardOfServer("clamp_max("
                    + q.proxySelect("mcrouter_server_memcached_soft_tko") + " + "
                    + q.proxySelect("mcrouter_server_memcached_hard_tko") + ", 1)") + ")", "1", false)),
            List.of()));
        tiles.add(chart("Seconds since the last successful config load, per proxy", List.of(
            new Query("time() - max by (instance) (" + q.proxySelect("mcrouter_config_last_success") + ")", "s", false)),
            List.of()));
        tiles.add(chart("Config load failures (left) and seconds the last attempt is after the last success (right, "
                + "> 0 = the newest config failed)", List.of(
                new Query("sum by (instance) (increase(" + q.proxySelect("mcrouter_config_failures") + "[" + WINDOW
                    + "]))", "1", false),
                new Query("max by (instance) (clamp_min(" + q.proxySelect("mcrouter_config_last_attempt") + " - "
                    + q.proxySelect("mcrouter_config_last_success") + ", 0))", "s", true)),
            List.of()));
        tiles.add(chart("Same config everywhere? Seconds each proxy's last successful load is behind the newest "
                + "(inferred: mcrouter_exporter 0.5.0 exports no config digest)", List.of(
                new Query("scalar(max(" + q.proxySelect("mcrouter_config_last_success") + ")) - max by (instance) ("
                    + q.proxySelect("mcrouter_config_last_success") + ")", "s", false)),
            List.of(new Threshold("missed a config, or the newest proxy just started", CONFIG_LAG_SECONDS, true,
                "YELLOW"))));
        tiles.add(chart("Proxies per pod-template revision (from mcrouter_commandargs; two lines = a roll under way "
                + "or stuck)", List.of(
                new Query("count by (template) (label_replace(" + q.proxySelect("mcrouter_commandargs")
                    + ", \"template\", \"$1\", \"commandargs\", \".*template:([0-9a-f]+).*\"))", "1", false)),
            List.of()));
        return new Dashboard("memcached-gke " + scope.namePrefix() + " (" + cluster + "/" + scope.namespace() + ")",
            tiles);
    }

    /** The dashboard as Cloud Monitoring's API takes it: {@code displayName} and a mosaic layout. */
    public ObjectNode tree() {
        var root = JSON.createObjectNode();
        root.put("displayName", displayName);
        var layout = root.putObject("mosaicLayout");
        layout.put("columns", COLUMNS);
        var out = layout.putArray("tiles");
        // Left to right, a new row when a tile does not fit; a row is as high as its highest tile.
        int x = 0;
        int y = 0;
        int rowHeight = 0;
        for (var tile : tiles) {
            if (x + tile.width() > COLUMNS) {
                x = 0;
                y += rowHeight;
                rowHeight = 0;
            }
            var node = out.addObject();
            if (x > 0) {
                node.put("xPos", x);
            }
            if (y > 0) {
                node.put("yPos", y);
            }
            node.put("width", tile.width());
            node.put("height", tile.height());
            node.set("widget", widget(tile));
            x += tile.width();
            rowHeight = Math.max(rowHeight, tile.height());
        }
        return root;
    }

    /** {@link #tree()} as text, two-space indented: the same tiles always give the same text. */
    public String json() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final ObjectMapper JSON = Json.MAPPER;

    private static ObjectNode widget(Tile tile) {
        var widget = JSON.createObjectNode();
        switch (tile.kind()) {
            case TEXT -> {
                var text = widget.putObject("text");
                text.put("content", tile.text());
                text.put("format", "MARKDOWN");
            }
            case SCORECARD -> {
                widget.put("title", tile.title());
                var card = widget.putObject("scorecard");
                card.set("timeSeriesQuery", timeSeriesQuery(tile.queries().get(0)));
                card.putObject("sparkChartView").put("sparkChartType", "SPARK_LINE");
                thresholds(card, tile);
            }
            case CHART -> {
                widget.put("title", tile.title());
                var chart = widget.putObject("xyChart");
                var dataSets = chart.putArray("dataSets");
                for (var query : tile.queries()) {
                    var dataSet = dataSets.addObject();
                    dataSet.set("timeSeriesQuery", timeSeriesQuery(query));
                    dataSet.put("plotType", "LINE");
                    dataSet.put("targetAxis", query.rightAxis() ? "Y2" : "Y1");
                }
                thresholds(chart, tile);
                chart.putObject("yAxis").put("scale", "LINEAR");
                if (tile.queries().stream().anyMatch(Query::rightAxis)) {
                    chart.putObject("y2Axis").put("scale", "LINEAR");
                }
                chart.putObject("chartOptions").put("mode", "COLOR");
            }
        }
        return widget;
    }

    private static ObjectNode timeSeriesQuery(Query query) {
        var node = JSON.createObjectNode();
        node.put("prometheusQuery", query.promql());
        node.put("unitOverride", query.unit());
        return node;
    }

    private static void thresholds(ObjectNode parent, Tile tile) {
        if (tile.thresholds().isEmpty()) {
            return;
        }
        var out = parent.putArray("thresholds");
        for (var t : tile.thresholds()) {
            var node = out.addObject();
            if (!t.label().isEmpty()) {
                node.put("label", t.label());
            }
            // A zero is left out, as the Monitoring API leaves it out when it returns the dashboard (proto3 omits
            // zero values). Declared, it would stay a difference in every preview: google-beta 5.0.0 compares the
            // declared JSON with the returned one (services/monitoring/resource_monitoring_dashboard.go,
            // monitoringDashboardDiffSuppress; hashicorp/terraform-provider-google#16173). Same for xPos and yPos.
            if (t.value() != 0) {
                node.put("value", t.value());
            }
            node.put("color", t.color());
            node.put("direction", t.above() ? "ABOVE" : "BELOW");
            if (tile.kind() == Kind.CHART) {
                node.put("targetAxis", "Y1");
            }
        }
    }

    private static String about(RuleScope scope, String cluster) {
        return "**Cache `" + scope.namePrefix() + "` in cluster `" + cluster + "`, namespace `" + scope.namespace()
            + "`.** Every query is filtered to `cluster=\"" + cluster + "\"`, `namespace=\"" + scope.namespace()
            + "\"` and this cache's series. Counters are per-second rates over " + WINDOW + ". Alerts and what to do: "
            + "`" + scope.runbookBase() + "`.\n\n"
            + "*Same config on every proxy?* mcrouter_exporter 0.5.0 exports no config digest (only its unmerged pull "
            + "request 52 does), so this is inferred: a proxy whose last successful load is more than "
            + CONFIG_LAG_SECONDS / 60 + " minutes behind the newest proxy's probably missed a config (or the newest "
            + "proxy merely started later). The rollout check compares digests for certain at every `pulumi up`.";
    }

    private static Tile text(String markdown, int height) {
        return new Tile("", Kind.TEXT, markdown, List.of(), List.of(), COLUMNS, height);
    }

    private static Tile chart(String title, List<Query> queries, List<Threshold> thresholds) {
        return new Tile(title, Kind.CHART, "", queries, thresholds, 24, 16);
    }

    private static Tile scorecard(String title, String promql, String unit, List<Threshold> thresholds) {
        return new Tile(title, Kind.SCORECARD, "", List.of(new Query(promql, unit, false)), thresholds, 12, 8);
    }

    /** The selectors of one stack's cache: the rule scope's, plus the cluster. */
    private record Queries(RuleScope scope, String cluster) {
        List<String> mem() {
            return withCluster(scope.memcachedMatchers());
        }

        List<String> proxy() {
            return withCluster(scope.mcrouterMatchers());
        }

        private List<String> withCluster(List<String> matchers) {
            var all = new ArrayList<String>();
            all.add(PromQl.eq("cluster", cluster));
            all.addAll(matchers);
            return all;
        }

        String memSelect(String metric, String... own) {
            return PromQl.select(metric, mem(), own);
        }

        String mem(String before, String metric, String after) {
            return before + memSelect(metric) + after;
        }

        String memRate(String metric, String... own) {
            return "rate(" + memSelect(metric, own) + "[" + WINDOW + "])";
        }

        String proxySelect(String metric, String... own) {
            return PromQl.select(metric, proxy(), own);
        }

        String proxy(String before, String metric, String after) {
            return before + proxySelect(metric) + after;
        }

        String proxyRate(String metric, String... own) {
            return "rate(" + proxySelect(metric, own) + "[" + WINDOW + "])";
        }

        /** Gets that hit / gets, over the whole cache ({@code by} empty) or per {@code by}. */
        String hitRatio(String by, String window) {
            var sum = by.isEmpty() ? "sum" : "sum by (" + by + ") ";
            return sum + "(rate(" + memSelect("memcached_commands_total", PromQl.eq("command", "get"),
                PromQl.eq("status", "hit")) + "[" + window + "])) / " + sum + "(rate("
                + memSelect("memcached_commands_total", PromQl.eq("command", "get")) + "[" + window + "]))";
        }

        String nodesWithoutProxy() {
            var ds = withCluster(scope.daemonSetMatchers());
            return "max(" + PromQl.select("kube_daemonset_status_desired_number_scheduled", ds) + ") - max("
                + PromQl.select("kube_daemonset_status_number_ready", ds) + ")";
        }
    }
}
