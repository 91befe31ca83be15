package io.memcachedgke.cache;

import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.Resource;
import java.util.List;

/**
 * The cache as the Java program declares it: the component {@value #TYPE} with every tier inside. The component
 * package declares the same type with the same tiers (its own CacheService), so a stack and
 * a package user get the same objects, under the same URNs, for the same settings.
 */
public final class Cache extends ComponentResource {
    /** The component's type token: the package's name, module {@code index}, the component's name in its schema. */
    public static final String TYPE = "memcached-gke:index:CacheService";

    private final CacheOutputs outputs;

    /** @param options the Kubernetes provider in {@code providers}, which every tier inherits */
    public Cache(String name, Plan plan, List<Resource> monitoringApi, ComponentResourceOptions options) {
        super(TYPE, name, options);
        this.outputs = CacheTiers.declare(this, plan, monitoringApi);
        registerOutputs(outputs.asMap());
    }

    public CacheOutputs outputs() {
        return outputs;
    }
}
