package io.memcachedgke.component;

import com.pulumi.core.annotations.Import;
import java.util.Map;

/** The metrics tier (stack config: {@code memcached-gke:metrics}). */
@Description("Exporters outside the shards, who may scrape them, how they are scraped, and the alert rules.")
public final class MetricsSettings {
    /** @default true */
    @Import(name = "exporters")
    @Description("Run the memcached exporter Deployment and an exporter beside every proxy. Default: true.")
    private Boolean exporters;

    /** @default false */
    @Import(name = "podMonitoring")
    @Description("A GKE managed Prometheus `PodMonitoring` per tier (needs GKE with managed collection). Default: false.")
    private Boolean podMonitoring;

    /** @default false */
    @Import(name = "serviceMonitor")
    @Description("A prometheus-operator `ServiceMonitor` per tier. Default: false.")
    private Boolean serviceMonitor;

    /** @default 30s */
    @Import(name = "interval")
    @Description("Scrape interval: 1-9999 seconds or minutes, e.g. `30s`, `1m`. Default: `30s`.")
    private String interval;

    /** @default monitoring */
    @Import(name = "scraperNamespace")
    @Description("Namespace of the prometheus-operator pods let in on the metrics ports. Default: `monitoring`.")
    private String scraperNamespace;

    /** @default {app.kubernetes.io/name: prometheus} */
    @Import(name = "scraperPodLabels")
    @Description("Labels of those pods. Default: `{\"app.kubernetes.io/name\": \"prometheus\"}`.")
    private Map<String, String> scraperPodLabels;

    /** @default none */
    @Import(name = "serviceMonitorLabels")
    @Description("Labels on the ServiceMonitors and the PrometheusRule, for a Prometheus that selects by label. Default: none.")
    private Map<String, String> serviceMonitorLabels;

    /** @default true */
    @Import(name = "alertRules")
    @Description("Alert rules for each scraper declared. Default: true.")
    private Boolean alertRules;

    /** @default 0.8 */
    @Import(name = "hitRatioFloor")
    @Description("The share of gets that hit below which the hit-ratio alert fires (0-1). Default: 0.8.")
    private Double hitRatioFloor;

    /** @default docs/alerts.md */
    @Import(name = "runbookBase")
    @Description("Where each alert's runbook link points: an address or path without spaces or `#`. Default: `docs/alerts.md`.")
    private String runbookBase;

    MetricsSettings() {}
}
