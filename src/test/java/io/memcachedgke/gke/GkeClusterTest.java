package io.memcachedgke.gke;

import io.memcachedgke.support.Plans;
import io.memcachedgke.support.Records;
import static io.memcachedgke.support.Stacks.one;
import static io.memcachedgke.support.Stacks.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.pulumi.resources.ComponentResourceOptions;
import java.util.List;
import io.memcachedgke.config.InvalidConfigException;
import io.memcachedgke.render.RecordedResource;
import io.memcachedgke.render.RenderMocks;
import io.memcachedgke.render.Rendering;
import io.memcachedgke.support.Stacks;
import org.junit.jupiter.api.Test;

class GkeClusterTest {
    private static final String PARENT = "memcached-gke:gke:GkeCluster::c1";

    private static Rendering declare(GkeClusterArgs args) {
        return Stacks.run(ctx -> {
            var c = new GkeCluster("c1", args, ComponentResourceOptions.Empty);
            ctx.export("kubeconfig", c.kubeconfig());
            ctx.export("clusterName", c.clusterName());
        });
    }

    private static GkeClusterArgs args(Object... changes) {
        return Records.with(Records.with(Plans.cluster("proj-123"), "name", "c1"), changes);
    }

    @Test
    void theKubeconfigIsASecretThatReachesTheClusterThroughTheGkePlugin() throws Exception {
        var r = declare(args());
        assertThat(r.secretOutputs()).contains("kubeconfig");
        var k = new ObjectMapper(new YAMLFactory()).readTree((String) r.outputs().get("kubeconfig"));
        assertThat(k.at("/clusters/0/cluster/server").asText()).isEqualTo("https://" + RenderMocks.ENDPOINT);
        assertThat(k.at("/clusters/0/cluster/certificate-authority-data").asText()).isEqualTo(RenderMocks.CA_DATA);
        assertThat(k.at("/users/0/user/exec/command").asText()).isEqualTo("gke-gcloud-auth-plugin");
        assertThat(k.at("/current-context").asText()).isEqualTo("gke_proj-123_us-central1-f_c1");
        var provider = one(r, "pulumi:providers:kubernetes");
        assertThat(provider.inputs()).containsEntry("kubeconfig", "[secret]");
        assertThat(provider.parent()).isEqualTo(PARENT);
    }

    @Test
    void theDefaultPoolIsRemovedForASeparatelyManagedOne() {
        var r = declare(args("nodeCount", 2, "machineType", "e2-standard-2", "spot", true));
        var cluster = one(r, "gcp:container/cluster:Cluster");
        assertThat(cluster.inputs()).containsEntry("removeDefaultNodePool", true).containsEntry("initialNodeCount", 1L)
            .containsEntry("deletionProtection", true);
        var pool = one(r, "gcp:container/nodePool:NodePool");
        assertThat(pool.inputs()).containsEntry("cluster", "c1").containsEntry("nodeCount", 2L).doesNotContainKey("autoscaling");
        assertThat(value(pool.inputs(), "nodeConfig.spot")).isEqualTo(true);
        assertThat(value(pool.inputs(), "nodeConfig.machineType")).isEqualTo("e2-standard-2");
    }

    @Test
    void autoscalingReplacesAFixedCount() {
        var pool = one(declare(args("minNodes", 1, "maxNodes", 4, "nodeCount", 2)), "gcp:container/nodePool:NodePool");
        assertThat(pool.inputs()).containsEntry("initialNodeCount", 2L).doesNotContainKey("nodeCount");
        assertThat(value(pool.inputs(), "autoscaling.minNodeCount")).isEqualTo(1L);
        assertThat(value(pool.inputs(), "autoscaling.maxNodeCount")).isEqualTo(4L);
    }

    @Test
    void publicNodesNeedNoNatAndAnArtifactRegistryReaderIsOptIn() {
        var r = declare(args("artifactRegistryReader", true));
        assertThat(Stacks.ofType(r, "gcp:compute/routerNat:RouterNat")).isEmpty();
        assertThat(Stacks.ofType(r, "gcp:projects/iAMMember:IAMMember")).extracting(b -> b.inputs().get("role"))
            .containsExactlyInAnyOrder("roles/container.defaultNodeServiceAccount", "roles/artifactregistry.reader");
        assertThat(one(r, "gcp:serviceaccount/account:Account").inputs()).containsEntry("accountId", "c1-nodes");
    }

    @Test
    void everyChildIsParentedToTheComponent() {
        var r = declare(args("privateNodes", true));
        assertThat(r.resources()).filteredOn(x -> !x.isComponent()).extracting(RecordedResource::parent).containsOnly(PARENT);
        assertThat(r.resources()).extracting(RecordedResource::type).contains(
            "gcp:compute/router:Router", "gcp:compute/routerNat:RouterNat");
    }

    @Test
    void aLongClusterNameStillGivesAValidServiceAccountId() {
        assertThat(args("name", "a-very-long-cluster-name-for-memcached").nodeServiceAccountId())
            .isEqualTo("a-very-long-cluster-name-nodes").hasSizeLessThanOrEqualTo(30);
        assertThat(List.of(args("name", "x").nodeServiceAccountId())).containsExactly("x-nodes");
    }
}
