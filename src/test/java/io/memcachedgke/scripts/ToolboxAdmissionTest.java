package io.memcachedgke.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The pods scripts/lab-checks.sh and scripts/e2e.sh start (the toolbox, the load generators) are let in where
 * they talk: the pod manifest the scripts apply (scripts/lib/e2e-lib.sh {@code pod_manifest}) is checked against
 * each shipped stack's rendered NetworkPolicies (the golden renders under src/test/resources/golden/) - it must
 * match an ingress peer of the mcrouter and the memcached policy, in every stack, including prod where the lab's
 * {@code kubectl run} pods are not admitted - and against the restricted Pod Security Standard its namespace
 * enforces.
 */
class ToolboxAdmissionTest {
    private static final Path ROOT = Paths.get("").toAbsolutePath();

    private static JsonNode podManifest(String exposure, String ns) throws Exception {
        var script = String.join("\n",
            "set -eu",
            ". scripts/lib/e2e-lib.sh",
            "E2E_RUN_ID=t1 PREFIX=mycache EXPOSURE=" + exposure + " MC_PORT=5000 TOOLS_CONFIGMAP=memcached-gke-e2e-tools-t1",
            "MC_SERVICE_HOST=mycache-mcrouter." + ns + ".svc.cluster.local",
            "pod_manifest lab-t1 python:3.13.9-alpine3.22 64Mi '[\"-c\", \"pass\"]'");
        var p = new ProcessBuilder(ScriptSandbox.require("bash", "Debian: bash").toString(), "-c", script)
            .directory(ROOT.toFile()).redirectErrorStream(true).start();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return ScriptSandbox.JSON.readTree(out);
    }

    private static List<JsonNode> manifests(String stack) throws Exception {
        var file = ROOT.resolve("src/test/resources/golden/" + stack + "/manifests.yaml");
        var docs = new ArrayList<JsonNode>();
        try (var it = new YAMLMapper().readerFor(JsonNode.class).readValues(Files.readString(file))) {
            while (it.hasNext()) {
                JsonNode d = (JsonNode) it.next();
                if (d != null && !d.isNull()) {
                    docs.add(d);
                }
            }
        }
        return docs;
    }

    /** Does a NetworkPolicy peer's podSelector (matchLabels, matchExpressions Exists) select these labels? */
    private static boolean selects(JsonNode selector, JsonNode labels) {
        var ok = true;
        var match = selector.path("matchLabels");
        for (var it = match.fields(); it.hasNext(); ) {
            var e = it.next();
            ok &= e.getValue().asText().equals(labels.path(e.getKey()).asText(null));
        }
        for (var expr : selector.path("matchExpressions")) {
            assertThat(expr.path("operator").asText()).as("only Exists is rendered").isEqualTo("Exists");
            ok &= labels.has(expr.path("key").asText());
        }
        return ok;
    }

    private static boolean admits(JsonNode policy, JsonNode labels) {
        for (var rule : policy.path("spec").path("ingress")) {
            for (var peer : rule.path("from")) {
                if (peer.has("podSelector") && !peer.has("namespaceSelector") && selects(peer.get("podSelector"), labels)) {
                    return true;
                }
            }
        }
        return false;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"dev, hostPort, default", "local, nodeLocalService, memcached", "prod, nodeLocalService, memcached"})
    void theScriptsPodsAreAdmittedToTheProxiesAndTheShards(String stack, String exposure, String ns) throws Exception {
        var pod = podManifest(exposure, ns);
        var labels = pod.at("/metadata/labels");
        var docs = manifests(stack);
        for (var name : List.of("mycache-mcrouter", "mycache-memcached")) {
            var policy = docs.stream().filter(d -> d.path("kind").asText().equals("NetworkPolicy")
                && d.at("/metadata/name").asText().equals(name)).findFirst().orElseThrow();
            assertThat(admits(policy, labels)).as("%s: NetworkPolicy %s admits the scripts' pods (labels %s)", stack, name, labels)
                .isTrue();
        }
        // The namespace's Pod Security level: restricted where the program creates it.
        docs.stream().filter(d -> d.path("kind").asText().equals("Namespace") && d.at("/metadata/name").asText().equals(ns))
            .findFirst().ifPresent(n -> assertThat(n.at("/metadata/labels").path("pod-security.kubernetes.io/enforce").asText())
                .isIn("restricted", "privileged"));
        var c = pod.at("/spec/containers/0");
        assertThat(pod.at("/spec/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/spec/securityContext/runAsUser").asInt()).isPositive();
        assertThat(pod.at("/spec/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
        assertThat(c.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(c.at("/securityContext/capabilities/drop/0").asText()).isEqualTo("ALL");
        assertThat(c.has("ports")).as("no host port").isFalse();
        assertThat(pod.at("/spec/volumes").toString()).doesNotContain("hostPath");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"prod"})
    void withoutTheSmokeTestsLabelsProdWouldShutTheScriptsOut(String stack) throws Exception {
        // The control: kubectl run's label alone is not admitted in prod (allowKubectlRun: false).
        var labels = ScriptSandbox.JSON.createObjectNode().put("run", "lab-t1");
        var policy = manifests(stack).stream().filter(d -> d.path("kind").asText().equals("NetworkPolicy")
            && d.at("/metadata/name").asText().equals("mycache-mcrouter")).findFirst().orElseThrow();
        assertThat(admits(policy, labels)).isFalse();
    }
}
