package io.memcachedgke.kube;

import com.pulumi.core.Output;
import com.pulumi.resources.Resource;
import com.pulumi.resources.ResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * Options for a component's children that keep the component's own ordering. A child inherits its parent's
 * provider, but not its {@code dependsOn}: without this, "the StatefulSet after every proxy runs the new
 * config" would hold for the component and not for the StatefulSet inside it.
 */
public final class Children {
    private Children() {}

    /** Parented to {@code parent}, waiting for what the component waits for and for {@code more}. */
    public static CustomResourceOptions.Builder of(Resource parent, ResourceOptions componentOptions, Resource... more) {
        return of(parent, componentOptions, List.of(more));
    }

    public static CustomResourceOptions.Builder of(Resource parent, ResourceOptions componentOptions,
                                                   List<? extends Resource> more) {
        Output<List<Resource>> inherited = componentOptions == null || componentOptions.getDependsOn() == null
            ? Output.of(List.of()) : componentOptions.getDependsOn();
        var extra = List.<Resource>copyOf(more);
        Output<List<Resource>> all = inherited.applyValue(list -> {
            var out = new ArrayList<Resource>(list);
            out.addAll(extra);
            return out;
        });
        return CustomResourceOptions.builder().parent(parent).dependsOn(all);
    }
}
