package io.memcachedgke.render;

import java.util.Map;

/**
 * One resource as the program registered it.
 *
 * @param type     Pulumi type token
 * @param name     logical name
 * @param parent   {@code <type>::<name>} of the parent, or null for a child of the stack
 * @param provider {@code <type>::<name>} of the explicit provider, or null for the default one
 * @param inputs   exactly the inputs the engine receives, secrets as {@code [secret]}, keys sorted
 * @param protect  the Pulumi {@code protect} option: `pulumi destroy` refuses to delete it
 * @param ignoreChanges properties whose drift the engine ignores
 * @param dependencies  {@code <type>::<name>} of every resource the engine waits for before this one (explicit
 *                      {@code dependsOn}, expanded through components, and the resources its inputs came from)
 */
public record RecordedResource(String type, String name, String parent, String provider, Map<String, Object> inputs,
                               boolean protect, java.util.List<String> ignoreChanges, java.util.List<String> dependencies) {

    public String ref() {
        return type + "::" + name;
    }

    public boolean isKubernetesObject() {
        return type.startsWith("kubernetes:");
    }

    public boolean isProvider() {
        return type.startsWith("pulumi:providers:");
    }

    public boolean isComponent() {
        return type.startsWith("memcached-gke:");
    }
}
