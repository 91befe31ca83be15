package io.memcachedgke.settings;

import java.util.List;
import java.util.Map;

/** Exporters, scraping, alerts and the dashboard. */
@Doc("Exporters outside the shards, who may scrape them, how they are scraped, the alert rules and Cloud Monitoring.")
public record MetricsSpec(
    @Doc("Run the memcached exporter Deployment (`<namePrefix>-memcached-exporter`, one container per shard, ports "
        + "`metrics-<i>` from 9150) and an exporter sidecar in each proxy pod (port 9442, `metrics`). memcached pods "
        + "hold memcached alone")
    boolean exporters,
    @Doc(value = "A GKE managed Prometheus `PodMonitoring` per tier. Needs `exporters`",
        dflt = "`true` on GKE (a GKE stack, or a package user who names `gke`) with `exporters`, otherwise `false`")
    Boolean podMonitoring,
    @Doc("A prometheus-operator `ServiceMonitor` per tier (and a metrics Service). Needs `exporters`")
    boolean serviceMonitor,
    @Doc("Scrape interval: 1–9999 seconds or minutes (`30s`, `1m`)") String interval,
    @Doc("Namespace of the prometheus-operator pods let in on the metrics ports") String scraperNamespace,
    @Doc("Labels of those pods") Map<String, String> scraperPodLabels,
    @Doc("Labels on the ServiceMonitors and the PrometheusRule, e.g. `{release: kube-prometheus-stack}`")
    Map<String, String> serviceMonitorLabels,
    @Doc("Alert rules for each scraper declared: a managed Prometheus `Rules` object with PodMonitorings, a "
        + "`PrometheusRule` with ServiceMonitors")
    boolean alertRules,
    @Doc("A Cloud Monitoring dashboard (on GKE, with `podMonitoring`). Its address is the `dashboardUrl` output")
    boolean dashboard,
    @Doc("0–1: the share of gets that hit below which the hit-ratio alert fires") double hitRatioFloor,
    @Doc("An address or path without spaces or `#`. Each alert links `<runbookBase>#<alert>`") String runbookBase,
    @Doc("Email addresses. Every alert also becomes a Cloud Monitoring alert policy with these channels. On GKE only; "
        + "needs `podMonitoring` and `alertRules`")
    List<String> notificationEmails,
    @Doc("Pub/Sub topics `projects/<project>/topics/<topic>`, likewise") List<String> notificationTopics) {

    public static final MetricsSpec DEFAULTS = new MetricsSpec(true, null, false, "30s", "monitoring",
        Map.of("app.kubernetes.io/name", "prometheus"), Map.of(), true, true, 0.8, "docs/alerts.md", List.of(), List.of());

    public MetricsSpec {
        scraperPodLabels = Copies.map(scraperPodLabels);
        serviceMonitorLabels = Copies.map(serviceMonitorLabels);
        notificationEmails = List.copyOf(notificationEmails);
        notificationTopics = List.copyOf(notificationTopics);
    }

    /** PodMonitorings: as given, or on GKE (where managed Prometheus runs) whenever the exporters do. */
    public boolean podMonitoring(boolean onGke) {
        return podMonitoring != null ? podMonitoring : onGke && exporters;
    }

    /** Alert notifications through Cloud Monitoring are configured. */
    public boolean notifies() {
        return !notificationEmails.isEmpty() || !notificationTopics.isEmpty();
    }
}
