package io.memcachedgke.settings;

import io.memcachedgke.config.Platform;

/** What only a stack of the Java program sets: where the cache runs. */
@Doc("Where a stack's cache runs.")
public record StackSpec(
    @Doc("`gke`: the stack creates a GKE cluster. `existing`: the Kubernetes tiers go to a kubeconfig context, with no "
        + "GCP resource")
    Platform platform,
    @Doc(value = "The kubeconfig context of `platform: existing` (refused on `gke`)", dflt = "the current context")
    String kubeContext,
    @Doc(value = "The GKE cluster (`platform: gke` only; refused on `existing`)", dflt = "unset (each key's default)")
    ClusterSpec cluster) {

    public static final StackSpec DEFAULTS = new StackSpec(Platform.GKE, null, null);

    public boolean gke() {
        return platform == Platform.GKE;
    }

    /** The cluster's settings: those given, or every default. */
    public ClusterSpec clusterOrDefaults() {
        return cluster != null ? cluster : ClusterSpec.DEFAULTS;
    }
}
