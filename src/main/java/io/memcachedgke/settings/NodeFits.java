package io.memcachedgke.settings;

import io.memcachedgke.config.GcpLocations;
import io.memcachedgke.sizing.ExporterSizing;
import io.memcachedgke.sizing.MachineTypes;
import io.memcachedgke.sizing.MemcachedSizing;
import io.memcachedgke.sizing.NodeFit;
import java.util.Optional;

/** How the cache's pods fit a node, when the node's memory is known (given, or the cluster's machine type's). */
final class NodeFits {
    private NodeFits() {}

    static Optional<NodeFit> of(Settings s) {
        var cache = s.cache();
        Optional<String> machineType = s.cluster().map(ClusterSpec::machineType);
        Integer machineMiB = cache.nodeMemoryMiB();
        if (machineMiB == null && machineType.isPresent()) {
            var known = MachineTypes.memoryMiB(machineType.get());
            machineMiB = known.isPresent() ? known.getAsInt() : null;
        }
        if (machineMiB == null) {
            return Optional.empty();
        }
        var memcached = cache.memcached();
        var exporters = cache.metrics().exporters();
        var app = cache.sampleApp();
        int nodes = s.cluster().map(NodeFits::fewestNodes).orElse(1);
        return Optional.of(NodeFit.of(machineType.orElse("existing"), machineMiB, nodes, memcached.podCount(),
            MemcachedSizing.of(memcached.memoryMiB(), memcached.cpuMillis(), memcached.maxConnections(),
                cache.tls().enabled(cache.environment())),
            cache.mcrouter().memoryMiB(), exporters ? ExporterSizing.MEMORY_MIB : 0,
            exporters ? ExporterSizing.memcachedExporterPodMiB(memcached.podCount()) : 0,
            app.enabled() ? app.replicas() : 0, app.enabled() ? app.memoryMiB() : 0));
    }

    /** The fewest nodes the cluster runs: per-zone minimum (or fixed count) times the zones. */
    static int fewestNodes(ClusterSpec c) {
        int zones = !GcpLocations.regional(c.location()) ? 1 : c.nodeLocations().isEmpty() ? 3 : c.nodeLocations().size();
        int perZone = c.minNodes() != null || c.maxNodes() != null ? Math.max(1, c.minNodes() == null ? 0 : c.minNodes())
            : c.nodeCount();
        return perZone * zones;
    }
}
