package io.memcachedgke.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pulumi.kubernetes.Provider;
import com.pulumi.kubernetes.ProviderArgs;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import java.util.TreeMap;
import io.memcachedgke.config.InvalidConfigException;
import io.memcachedgke.render.RecordedResource;
import io.memcachedgke.render.Rendering;
import io.memcachedgke.support.Stacks;
import org.junit.jupiter.api.Test;

/**
 * The cache as the package's component, as another language declares it (arguments as JSON, what the engine passes
 * a Construct): the same objects as the Java program's {@code local} stack for the same settings, and a bad setting
 * refused with one line that names it by its argument path, before anything is registered.
 */
class CacheServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The settings of Pulumi.local.yaml as the component's arguments: each {@code memcached-gke:<key>} a field. */
    static String localStackAsArgs() throws Exception {
        var args = JSON.createObjectNode();
        Stacks.config("local").forEach((key, value) -> {
            var name = key.substring(key.indexOf(':') + 1);
            if (!key.startsWith("memcached-gke:") || name.equals("platform")) {
                return;
            }
            try {
                args.set(name, value.startsWith("{") || value.startsWith("[") ? JSON.readTree(value) : JSON.valueToTree(value));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return args.toString();
    }

    static Rendering declare(String argsJson) {
        return Stacks.run(ctx -> {
            var provider = new Provider("kubernetes", ProviderArgs.builder().enableConfigMapMutable(true).build(),
                CustomResourceOptions.Empty);
            new CacheService("mycache", CacheServiceArgs.fromJson(argsJson),
                ComponentResourceOptions.builder().providers(provider).build());
        });
    }

    private static TreeMap<String, Object> objects(Rendering r) {
        var out = new TreeMap<String, Object>();
        for (RecordedResource x : r.resources()) {
            if (x.isKubernetesObject() || x.isComponent()) {
                out.put(x.ref() + " parent " + x.parent() + " provider " + x.provider(), x.inputs());
            }
        }
        return out;
    }

    @Test
    void theSameSettingsGiveTheObjectsOfTheLocalStack() throws Exception {
        var component = objects(declare(localStackAsArgs()));
        var local = objects(Stacks.render("local"));
        assertThat(component).hasSize(local.size()).isEqualTo(local);
        assertThat(component.keySet()).anyMatch(k -> k.startsWith("memcached-gke:index:CacheService::mycache parent null"));
    }

    @Test
    void aBadSettingIsRefusedByItsArgumentPathAndNothingIsRegistered() {
        var bad = "{\"namePrefx\": \"x\", \"memcached\": {\"replicas\": 0, \"nodeSelector\": {\"pool\": \"a b\"}},"
            + " \"mcrouter\": {\"exposure\": \"hostport\"}}";
        assertThatThrownBy(() -> CacheServiceArgs.fromJson(bad)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("not CacheService arguments: Unrecognized field \"namePrefx\"");
        var args = CacheServiceArgs.fromJson(bad.replace("\"namePrefx\": \"x\", ", ""));
        var refused = new String[1];
        var r = Stacks.run(ctx -> {
            try {
                new CacheService("mycache", args, ComponentResourceOptions.Empty);
            } catch (InvalidConfigException e) {
                refused[0] = e.getMessage();
            }
        });
        assertThat(refused[0]).isEqualTo("invalid configuration (3 problems): "
            + "mcrouter.exposure must be one of hostPort, nodeLocalService, but 'hostport' was provided "
            + "(did you mean 'hostPort'?); "
            + "memcached.replicas must be between 1 and 64, but 0 was provided; "
            + "memcached.nodeSelector must be Kubernetes node labels (a key such as "
            + "cloud.google.com/gke-nodepool, a value of at most 63 letters, digits, '-', '_' or '.'), but "
            + "'pool: a b' was provided");
        assertThat(r.resources()).as("nothing registered, the component included").isEmpty();
        assertThat(refused[0]).doesNotContain("memcached-gke:").doesNotContain("pulumi config");
    }

    /** Unset settings keep the stack's defaults: an empty argument object is the lab's cache in `default`. */
    @Test
    void noSettingsAreTheDefaults() {
        var r = declare("{}");
        var sts = Stacks.k8s(r, "StatefulSet", "mycache-memcached");
        assertThat(Stacks.value(sts.inputs(), "metadata.namespace")).isEqualTo("default");
        assertThat(Stacks.value(sts.inputs(), "spec.replicas")).isEqualTo(3L);
        assertThat((ObjectNode) JSON.valueToTree(Stacks.value(Stacks.k8s(r, "DaemonSet", "mycache-mcrouter").inputs(),
            "spec.template.spec.containers.0.ports.0"))).hasToString(
            "{\"containerPort\":5000,\"hostPort\":5000,\"name\":\"mcrouter\",\"protocol\":\"TCP\"}");
    }
}
