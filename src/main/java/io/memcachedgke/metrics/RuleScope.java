package io.memcachedgke.metrics;

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
 *       relabeling puts on every series of the memcached exporter ({@link Metrics#SHARD_LABEL});
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

    /** The runbook in this repository, relative: a rule's link works from a checkout or the repository's web view. */
    public static final String DEFAULT_RUNBOOK = "docs/alerts.md";
    /** No whitespace (it would end the link in a notification) and no fragment (the alert adds its own). */
    static final Pattern RUNBOOK = Pattern.compile("[^\\s#]+");

    public static final List<Rule<RuleScope>> RULES = List.of(
        Rule.matches("namespace", RuleScope::namespace, Formats.DNS_LABEL, Formats.DNS_LABEL_TEXT),
        Rule.matches("namePrefix", RuleScope::namePrefix, Formats.DNS_LABEL, Formats.DNS_LABEL_TEXT),
        Rule.of("hitRatioFloor", RuleScope::hitRatioFloor, v -> v >= 0 && v <= 1,
            v -> "must be a share of gets between 0 and 1 (0.8 means 80% of gets hit)"),
        Rule.matches("runbookBase", RuleScope::runbookBase, RUNBOOK,
            "an address or path without spaces or '#' (each alert adds #<its name>)"));

    public List<String> problems(String keyPrefix) {
        return Rule.checkAll(RULES, this, keyPrefix);
    }

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
        return where(PromQl.re(Metrics.SHARD_LABEL, Names.memcached(namePrefix) + "-[0-9]+"));
    }

    /** Matchers of this cache's mcrouter exporter series (either scrape object's job, see the class comment). */
    public List<String> mcrouterMatchers() {
        return where(PromQl.re("job", Names.mcrouter(namePrefix) + "|" + Names.mcrouter(namePrefix) + "-metrics"));
    }

    /** Matchers of kube-state-metrics' series about the proxies' DaemonSet. */
    public List<String> daemonSetMatchers() {
        return where(PromQl.eq("daemonset", daemonSet()));
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String namespace = Names.DEFAULT_NAMESPACE;
        private String namePrefix = Names.DEFAULT_PREFIX;
        private double hitRatioFloor = 0.8;
        private String runbookBase = DEFAULT_RUNBOOK;

        /** @param v the cache's namespace. @default {@code default} */
        public Builder namespace(String v) { this.namespace = v; return this; }
        /** @param v the cache's name prefix. @default {@code mycache} (the lab's release name) */
        public Builder namePrefix(String v) { this.namePrefix = v; return this; }
        /**
         * @param v hit-ratio floor. @default 0.8 (a cache in front of a database usually serves well above 80% of
         *          reads once warm; below that, the database sees several times the load it was sized for)
         */
        public Builder hitRatioFloor(double v) { this.hitRatioFloor = v; return this; }
        /**
         * @param v the runbook's address, e.g. {@code https://github.com/<org>/<repo>/blob/main/docs/alerts.md}.
         *          @default {@code docs/alerts.md} (this repository's runbook, relative)
         */
        public Builder runbookBase(String v) { this.runbookBase = v; return this; }

        public RuleScope build() {
            return new RuleScope(namespace, namePrefix, hitRatioFloor, runbookBase);
        }
    }
}
