package io.memcachedgke.monitoring;

import io.memcachedgke.alerts.RuleScope;
import java.util.List;

/**
 * Cloud Monitoring for one cache on GKE.
 *
 * @param project            the GCP project the dashboard and alert policies live in
 * @param cluster            the GKE cluster whose series the queries select (a policy sees every cluster of the project)
 * @param scope              the cache's series (namespace, name prefix), the hit-ratio floor and the runbook
 * @param dashboard          declare the dashboard
 * @param notificationEmails email addresses every alert notifies, as a Cloud Monitoring alert policy
 * @param notificationTopics Pub/Sub topics, likewise
 */
public record CloudMonitoringArgs(String project, String cluster, RuleScope scope, boolean dashboard,
                                  List<String> notificationEmails, List<String> notificationTopics) {
    public CloudMonitoringArgs {
        notificationEmails = List.copyOf(notificationEmails);
        notificationTopics = List.copyOf(notificationTopics);
    }

    public boolean notifies() {
        return !notificationEmails.isEmpty() || !notificationTopics.isEmpty();
    }
}
