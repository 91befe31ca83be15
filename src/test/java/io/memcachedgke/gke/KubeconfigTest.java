package io.memcachedgke.gke;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

class KubeconfigTest {
    private static JsonNode parse(String yaml) throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(yaml);
    }

    @Test
    void pointsAtTheClusterWithItsCaAndAuthenticatesThroughTheGkePlugin() throws Exception {
        var k = parse(Kubeconfig.render("my-proj", "us-central1-f", "demo-cluster", "203.0.113.10", "Q0EtREFUQQ=="));
        var name = "gke_my-proj_us-central1-f_demo-cluster";
        assertThat(k.at("/current-context").asText()).isEqualTo(name);
        assertThat(k.at("/clusters/0/name").asText()).isEqualTo(name);
        assertThat(k.at("/clusters/0/cluster/server").asText()).isEqualTo("https://203.0.113.10");
        assertThat(k.at("/clusters/0/cluster/certificate-authority-data").asText()).isEqualTo("Q0EtREFUQQ==");
        assertThat(k.at("/contexts/0/context/cluster").asText()).isEqualTo(name);
        assertThat(k.at("/contexts/0/context/user").asText()).isEqualTo(name);
        var exec = k.at("/users/0/user/exec");
        assertThat(exec.at("/command").asText()).isEqualTo("gke-gcloud-auth-plugin");
        assertThat(exec.at("/apiVersion").asText()).isEqualTo("client.authentication.k8s.io/v1beta1");
        assertThat(exec.at("/provideClusterInfo").asBoolean()).isTrue();
        // No static credential of any kind.
        assertThat(k.at("/users/0/user").fieldNames()).toIterable().containsExactly("exec");
    }

    @Test
    void valuesThatLookLikeYamlStayStrings() throws Exception {
        var k = parse(Kubeconfig.render("p-1", "us-central1", "c: x #y", "10.0.0.1", "a: b"));
        assertThat(k.at("/clusters/0/cluster/certificate-authority-data").asText()).isEqualTo("a: b");
        assertThat(k.at("/current-context").asText()).isEqualTo("gke_p-1_us-central1_c: x #y");
    }

    @Test
    void throughConnectGatewayItNamesTheMembershipByProjectNumberAndCarriesNoCa() throws Exception {
        var k = parse(Kubeconfig.gateway("my-proj", "us-central1", "memcached-prod", "123456789012", "memcached-prod"));
        assertThat(k.at("/clusters/0/cluster/server").asText()).isEqualTo(
            "https://connectgateway.googleapis.com/v1/projects/123456789012/locations/global/gkeMemberships/memcached-prod");
        assertThat(k.at("/clusters/0/cluster").has("certificate-authority-data")).isFalse();
        assertThat(k.at("/users/0/user/exec/command").asText()).isEqualTo("gke-gcloud-auth-plugin");
        assertThat(k.at("/current-context").asText()).isEqualTo("connectgateway_my-proj_global_memcached-prod");
    }
}
