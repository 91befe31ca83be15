package io.memcachedgke.metrics;

import io.memcachedgke.alerts.RuleScope;
import io.memcachedgke.kube.Scraper;
import io.memcachedgke.kube.TlsMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The metrics tier: a memcached exporter outside the memcached pods (one container per shard, so a metrics change
 * never restarts a shard), how the exporters (this one and the sidecar beside every proxy) are scraped, and who may
 * scrape them.
 *
 * @param exporters              run the exporters
 * @param podMonitoring          declare a GKE managed Prometheus {@code PodMonitoring} per tier and let its collectors
 *                               in on the metrics ports
 * @param serviceMonitor         declare a prometheus-operator {@code ServiceMonitor} per tier (and a metrics Service)
 *                               and let {@code scraper} in
 * @param interval               scrape interval, e.g. {@code 30s}
 * @param scraper                the prometheus-operator Prometheus pods, for the NetworkPolicies
 * @param serviceMonitorLabels   labels on the ServiceMonitors (and the PrometheusRule), for a Prometheus whose
 *                               {@code serviceMonitorSelector} selects by label
 * @param memcachedExporterImage the memcached exporter's image
 * @param alertRules             declare the alert rules for each scraper: a managed Prometheus {@code Rules} object with
 *                               the PodMonitorings, a {@code PrometheusRule} with the ServiceMonitors
 * @param hitRatioFloor          the hit ratio below which the cache is called cold (an alert)
 * @param runbookBase            where the alerts' runbook is; each alert links {@code <runbookBase>#<alert>}
 * @param exporterTls            the exporter's client certificate for mutual TLS to the shards, or null (plain text)
 */
public record MetricsArgs(boolean exporters, boolean podMonitoring, boolean serviceMonitor, String interval,
                          Scraper scraper, Map<String, String> serviceMonitorLabels, String memcachedExporterImage,
                          boolean alertRules, double hitRatioFloor, String runbookBase, TlsMount exporterTls) {

    public MetricsArgs {
        serviceMonitorLabels = new TreeMap<>(serviceMonitorLabels);
    }

    /** What the rules and the dashboard are scoped to. */
    public RuleScope scope(String namespace, String namePrefix) {
        return new RuleScope(namespace, namePrefix, hitRatioFloor, runbookBase);
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
}
