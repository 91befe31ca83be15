package io.memcachedgke.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import io.memcachedgke.config.Formats;
import io.memcachedgke.config.Rule;

/**
 * The metrics tier: a memcached exporter outside the memcached pods (one container per shard, so a metrics
 * change never restarts a shard), an exporter sidecar in every mcrouter pod, and how both are scraped.
 *
 * @param exporters             run the exporters
 * @param podMonitoring         declare a GKE managed Prometheus {@code PodMonitoring} per tier and let its
 *                              collectors in on the metrics ports
 * @param serviceMonitor        declare a prometheus-operator {@code ServiceMonitor} per tier (and a
 *                              {@value #PORT_NAME} port on the tier's Service) and let {@code scraper} in
 * @param interval              scrape interval, e.g. {@code 30s}
 * @param scraper               the prometheus-operator Prometheus pods, for the NetworkPolicies
 * @param serviceMonitorLabels  labels on the ServiceMonitors (and the PrometheusRule), for a Prometheus whose
 *                              {@code serviceMonitorSelector} selects by label (e.g. {@code release: kube-prometheus-stack})
 * @param memcachedExporterImage the memcached exporter's image (config key {@code memcached.exporterImage})
 * @param alertRules            declare the alert rules ({@link AlertRules}) for each scraper: a managed Prometheus
 *                              {@code Rules} object with the PodMonitorings, a {@code PrometheusRule} with the
 *                              ServiceMonitors
 * @param dashboard             declare the Cloud Monitoring dashboard ({@link Dashboard}) on GKE stacks with managed Prometheus
 * @param hitRatioFloor         the hit ratio below which the cache is called cold (an alert)
 * @param runbookBase           where the alerts' runbook is; each alert links {@code <runbookBase>#<alert>}
 * @param notificationEmails    email addresses Cloud Monitoring notifies (GKE stacks): every alert also becomes a
 *                              Cloud Monitoring alert policy with these channels
 * @param notificationTopics    Pub/Sub topics ({@code projects/<p>/topics/<t>}) Cloud Monitoring notifies, likewise
 */
public record MetricsArgs(boolean exporters, boolean podMonitoring, boolean serviceMonitor, String interval,
                          Scraper scraper, Map<String, String> serviceMonitorLabels, String memcachedExporterImage,
                          boolean alertRules, boolean dashboard, double hitRatioFloor, String runbookBase,
                          List<String> notificationEmails, List<String> notificationTopics) {

    /** The name of every exporter's container port (the memcached exporter's are {@code metrics-<shard>}). */
    public static final String PORT_NAME = "metrics";
    /** The memcached exporter's first port, its default; the exporter of shard i listens on this + i. */
    public static final int MEMCACHED_EXPORTER_PORT = 9150;
    /** The mcrouter exporter's port, its default. */
    public static final int MCROUTER_EXPORTER_PORT = 9442;
    /** An exporter is a small Go program: requests (and limits) of each sidecar. */
    public static final int EXPORTER_CPU_MILLIS = 20;
    public static final int EXPORTER_MEMORY_MIB = 32;
    /** The Go runtime's soft limit, below the container limit so that it collects garbage before the OOM killer acts. */
    public static final String EXPORTER_GOMEMLIMIT = "24MiB";

    static final Pattern INTERVAL = Pattern.compile("[1-9][0-9]{0,3}(s|m)");

    public MetricsArgs {
        serviceMonitorLabels = new TreeMap<>(serviceMonitorLabels);
        notificationEmails = List.copyOf(notificationEmails);
        notificationTopics = List.copyOf(notificationTopics);
    }

    static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    static final Pattern TOPIC = Pattern.compile("projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/topics/[A-Za-z][A-Za-z0-9._~%+-]{2,254}");

    /** Alert notifications through Cloud Monitoring are configured. */
    public boolean notifies() {
        return !notificationEmails.isEmpty() || !notificationTopics.isEmpty();
    }

    /** What the rules and the dashboard are scoped to. */
    public RuleScope scope(String namespace, String namePrefix) {
        return new RuleScope(namespace, namePrefix, hitRatioFloor, runbookBase);
    }

    public static final List<Rule<MetricsArgs>> RULES = List.of(
        Rule.matches("interval", MetricsArgs::interval, INTERVAL, "a number of seconds or minutes such as 30s or 1m"),
        Rule.custom("podMonitoring", (m, p) -> m.podMonitoring() && !m.exporters()
            ? "is true, which needs " + p + "exporters true (without the exporters nothing serves metrics), "
                + "but exporters false was provided" : null),
        Rule.custom("serviceMonitor", (m, p) -> m.serviceMonitor() && !m.exporters()
            ? "is true, which needs " + p + "exporters true (without the exporters nothing serves metrics), "
                + "but exporters false was provided" : null),
        Rule.of("hitRatioFloor", MetricsArgs::hitRatioFloor, v -> v >= 0 && v <= 1,
            v -> "must be a share of gets between 0 and 1 (0.8 means 80% of gets hit)"),
        Rule.matches("runbookBase", MetricsArgs::runbookBase, RuleScope.RUNBOOK,
            "an address or path without spaces or '#' (each alert adds #<its name>)"),
        Rule.custom("notificationEmails", (m, p) -> m.notificationEmails().stream().filter(e -> !EMAIL.matcher(e).matches())
            .findFirst().map(e -> "must be a list of email addresses, but " + Rule.quote(e) + " was provided").orElse(null)),
        Rule.custom("notificationTopics", (m, p) -> m.notificationTopics().stream().filter(t -> !TOPIC.matcher(t).matches())
            .findFirst().map(t -> "must be a list of Pub/Sub topics (projects/<project>/topics/<topic>), but " + Rule.quote(t)
                + " was provided").orElse(null)),
        Rule.custom("notificationEmails", (m, p) -> m.notifies() && !(m.podMonitoring() && m.alertRules())
            ? "and " + p + "notificationTopics need " + p + "podMonitoring and " + p + "alertRules true (Cloud Monitoring "
                + "evaluates the alerts on the managed Prometheus metrics), but they are not" : null));

    /** The memcached exporter's image keeps its key in the memcached block: {@code memcached.exporterImage}. */
    public static final List<Rule<MetricsArgs>> MEMCACHED_BLOCK_RULES = List.of(
        Rule.matches("exporterImage", MetricsArgs::memcachedExporterImage, Formats.PINNED_IMAGE, Formats.PINNED_IMAGE_TEXT));

    /** @param memcachedKeyPrefix the prefix of the memcached block's keys, for {@link #MEMCACHED_BLOCK_RULES} */
    public List<String> problems(String keyPrefix, String memcachedKeyPrefix) {
        var out = new ArrayList<>(problems(keyPrefix));
        out.addAll(Rule.checkAll(MEMCACHED_BLOCK_RULES, this, memcachedKeyPrefix));
        return out;
    }

    public List<String> problems(String keyPrefix) {
        return Rule.checkAll(RULES, this, keyPrefix);
    }

    /** Memory of the exporter sidecar in each mcrouter pod; 0 without exporters. */
    public int exporterMiB() {
        return exporters ? EXPORTER_MEMORY_MIB : 0;
    }

    /** Memory of the memcached exporter pod (one container per shard); 0 without exporters. */
    public int memcachedExporterPodMiB(int shards) {
        return exporters ? shards * EXPORTER_MEMORY_MIB : 0;
    }

    /** Who may reach the metrics ports: the collectors of the monitoring objects declared, no one else. */
    public List<Scraper> scrapers() {
        var out = new ArrayList<Scraper>();
        if (podMonitoring) {
            out.add(Scraper.GMP_COLLECTOR);
        }
        if (serviceMonitor) {
            out.add(scraper);
        }
        return out;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private boolean exporters = true;
        private boolean podMonitoring = true;
        private boolean serviceMonitor = false;
        private String interval = "30s";
        private Scraper scraper = Scraper.inNamespace("monitoring", Map.of("app.kubernetes.io/name", "prometheus"));
        private Map<String, String> serviceMonitorLabels = Map.of();
        private String memcachedExporterImage = "prom/memcached-exporter:v0.15.4";
        private boolean alertRules = true;
        private boolean dashboard = true;
        private double hitRatioFloor = 0.8;
        private String runbookBase = RuleScope.DEFAULT_RUNBOOK;
        private List<String> notificationEmails = List.of();
        private List<String> notificationTopics = List.of();

        /** @param v run the exporter sidecars. @default true */
        public Builder exporters(boolean v) { this.exporters = v; return this; }
        /**
         * @param v declare GKE managed Prometheus PodMonitorings. @default true (GKE clusters run managed
         *          Prometheus; the config reader turns it off on platform {@code existing}, and without exporters,
         *          unless it is set)
         */
        public Builder podMonitoring(boolean v) { this.podMonitoring = v; return this; }
        /** @param v declare prometheus-operator ServiceMonitors. @default false */
        public Builder serviceMonitor(boolean v) { this.serviceMonitor = v; return this; }
        /** @param v scrape interval. @default {@code 30s} (managed Prometheus's usual interval) */
        public Builder interval(String v) { this.interval = v; return this; }
        /**
         * @param v the prometheus-operator scraper. @default pods labelled
         *          {@code app.kubernetes.io/name=prometheus} (what the operator puts on Prometheus pods) in namespace
         *          {@code monitoring}
         */
        public Builder scraper(Scraper v) { this.scraper = v; return this; }
        /** @param v labels on the ServiceMonitors. @default none */
        public Builder serviceMonitorLabels(Map<String, String> v) { this.serviceMonitorLabels = v; return this; }

        /** @param v memcached exporter image. @default {@code prom/memcached-exporter:v0.15.4} (the Prometheus project's) */
        public Builder memcachedExporterImage(String v) { this.memcachedExporterImage = v; return this; }

        /** @param v declare alert rules for the scrapers. @default true */
        public Builder alertRules(boolean v) { this.alertRules = v; return this; }
        /** @param v declare the Cloud Monitoring dashboard (GKE with managed Prometheus). @default true */
        public Builder dashboard(boolean v) { this.dashboard = v; return this; }
        /** @param v hit-ratio floor. @default 0.8 (see {@link RuleScope.Builder#hitRatioFloor}) */
        public Builder hitRatioFloor(double v) { this.hitRatioFloor = v; return this; }
        /** @param v the runbook's address. @default {@code docs/alerts.md} (this repository's, relative) */
        public Builder runbookBase(String v) { this.runbookBase = v; return this; }
        /** @param v emails to notify. @default none: alerts go to the managed Alertmanager only */
        public Builder notificationEmails(List<String> v) { this.notificationEmails = v; return this; }
        /** @param v Pub/Sub topics to notify. @default none */
        public Builder notificationTopics(List<String> v) { this.notificationTopics = v; return this; }

        public MetricsArgs build() {
            return new MetricsArgs(exporters, podMonitoring, serviceMonitor, interval, scraper, serviceMonitorLabels,
                memcachedExporterImage, alertRules, dashboard, hitRatioFloor, runbookBase, notificationEmails,
                notificationTopics);
        }
    }
}
