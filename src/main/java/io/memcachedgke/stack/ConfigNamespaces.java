package io.memcachedgke.stack;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import io.memcachedgke.config.Suggest;

/**
 * Which configuration namespaces anything in this program reads, and which keys in them. A key
 * outside them would be silently ignored by the engine, so it is refused.
 *
 * <ul>
 *   <li>{@code memcached-gke}: the project's own keys, checked key by key by the settings reader;
 *   <li>{@code gcp}: the gcp provider, which the GKE resources use as the default provider and which
 *       reads its keys from the stack; the keys it knows are the getters of the SDK's
 *       {@code com.pulumi.gcp.Config} (generated from the provider's schema);
 *   <li>{@code pulumi}: the engine's own ({@code pulumi:tags}, {@code pulumi:disable-default-providers}, ...).
 * </ul>
 * {@code kubernetes} is not among them: every Kubernetes object goes through an explicit provider that
 * the program builds, and an explicit provider takes no stack configuration.
 */
final class ConfigNamespaces {
    private ConfigNamespaces() {}

    static final String PROJECT = StackSettings.PROJECT;
    static final List<String> READ = List.of(PROJECT, "gcp", "pulumi");
    static final Set<String> GCP_KEYS = gettersOf(com.pulumi.gcp.Config.class);

    /** One problem per key that nothing reads, in key order. */
    static List<String> problems(Collection<String> keys) {
        var problems = new ArrayList<String>();
        for (var key : new TreeSet<>(keys)) {
            int colon = key.indexOf(':');
            var namespace = colon < 0 ? "" : key.substring(0, colon);
            var name = key.substring(colon + 1);
            if (namespace.equals(PROJECT) || namespace.equals("pulumi")) {
                continue;
            }
            if (namespace.equals("gcp")) {
                if (!GCP_KEYS.contains(name)) {
                    problems.add(key + " is not a key the gcp provider reads"
                        + Suggest.closest(name, GCP_KEYS).map(s -> " (did you mean gcp:" + s + "?)").orElse("")
                        + "; see the provider's configuration reference");
                }
            } else if (namespace.equals("kubernetes")) {
                problems.add(key + " is not read: the program's Kubernetes provider is explicit and takes no stack "
                    + "configuration" + (name.equals("context") ? "; set " + PROJECT + ":kubeContext instead" : "")
                    + "; remove it");
            } else {
                problems.add(key + " is in the namespace '" + namespace + "', which nothing in this program reads"
                    + Suggest.closest(namespace, READ).map(s -> " (did you mean " + s + ":" + name + "?)").orElse("")
                    + "; the namespaces read are " + String.join(", ", READ));
            }
        }
        return problems;
    }

    /** The configuration keys of a provider SDK's {@code Config} class: its public no-argument getters. */
    static Set<String> gettersOf(Class<?> config) {
        var out = new TreeSet<String>();
        for (Method m : config.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0) {
                out.add(m.getName());
            }
        }
        return out;
    }

}
