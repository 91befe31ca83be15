package io.memcachedgke.monitoring;

import com.pulumi.core.Alias;
import com.pulumi.core.Output;
import com.pulumi.gcp.monitoring.AlertPolicy;
import com.pulumi.gcp.monitoring.AlertPolicyArgs;
import com.pulumi.gcp.monitoring.Dashboard;
import com.pulumi.gcp.monitoring.DashboardArgs;
import com.pulumi.gcp.monitoring.NotificationChannel;
import com.pulumi.gcp.monitoring.NotificationChannelArgs;
import com.pulumi.gcp.monitoring.inputs.AlertPolicyConditionArgs;
import com.pulumi.gcp.monitoring.inputs.AlertPolicyConditionConditionPrometheusQueryLanguageArgs;
import com.pulumi.gcp.monitoring.inputs.AlertPolicyDocumentationArgs;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.memcachedgke.alerts.AlertRules;
import io.memcachedgke.alerts.RuleScope;
import io.memcachedgke.config.Durations;
import io.memcachedgke.kube.Children;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One cache in Cloud Monitoring: its dashboard, and (with notification channels) every alert as a Cloud Monitoring
 * alert policy with PromQL conditions, since managed Prometheus's {@code Rules} can only notify through its
 * Alertmanager, which cannot use Cloud Monitoring's channels. GCP objects, in a GCP component: the Kubernetes tiers
 * hold Kubernetes objects only. Its children wait for what it waits for (the project's Monitoring API: without it
 * the first {@code up} of a fresh project races the API's enabling).
 */
public final class CloudMonitoring extends ComponentResource {
    public static final String TYPE = "memcached-gke:monitoring:CloudMonitoring";

    private final Output<String> dashboardUrl;
    private final ComponentResourceOptions options;
    private final Moved moved;

    /**
     * Where these objects were declared before this component existed (as children of the metrics tier, named from
     * it): each child carries an alias to that URN, so a stack deployed before keeps its dashboard and policies.
     *
     * @param parent     the component they were children of
     * @param namePrefix the name they were named from ({@code <prefix>-metrics})
     */
    public record Moved(Resource parent, String namePrefix) {}

    public CloudMonitoring(String name, CloudMonitoringArgs args, Moved moved, ComponentResourceOptions options) {
        super(TYPE, name, options);
        this.options = options;
        this.moved = moved;
        Output<String> url = Output.of("");
        if (args.dashboard()) {
            var dashboard = new Dashboard(name + "-dashboard", DashboardArgs.builder()
                .project(args.project())
                .dashboardJson(io.memcachedgke.alerts.Dashboard.of(args.scope(), args.cluster()).json())
                .build(), child("dashboard"));
            // The console's address takes the last segment of projects/<number>/dashboards/<id>.
            url = dashboard.id().applyValue(id -> "https://console.cloud.google.com/monitoring/dashboards/builder/"
                + id.substring(id.lastIndexOf('/') + 1) + "?project=" + args.project());
        }
        if (args.notifies()) {
            alertPolicies(name, args, args.scope().inCluster(args.cluster()));
        }
        this.dashboardUrl = url;
        registerOutputs(Map.of("dashboardUrl", dashboardUrl));
    }

    /** The dashboard's address; empty when none is declared. */
    public Output<String> dashboardUrl() {
        return dashboardUrl;
    }

    /** A child named {@code <name>-<suffix>}, aliased to where it was declared before. */
    private CustomResourceOptions child(String suffix) {
        // parent before name: the SDK's Alias.Builder.parent (1.36.1) refuses to follow name, checking the wrong field.
        return Children.of(this, options)
            .aliases(Alias.builder().parent(moved.parent()).name(moved.namePrefix() + "-" + suffix).build())
            .build();
    }

    private void alertPolicies(String name, CloudMonitoringArgs args, RuleScope scope) {
        var channels = new ArrayList<Output<String>>();
        for (int i = 0; i < args.notificationEmails().size(); i++) {
            var email = args.notificationEmails().get(i);
            channels.add(new NotificationChannel(name + "-email-" + i, NotificationChannelArgs.builder()
                .project(args.project())
                .type("email")
                .displayName("memcached-gke " + args.cluster() + ": " + email)
                .labels(Map.of("email_address", email))
                .build(), child("email-" + i)).name());
        }
        for (int i = 0; i < args.notificationTopics().size(); i++) {
            var topic = args.notificationTopics().get(i);
            channels.add(new NotificationChannel(name + "-pubsub-" + i, NotificationChannelArgs.builder()
                .project(args.project())
                .type("pubsub")
                .displayName("memcached-gke " + args.cluster() + ": " + topic)
                .labels(Map.of("topic", topic))
                .build(), child("pubsub-" + i)).name());
        }
        Output<List<String>> channelNames = Output.all(channels);
        for (var group : AlertRules.of(scope).groups()) {
            for (var alert : group.alerts()) {
                var suffix = RuleScope.anchor(alert.name());
                new AlertPolicy(name + "-" + suffix, AlertPolicyArgs.builder()
                    .project(args.project())
                    .displayName(args.cluster() + "/" + scope.namespace() + ": " + alert.name())
                    .combiner("OR")
                    .conditions(AlertPolicyConditionArgs.builder()
                        .displayName(alert.name())
                        .conditionPrometheusQueryLanguage(AlertPolicyConditionConditionPrometheusQueryLanguageArgs.builder()
                            .query(alert.expr())
                            .duration(seconds(alert.forDuration()))
                            .evaluationInterval(seconds(group.interval()))
                            .alertRule(alert.name())
                            .ruleGroup(group.name())
                            .labels(Map.of("severity", alert.severity().label()))
                            .build())
                        .build())
                    .notificationChannels(channelNames)
                    .documentation(AlertPolicyDocumentationArgs.builder()
                        .mimeType("text/markdown")
                        .content(alert.description() + "\n\nRunbook: " + alert.runbook())
                        .build())
                    .userLabels(Map.of("severity", alert.severity().label(), "part-of", "memcached-gke"))
                    .build(), child(suffix));
            }
        }
    }

    /** {@code 5m} to {@code 300s}: Cloud Monitoring takes durations in seconds. */
    static String seconds(String promDuration) {
        return Durations.parse(promDuration)
            .map(d -> d.getSeconds() + "s")
            .orElseThrow(() -> new IllegalArgumentException("not a duration: " + promDuration));
    }
}
