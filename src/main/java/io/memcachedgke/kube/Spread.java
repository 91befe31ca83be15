package io.memcachedgke.kube;

import com.pulumi.kubernetes.core.v1.inputs.TopologySpreadConstraintArgs;

/** Topology spread of a workload's pods, written once for every tier. */
public final class Spread {
    private Spread() {}

    public static final String NODES = "kubernetes.io/hostname";
    public static final String ZONES = "topology.kubernetes.io/zone";

    /**
     * At most one pod more in any domain of {@code topologyKey} than in another; tainted nodes the pods
     * cannot run on do not count as domains.
     *
     * @param whenUnsatisfiable {@code DoNotSchedule} (a hard rule) or {@code ScheduleAnyway} (a preference)
     */
    public static TopologySpreadConstraintArgs over(String topologyKey, String whenUnsatisfiable, Labels labels) {
        return TopologySpreadConstraintArgs.builder()
            .topologyKey(topologyKey)
            .maxSkew(1)
            .whenUnsatisfiable(whenUnsatisfiable)
            .nodeTaintsPolicy("Honor")
            .labelSelector(Meta.selector(labels))
            .build();
    }
}
