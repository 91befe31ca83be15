package io.memcachedgke.settings;

/**
 * Where a package user's cache runs on GKE: the project and the cluster that Cloud Monitoring's dashboard and alert
 * policies are made for. A GKE stack of the Java program knows both from its own cluster.
 */
@Doc("The GKE cluster the cache runs on, for Cloud Monitoring: with it, managed Prometheus scrapes the exporters "
    + "(`metrics.podMonitoring`), and the dashboard and the alert policies are declared in the project.")
public record GkeSpec(
    @Doc(value = "The GCP project id of the cluster: 6–30 lower-case letters, digits and `-`, starting with a letter",
        required = true)
    String project,
    @Doc(value = "The GKE cluster's name: the dashboard's and the alert policies' queries select its series",
        required = true)
    String cluster) {

    public static final GkeSpec DEFAULTS = new GkeSpec(null, null);
}
