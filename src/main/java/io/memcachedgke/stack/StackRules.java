package io.memcachedgke.stack;

import java.util.List;
import io.memcachedgke.config.Formats;
import io.memcachedgke.config.Rule;
import io.memcachedgke.gke.GkeClusterArgs;
import io.memcachedgke.kube.Names;
import io.memcachedgke.stack.ConfigReader.StackFacts;

/**
 * Rules that look across keys: what the platform needs, what production demands, and names that must
 * stay valid once they are combined. Keys are relative to {@code memcached-gke:}, except
 * {@code gcp:project}, which belongs to the gcp provider.
 */
final class StackRules {
    private StackRules() {}

    /** A StatefulSet's name plus "-" and a 10-character revision hash must fit a 63-character label. */
    static final int MAX_STATEFULSET_NAME = 52;
    static final int MAX_PREFIX = MAX_STATEFULSET_NAME - Names.memcached("").length();
    static final String OPEN_TO_ALL = "0.0.0.0/0";

    static final List<Rule<StackFacts>> RULES = List.of(
        Rule.matches("namePrefix", StackFacts::namePrefix, Formats.DNS_LABEL, Formats.DNS_LABEL_TEXT),
        Rule.custom("namePrefix", (f, p) -> f.namePrefix().length() <= MAX_PREFIX ? null
            : "must be at most " + MAX_PREFIX + " characters, so that the StatefulSet <prefix>-memcached (at most "
                + MAX_STATEFULSET_NAME + ") and its pods' names stay valid DNS labels, but "
                + Rule.quote(f.namePrefix()) + " (" + f.namePrefix().length() + " characters) was provided"),
        (f, p) -> f.gke() && f.gcpProject().isEmpty()
            ? java.util.Optional.of("gcp:project is not set; a GKE stack needs it: pulumi config set gcp:project <your-project-id>")
            : java.util.Optional.empty(),
        (f, p) -> f.gke() && f.gcpProject().filter(id -> !Formats.GCP_PROJECT.matcher(id).matches()).isPresent()
            ? java.util.Optional.of("gcp:project must be a GCP project id (6 to 30 lower-case letters, digits and '-', "
                + "starting with a letter), but " + Rule.quote(f.gcpProject().get()) + " was provided")
            : java.util.Optional.empty(),
        Rule.custom("cluster", (f, p) -> !f.gke() && f.clusterGiven()
            ? "is only used with " + p + "platform gke, but the platform is 'existing'; remove it" : null),
        Rule.custom("kubeContext", (f, p) -> f.gke() && f.kubeContext() != null
            ? "is only used with " + p + "platform existing (a GKE stack builds its own kubeconfig), but "
                + Rule.quote(f.kubeContext()) + " was provided" : null),
        Rule.custom("cluster.location", (f, p) -> f.production() && f.cluster().filter(c -> !c.regional()).isPresent()
            ? "must be a region in production (a zonal control plane is a single point of failure), but "
                + Rule.quote(f.cluster().get().location()) + " was provided" : null),
        Rule.custom("cluster.deletionProtection", (f, p) -> f.production()
                && f.cluster().filter(c -> !c.deletionProtection()).isPresent()
            ? "must be true in production, but false was provided" : null),
        Rule.custom("cluster.privateNodes", (f, p) -> f.production() && f.cluster().filter(c -> !c.privateNodes()).isPresent()
            ? "must be true in production (nodes without public IPs), but false was provided" : null),
        Rule.custom("cluster.masterAuthorizedNetworks", (f, p) -> f.production()
                && f.cluster().map(GkeClusterArgs::masterAuthorizedNetworks).filter(l -> l.contains(OPEN_TO_ALL)).isPresent()
            ? "must not contain " + OPEN_TO_ALL + " in production (it opens the control plane to the internet), but "
                + f.cluster().get().masterAuthorizedNetworks() + " was provided" : null),
        Rule.custom("cluster.masterAuthorizedNetworks", (f, p) -> f.production()
                && f.cluster().map(GkeClusterArgs::masterAuthorizedNetworks).filter(List::isEmpty).isPresent()
            ? "must list the CIDR blocks allowed to reach the control plane in production, but [] was provided" : null),
        Rule.custom("metrics.notificationEmails", (f, p) -> !f.gke() && !f.metrics().notificationEmails().isEmpty()
            ? "is only used with " + p + "platform gke (Cloud Monitoring sends the notifications), but the platform is "
                + "'existing'; remove it" : null),
        Rule.custom("metrics.notificationTopics", (f, p) -> !f.gke() && !f.metrics().notificationTopics().isEmpty()
            ? "is only used with " + p + "platform gke (Cloud Monitoring sends the notifications), but the platform is "
                + "'existing'; remove it" : null),
        Rule.custom("networkPolicy.enabled", (f, p) -> f.production() && !f.networkPolicy()
            ? "must be true in production (memcached has no authentication), but false was provided" : null));
}
