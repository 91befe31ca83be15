package io.memcachedgke.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.memcachedgke.support.Stacks;
import org.junit.jupiter.api.Test;

/** Cloud Monitoring's objects: a GCP component of their own, waiting for the project's Monitoring API. */
class CloudMonitoringTest {

    /** On GKE the dashboard waits for the project's Monitoring API, which the cluster tier enables. */
    @Test
    void theDashboardWaitsForTheMonitoringApiAndSitsInItsOwnComponent() {
        var dev = Stacks.render("dev");
        var dashboard = Stacks.one(dev, "gcp:monitoring/dashboard:Dashboard");
        assertThat(dashboard.dependencies()).contains("gcp:projects/service:Service::demo-cluster-api-monitoring");
        assertThat(dashboard.parent()).isEqualTo(CloudMonitoring.TYPE + "::mycache-cloud-monitoring");
        assertThat(Stacks.one(dev, CloudMonitoring.TYPE).parent()).isEqualTo("memcached-gke:index:CacheService::mycache");
    }

    @Test
    void offGkeThereIsNone() {
        assertThat(Stacks.ofType(Stacks.render("local"), CloudMonitoring.TYPE)).isEmpty();
    }

    @Test
    void durationsAreSeconds() {
        assertThat(CloudMonitoring.seconds("5m")).isEqualTo("300s");
        assertThat(CloudMonitoring.seconds("30s")).isEqualTo("30s");
    }
}
