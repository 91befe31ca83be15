package io.memcachedgke.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import io.memcachedgke.kube.Names;

/**
 * One cache's alerting rules, written once and rendered three ways with the same groups: the {@code spec} of
 * a GKE managed Prometheus {@code Rules} object, the {@code spec} of a prometheus-operator
 * {@code PrometheusRule}, and a plain Prometheus rule file (what {@code promtool} checks and unit-tests).
 *
 * <p>How the rules are written, and why:
 * <ul>
 *   <li>Every selector is filtered to the scope's namespace and cache ({@link RuleScope}), so the expressions
 *       are the same under both operators; a {@code Rules} object must be created in that namespace, where
 *       managed Prometheus adds the same {@code namespace} matcher.
 *   <li>No rule sets {@code project_id}, {@code location}, {@code cluster} or {@code namespace} as a label:
 *       managed Prometheus sets those on every result of a {@code Rules} object and refuses a rule that
 *       sets them itself. The only rule label is {@code severity}.
 *   <li>Every counter is read through {@code rate()} or {@code increase()}: a raw counter compared with 0
 *       (as in managed Prometheus's memcached example, {@code memcached_items_evicted_total > 0}) fires for
 *       good after the first eviction, until the shard restarts.
 *   <li>Results are aggregated to the labels that name the thing at fault ({@code shard}, the proxy's
 *       {@code instance}, the DaemonSet), so an alert keeps its identity across exporter restarts.
 *   <li>Each alert has a {@code for:} long enough to ride out what the program itself does: a shard or
 *       proxy restart during a roll, a node joining.
 * </ul>
 *
 * @param groups the rule groups, memcached's then mcrouter's
 */
public record AlertRules(List<Group> groups) {

    /** How a rule's notification should be treated; the value of its {@code severity} label. */
    public enum Severity {
        /** Applications fail or will fail now: act at once. */
        CRITICAL,
        /** The cache serves, but worse or at risk: act within working hours. */
        WARNING;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One alerting rule.
     *
     * @param name        the alert's name; its runbook section is headed with exactly this name
     * @param expr        the PromQL expression; every series it returns is an alert
     * @param forDuration how long the expression must hold before the alert fires
     * @param severity    the {@code severity} label
     * @param summary     one line, for the notification's title (may use {@code $labels}, {@code $value})
     * @param description what is wrong and what it does to the applications
     * @param runbook     the link to the alert's runbook section
     */
    public record Alert(String name, String expr, String forDuration, Severity severity, String summary,
                        String description, String runbook) {

        /** The rule as Prometheus, managed Prometheus and prometheus-operator all read it. */
        Map<String, Object> toRule() {
            var annotations = new LinkedHashMap<String, Object>();
            annotations.put("summary", summary);
            annotations.put("description", description);
            annotations.put("runbook_url", runbook);
            var rule = new LinkedHashMap<String, Object>();
            rule.put("alert", name);
            rule.put("expr", expr);
            rule.put("for", forDuration);
            rule.put("labels", Map.of("severity", severity.label()));
            rule.put("annotations", Collections.unmodifiableMap(annotations));
            return Collections.unmodifiableMap(rule);
        }
    }

    /**
     * @param name     the group's name, prefixed with the cache's so two caches' groups differ in one Prometheus
     * @param interval how often the group is evaluated
     * @param alerts   its rules
     */
    public record Group(String name, String interval, List<Alert> alerts) {
        public Group {
            alerts = List.copyOf(alerts);
        }

        Map<String, Object> toGroup() {
            var group = new LinkedHashMap<String, Object>();
            group.put("name", name);
            group.put("interval", interval);
            group.put("rules", alerts.stream().map(Alert::toRule).toList());
            return Collections.unmodifiableMap(group);
        }
    }

    /** Managed Prometheus's default, written out: every {@code for:} below is a whole number of minutes. */
    public static final String INTERVAL = "1m";
    /** Above this share of its maximum connections, a shard is close to refusing new ones. */
    public static final double CONNECTIONS_CEILING = 0.9;
    /**
     * Below this many gets a second (averaged over the hit-ratio window) the hit ratio is not judged: with a
     * few hundred gets, a handful of new keys swings it, and with none at all it is undefined.
     */
    public static final double MIN_GETS_PER_SECOND = 1;
    /** Above this share of requests ending in a connect error or timeout, a proxy is failing to reach shards. */
    public static final double DESTINATION_ERROR_CEILING = 0.01;
    /** mcrouter's replies that mean it could not get an answer from memcached (mcrouter/stat_list.h). */
    static final String UNREACHABLE_REPLIES = "connect_error|connect_timeout|data_timeout";

    public AlertRules {
        groups = List.copyOf(groups);
    }

    /** Every alert, in group order. */
    public List<Alert> alerts() {
        return groups.stream().flatMap(g -> g.alerts().stream()).toList();
    }

    /** The rules for {@code scope}. */
    public static AlertRules of(RuleScope scope) {
        return new AlertRules(List.of(
            new Group(Names.memcached(scope.namePrefix()), INTERVAL, memcachedAlerts(scope)),
            new Group(Names.mcrouter(scope.namePrefix()), INTERVAL, mcrouterAlerts(scope))));
    }

    /** {@code {groups: [...]}}: the shape of a rule file, of a {@code Rules} spec and of a PrometheusRule spec. */
    public Map<String, Object> spec() {
        return Map.of("groups", groups.stream().map(Group::toGroup).toList());
    }

    /** The {@code spec} of a {@code monitoring.googleapis.com/v1} {@code Rules} object in the scope's namespace. */
    public static Map<String, Object> gmpRulesSpec(RuleScope scope) {
        return of(scope).spec();
    }

    /** The {@code spec} of a {@code monitoring.coreos.com/v1} {@code PrometheusRule}. */
    public static Map<String, Object> prometheusRuleSpec(RuleScope scope) {
        return of(scope).spec();
    }

    /** A Prometheus rule file, for {@code promtool check rules} and {@code promtool test rules}. */
    public static String ruleFileYaml(RuleScope scope) {
        try {
            return Yaml.MAPPER.writeValueAsString(of(scope).spec());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loaded when a rule file is written (the tests), not when the program declares the rules. */
    private static final class Yaml {
        static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // One line per expression: a folded double-quoted PromQL string is hard to read and to diff.
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR));
    }

    private static List<Alert> memcachedAlerts(RuleScope s) {
        var m = s.memcachedMatchers();
        var byShard = "by (namespace, " + RuleScope.SHARD_LABEL + ") ";
        var gets = "sum by (namespace) (rate(" + PromQl.select("memcached_commands_total", m, PromQl.eq("command", "get"))
            + "[15m]))";
        var hits = "sum by (namespace) (rate(" + PromQl.select("memcached_commands_total", m, PromQl.eq("command", "get"),
            PromQl.eq("status", "hit")) + "[15m]))";
        var floor = PromQl.number(s.hitRatioFloor());
        var floorPercent = BigDecimal.valueOf(s.hitRatioFloor()).movePointRight(2).stripTrailingZeros().toPlainString();
        var ceilingPercent = BigDecimal.valueOf(CONNECTIONS_CEILING).movePointRight(2).stripTrailingZeros().toPlainString();
        return List.of(
            alert(s, "MemcachedShardDown",
                "max " + byShard + "(" + PromQl.select("memcached_up", m) + ") == 0", "5m", Severity.CRITICAL,
                "memcached shard {{ $labels.shard }} is down",
                "The exporter of shard {{ $labels.shard }} (namespace {{ $labels.namespace }}) has not reached "
                    + "memcached for 5 minutes. Every key that maps to this shard misses (the proxies mark it down), "
                    + "and it comes back empty: memcached keeps nothing across a restart."),
            alert(s, "MemcachedConnectionsNearLimit",
                "max " + byShard + "(" + PromQl.select("memcached_current_connections", m) + " / "
                    + PromQl.select("memcached_max_connections", m) + ") > " + PromQl.number(CONNECTIONS_CEILING),
                "15m", Severity.WARNING,
                "memcached shard {{ $labels.shard }} holds {{ $value | humanizePercentage }} of its maximum connections",
                "Shard {{ $labels.shard }} has held more than " + ceilingPercent + "% of its maximum connections "
                    + "(memcached -c) for 15 minutes. At the maximum it stops accepting connections, and new "
                    + "proxies and direct clients fail to connect."),
            alert(s, "MemcachedEvictionsSustained",
                "sum " + byShard + "(rate(" + PromQl.select("memcached_items_evicted_total", m) + "[10m])) > 0",
                "30m", Severity.WARNING,
                "memcached shard {{ $labels.shard }} keeps evicting items",
                "Shard {{ $labels.shard }} has evicted items in every 10-minute window for 30 minutes "
                    + "({{ $value | humanize }} a second now): it is full, and each new item pushes out one that "
                    + "had not expired."),
            alert(s, "MemcachedOutOfMemoryErrors",
                "(sum " + byShard + "(rate(" + PromQl.select("memcached_slab_items_outofmemory_total", m)
                    + "[5m])) > 0) or (sum " + byShard + "(rate(" + PromQl.select("memcached_item_no_memory_total", m)
                    + "[5m])) > 0)",
                "15m", Severity.WARNING,
                "memcached shard {{ $labels.shard }} fails to store items: out of memory",
                "Shard {{ $labels.shard }} has answered stores with SERVER_ERROR out of memory for 15 minutes "
                    + "({{ $value | humanize }} a second now): it could not free room for the item, so the write "
                    + "was lost."),
            alert(s, "MemcachedHitRatioLow",
                hits + " / " + gets + " < " + floor + " and " + gets + " > " + PromQl.number(MIN_GETS_PER_SECOND),
                "15m", Severity.WARNING,
                "Cache " + s.namePrefix() + " hits {{ $value | humanizePercentage }} of gets, below its " + floorPercent
                    + "% floor",
                "For 15 minutes, the share of gets to cache " + s.namePrefix() + " (namespace {{ $labels.namespace }}) "
                    + "that found their key, over 15-minute windows, has been below " + floorPercent + "% (now "
                    + "{{ $value | humanizePercentage }}). Every miss is a read of the backing store."));
    }

    private static List<Alert> mcrouterAlerts(RuleScope s) {
        var p = s.mcrouterMatchers();
        var byProxy = "by (namespace, instance) ";
        var tko = PromQl.shardOfServer(PromQl.select("mcrouter_server_memcached_soft_tko", p) + " == 1 or "
            + PromQl.select("mcrouter_server_memcached_hard_tko", p) + " == 1");
        var shardDown = "max by (namespace, " + RuleScope.SHARD_LABEL + ") ("
            + PromQl.select("memcached_up", s.memcachedMatchers()) + ") == 0";
        var ds = s.daemonSetMatchers();
        return List.of(
            alert(s, "McrouterShardMarkedDown",
                "max by (namespace, instance, " + RuleScope.SHARD_LABEL + ") (" + tko + ") unless on (namespace, "
                    + RuleScope.SHARD_LABEL + ") (" + shardDown + ")",
                "5m", Severity.CRITICAL,
                "Proxy {{ $labels.instance }} marks shard {{ $labels.shard }} down",
                "mcrouter on {{ $labels.instance }} has had shard {{ $labels.shard }} marked down (TKO) for 5 minutes "
                    + "while the shard itself is up: requests from this node for the shard's keys fail at once. "
                    + "(A shard that is down raises MemcachedShardDown instead.)"),
            alert(s, "McrouterShardErrors",
                "sum " + byProxy + "(rate(" + PromQl.select("mcrouter_result_count", p,
                    PromQl.re("reply", UNREACHABLE_REPLIES)) + "[5m])) / sum " + byProxy + "(rate("
                    + PromQl.select("mcrouter_request_count", p, PromQl.eq("type", "sent")) + "[5m])) > "
                    + PromQl.number(DESTINATION_ERROR_CEILING),
                "10m", Severity.WARNING,
                "Proxy {{ $labels.instance }} fails to reach memcached for {{ $value | humanizePercentage }} of requests",
                "For 10 minutes, more than 1% of the requests mcrouter on {{ $labels.instance }} routed ended in a "
                    + "connect error, a connect timeout or a data timeout from a shard."),
            alert(s, "McrouterConfigReloadFailed",
                "max " + byProxy + "(" + PromQl.select("mcrouter_config_last_attempt", p) + " - "
                    + PromQl.select("mcrouter_config_last_success", p) + ") > 0",
                "5m", Severity.WARNING,
                "Proxy {{ $labels.instance }} failed to load its config",
                "mcrouter on {{ $labels.instance }} last tried to load its config {{ $value | humanizeDuration }} after "
                    + "its last successful load: the newest config failed, and it still routes with the one before. "
                    + "Resolves when a load succeeds."),
            alert(s, "McrouterDown",
                "max " + byProxy + "(" + PromQl.select("mcrouter_up", p) + ") == 0",
                "5m", Severity.CRITICAL,
                "mcrouter on {{ $labels.instance }} is down",
                "The exporter beside mcrouter on {{ $labels.instance }} has not read mcrouter's stats for 5 minutes. "
                    + "Applications on that node reach the cache only through their node's proxy."),
            alert(s, "McrouterNodeWithoutReadyProxy",
                "max by (namespace, daemonset) (" + PromQl.select("kube_daemonset_status_desired_number_scheduled", ds)
                    + ") - max by (namespace, daemonset) (" + PromQl.select("kube_daemonset_status_number_ready", ds)
                    + ") > 0",
                "10m", Severity.CRITICAL,
                "{{ $value }} node(s) have no ready " + s.daemonSet() + " proxy",
                "For 10 minutes, DaemonSet " + s.daemonSet() + " (namespace {{ $labels.namespace }}) has had "
                    + "{{ $value }} fewer ready pods than nodes it should run on. Applications on such a node reach "
                    + "the cache only through their node's proxy, so their requests fail."));
    }

    private static Alert alert(RuleScope s, String name, String expr, String forDuration, Severity severity,
                               String summary, String description) {
        return new Alert(name, expr, forDuration, severity, summary, description, s.runbook(name));
    }
}
