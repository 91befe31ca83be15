package io.memcachedgke.kube;

import com.pulumi.kubernetes.meta.v1.inputs.LabelSelectorArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.kubernetes.meta.v1.outputs.ObjectMeta;

/** Object metadata and selectors from a workload's {@link Labels}. */
public final class Meta {
    private Meta() {}

    /** Metadata with an explicit name: the README and the lab address every object by name. */
    public static ObjectMetaArgs of(String name, String namespace, Labels labels) {
        return ObjectMetaArgs.builder().name(name).namespace(namespace).labels(labels.all()).build();
    }

    public static LabelSelectorArgs selector(Labels labels) {
        return LabelSelectorArgs.builder().matchLabels(labels.selector()).build();
    }

    public static String nameOf(ObjectMeta meta) {
        return meta.name().orElseThrow();
    }
}
