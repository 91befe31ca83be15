package io.memcachedgke.kube;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.ResourceArgs;
import java.util.Map;

/**
 * An object of a kind a CustomResourceDefinition adds to the cluster (a {@code PodMonitoring}, a
 * {@code ServiceMonitor}), applied by the Kubernetes provider like any built-in kind: the type token
 * is {@code kubernetes:<apiVersion>:<kind>} and the inputs are the object itself. This is what the SDK's
 * {@code com.pulumi.kubernetes.apiextensions.CustomResource} does; the SDK this program pins
 * (kubernetes 4.0.0) predates that class (it arrived in 4.13.0).
 */
public final class CustomObject extends CustomResource {

    /**
     * @param name       logical name
     * @param apiVersion e.g. {@code monitoring.googleapis.com/v1}
     * @param kind       e.g. {@code PodMonitoring}
     * @param metadata   the object's metadata (name, namespace, labels)
     * @param spec       the object's spec, as maps, lists and scalars
     */
    public CustomObject(String name, String apiVersion, String kind, ObjectMetaArgs metadata, Map<String, Object> spec,
                        CustomResourceOptions options) {
        super("kubernetes:" + apiVersion + ":" + kind, name, new Args(apiVersion, kind, metadata, spec), options);
    }

    /** The inputs: exactly the object the provider applies. */
    static final class Args extends ResourceArgs {
        @Import(name = "apiVersion", required = true)
        private final Output<String> apiVersion;
        @Import(name = "kind", required = true)
        private final Output<String> kind;
        @Import(name = "metadata", required = true)
        private final Output<ObjectMetaArgs> metadata;
        @Import(name = "spec", required = true)
        private final Output<Map<String, Object>> spec;

        Args(String apiVersion, String kind, ObjectMetaArgs metadata, Map<String, Object> spec) {
            this.apiVersion = Output.of(apiVersion);
            this.kind = Output.of(kind);
            this.metadata = Output.of(metadata);
            this.spec = Output.of(spec);
        }
    }
}
