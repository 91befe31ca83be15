package io.memcachedgke.kube;

import com.pulumi.kubernetes.core.v1.ServiceAccount;
import com.pulumi.kubernetes.core.v1.ServiceAccountArgs;
import com.pulumi.kubernetes.rbac.v1.Role;
import com.pulumi.kubernetes.rbac.v1.RoleArgs;
import com.pulumi.kubernetes.rbac.v1.RoleBinding;
import com.pulumi.kubernetes.rbac.v1.RoleBindingArgs;
import com.pulumi.kubernetes.rbac.v1.inputs.PolicyRuleArgs;
import com.pulumi.kubernetes.rbac.v1.inputs.RoleRefArgs;
import com.pulumi.kubernetes.rbac.v1.inputs.SubjectArgs;
import com.pulumi.resources.Resource;
import com.pulumi.resources.ResourceOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * The identity of a check Job that talks to the API server, and nothing more: a ServiceAccount whose token is not
 * mounted by default (the Job's pod mounts it on purpose), a Role holding the one rule the check needs, and the
 * binding between them, all named {@code labels.app()} in the check's namespace. The Job runs as {@link #name()} and
 * waits for {@link #resources()}.
 *
 * @param name      the objects' name (the ServiceAccount the Job's pod runs as)
 * @param resources the ServiceAccount, the Role and the RoleBinding
 */
public record JobAccount(String name, List<Resource> resources) {

    /**
     * Declares the three objects, logically named {@code <logical>-account}, {@code -role} and {@code -binding}.
     *
     * @param logical   the check's logical name
     * @param namespace where the check runs
     * @param labels    the check's labels; {@code labels.app()} names the objects
     * @param rule      what the check may do
     * @param parent    the tier that declares the check
     * @param options   the tier's options
     */
    public static JobAccount declare(String logical, String namespace, Labels labels, PolicyRuleArgs rule, Resource parent,
                                     ResourceOptions options) {
        var name = labels.app();
        var meta = Meta.of(name, namespace, labels);
        var account = new ServiceAccount(logical + "-account", ServiceAccountArgs.builder()
            .metadata(meta)
            .automountServiceAccountToken(false)
            .build(), Children.of(parent, options).build());
        var role = new Role(logical + "-role", RoleArgs.builder()
            .metadata(meta)
            .rules(rule)
            .build(), Children.of(parent, options).build());
        var binding = new RoleBinding(logical + "-binding", RoleBindingArgs.builder()
            .metadata(meta)
            .roleRef(RoleRefArgs.builder().apiGroup("rbac.authorization.k8s.io").kind("Role").name(name).build())
            .subjects(SubjectArgs.builder().kind("ServiceAccount").name(name).namespace(namespace).build())
            .build(), Children.of(parent, options).build());
        return new JobAccount(name, List.of(account, role, binding));
    }

    /** What the Job waits for: these objects, then {@code more}. */
    public List<Resource> and(Resource... more) {
        var all = new ArrayList<>(resources);
        all.addAll(List.of(more));
        return all;
    }
}
