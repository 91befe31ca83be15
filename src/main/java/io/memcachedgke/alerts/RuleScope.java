package io.memcachedgke.alerts;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import io.memcachedgke.config.Formats;
import io.memcachedgke.config.Rule;
import io.memcachedgke.kube.Names;

/**
 * What one cache's alerts and dashboard look at: its namespace and name prefix, from which every series
 * of this cache (and no other) is selected, the hit-ratio floor, and where the runbook lives.
 *
 * <p>Every selector carries {@code namespace="<namespace>"}: the same expressions then work in a
 * prometheus-operator {@code PrometheusRule} (which scopes nothing) and in a GKE managed Prometheus
 * {@code Rules} object, which adds the same equality matcher itself and accepts an identical one
 * (prometheus-engine {@code rules_config.go}, {@code setSelector}). Within the namespace, the name prefix
 * tells this cache's series from another cache's:
 * <ul>
 *   <li>memcached series by {@code shard=~"<prefix>-memcached-[0-9]+"}, the label the metrics tier's
 *       relabeling puts on every series of the memcached exporter ({@link #SHARD_LABEL});
 *   <li>mcrouter series by {@code job}: the PodMonitoring's name ({@code <prefix>-mcrouter}) under managed
 *       Prometheus, the metrics Service's name ({@code <prefix>-mcrouter-metrics}) under prometheus-operator;
 *   <li>kube-state-metrics series by {@code daemonset="<prefix>-mcrouter"}.
 * </ul>
 *
 * @param namespace     the cache's namespace (a {@code Rules} object must live there too)
 * @param namePrefix    the cache's name prefix: shards {@code <prefix>-memcached-<i>}, proxies' DaemonSet
 *                      {@code <prefix>-mcrouter}
 * @param hitRatioFloor the share of gets that hit below which the cache is called cold, 0 to 1
 * @param runbookBase   the runbook's address, to which {@code #<alert name in lower case>} is added
 * @param cluster       the GKE cluster's name, matched too where rules are evaluated across clusters (Cloud Monitoring
 *                      alert policies are project-wide); null where the evaluator is the cluster's own (a {@code Rules}
 *                      object, a prometheus-operator Prometheus)
 */
public record RuleScope(String namespace, String namePrefix, double hitRatioFloor, String runbookBase, String cluster) {

    public RuleScope(String namespace, String namePrefix, double hitRatioFloor, String runbookBase) {
        this(namespace, namePrefix, hitRatioFloor, runbookBase, null);
    }

    /** The same scope, also matching {@code cluster="<cluster>"}. */
    public RuleScope inCluster(String clusterName) {
        return new RuleScope(namespace, namePrefix, hitRatioFloor, runbookBase, clusterName);
    }

    /** The namespace matcher, preceded by the cluster's when the scope names one. */
    private List<String> where() {
        return cluster == null ? List.of(PromQl.eq("namespace", namespace))
            : List.of(PromQl.eq("cluster", cluster), PromQl.eq("namespace", namespace));
    }

    private List<String> where(String... more) {
        var out = new java.util.ArrayList<>(where());
        out.addAll(List.of(more));
        return List.copyOf(out);
    }

    /** The label each memcached series carries: the shard's pod name (the metrics tier's relabeling puts it there). */
    public static final String SHARD_LABEL = "shard";

    /** The link an alert's {@code runbook_url} carries: the runbook's section headed with the alert's name. */
    public String runbook(String alertName) {
        return runbookBase + "#" + anchor(alertName);
    }

    /** The anchor GitHub (and most Markdown renderers) give a heading that is exactly {@code alertName}. */
    public static String anchor(String alertName) {
        return alertName.toLowerCase(Locale.ROOT);
    }

    /** The proxies' DaemonSet. */
    public String daemonSet() {
        return Names.mcrouter(namePrefix);
    }

    /** Matchers of this cache's memcached exporter series. */
    public List<String> memcachedMatchers() {
        return where(PromQl.re(RuleScope.SHARD_LABEL, Names.memcached(namePrefix) + "-[0-9]+"));
    }

    /** Matchers of this cache's mcrouter exporter series (either scrape object's job, see the class comment). */
    public List<String> mcrouterMatchers() {
        return where(PromQl.re("job", Names.mcrouter(namePrefix) + "|" + Names.mcrouter(namePrefix) + "-metrics"));
    }

    /** Matchers of kube-state-metrics' series about the proxies' DaemonSet. */
    public List<String> daemonSetMatchers() {
        return where(PromQl.eq("daemonset", daemonSet()));
    }
}
