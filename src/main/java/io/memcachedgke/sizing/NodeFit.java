package io.memcachedgke.sizing;

/**
 * What one node must hold when the pods are spread evenly over the smallest number of nodes the
 * cluster can have: its memcached pods, one mcrouter with its metrics exporter sidecar, the memcached
 * exporter pod (on whichever node: counted on every one, the worst case), its share of the sample app, and
 * GKE's own system pods. Compared against the node's allocatable memory.
 *
 * @param machineType       node machine type (for messages)
 * @param machineMiB        node memory
 * @param nodes             the fewest nodes the pods can be spread over
 * @param memcachedPerNode  memcached pods per node
 * @param memcached         the memcached pods' sizing
 * @param proxyMiB          the mcrouter container's memory limit
 * @param exporterMiB       the memory limit of the exporter sidecar in each mcrouter pod (0 without)
 * @param exporterPodMiB    the memory limit of the memcached exporter pod (0 without)
 * @param appPerNode        sample app pods per node
 * @param appMiB            a sample app pod's memory limit
 */
public record NodeFit(String machineType, int machineMiB, int nodes, int memcachedPerNode, MemcachedSizing memcached,
                      int proxyMiB, int exporterMiB, int exporterPodMiB, int appPerNode, int appMiB) {

    /** Memory requested by GKE's system pods on a node (kube-dns, metrics and logging agents, anetd, CSI). */
    public static final int SYSTEM_PODS_MIB = 400;

    public static NodeFit of(String machineType, int machineMiB, int nodes, int memcachedReplicas, MemcachedSizing memcached,
                             int proxyMiB, int exporterMiB, int exporterPodMiB, int appReplicas, int appMiB) {
        return new NodeFit(machineType, machineMiB, nodes, ceilDiv(memcachedReplicas, nodes), memcached, proxyMiB,
            exporterMiB, exporterPodMiB, ceilDiv(appReplicas, nodes), appMiB);
    }

    public int allocatableMiB() {
        return NodeAllocatable.allocatableMiB(machineMiB);
    }

    public int neededMiB() {
        return memcachedPerNode * memcached.limitMiB() + proxyMiB + exporterMiB + exporterPodMiB + appPerNode * appMiB
            + SYSTEM_PODS_MIB;
    }

    public boolean fits() {
        return neededMiB() <= allocatableMiB();
    }

    /** Share of the node's memory that holds cache items. */
    public double itemShare() {
        return (double) memcachedPerNode * memcached.itemMiB() / machineMiB;
    }

    /** The sentence after "does not fit: ". */
    public String shortfall() {
        var exporter = exporterMiB > 0 ? " + " + exporterMiB + " MiB exporter" : "";
        var exporterPod = exporterPodMiB > 0 ? ", memcached exporter pod " + exporterPodMiB + " MiB" : "";
        return "each " + machineType + " node (" + machineMiB + " MiB, " + allocatableMiB() + " MiB allocatable) would need "
            + neededMiB() + " MiB (" + memcachedPerNode + " memcached pod(s) x " + memcached.limitMiB() + " MiB limit"
            + ", mcrouter " + proxyMiB + " MiB" + exporter + exporterPod + ", " + appPerNode + " sample-app pod(s) x "
            + appMiB + " MiB, " + SYSTEM_PODS_MIB + " MiB for GKE system pods)";
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
