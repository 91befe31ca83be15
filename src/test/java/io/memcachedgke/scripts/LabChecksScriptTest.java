package io.memcachedgke.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/lab-checks.sh offline: a fake kubectl and pulumi that know the stack's objects by their exact names
 * (so a typo in a command or a wrong name fails), and real memcached processes that the in-cluster
 * conversations (e2e/mctool.py, run by the fake {@code kubectl exec}) reach. Needs bash, python3 and memcached;
 * fails, never skips, without them.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LabChecksScriptTest {

    @Test
    void everyCheckOfTheLabPassesOnTheLocalStackAndReallyTalksToEachShard(@TempDir Path tmp) throws Exception {
        var f = new ClusterFixture(tmp, "local", "memcached", "nodeLocalService");
        try (var box = f.box) {
            var r = box.run("scripts/lab-checks.sh", "local");
            System.out.println(r.output());

            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.lastLine()).isEqualTo("lab: OK: every check of the lab passed against stack local");
            assertThat(r.output()).contains(
                "lab: ok: pods: 3 memcached, 1 mcrouter (one per node), 2 sample-application-py",
                "lab: ok: Service mycache-memcached is headless (clusterIP None) with 3 endpoints on 11211",
                "lab: ok: set/get anotherkey through mycache-mcrouter.memcached.svc.cluster.local:5000 (the node-local Service",
                "lab: ok: get anotherkey through the mcrouter pod 10.244.1.10:5000",
                "lab: ok: NODE_NAME in " + ClusterFixture.APP_POD + " is its node, kind-worker",
                "lab: ok: Python: the headless Service lists 3 pods",
                "lab: ok: Python in " + ClusterFixture.APP_POD + ": the app pod on node kind-worker reaches the proxy on its node");
            // The telnet-style session reached every shard by its DNS name: each key is on its own shard.
            for (int i = 0; i < 3; i++) {
                assertThat(ScriptSandbox.get(f.shards[i], "lab-mykey-" + i)).as("shard " + i).isEqualTo("hello");
            }
            assertThat(ScriptSandbox.get(f.shards[1], "anotherkey")).isEqualTo("Mcrouter is fun");
            assertThat(ScriptSandbox.get(f.shards[1], "some_key")).isEqualTo("some_value");

            assertThat(r.pulumiLines()).containsExactly(
                "stack output --json --stack local",
                "config get memcached-gke:kubeContext --stack local");
            assertThat(r.kubectlLines()).contains(
                "--namespace memcached create configmap memcached-gke-e2e-tools-t1 --from-file=mctool.py=" + box.repo.resolve("e2e/mctool.py"),
                "--namespace memcached apply -f -",
                "--namespace memcached wait --for=condition=Ready pod/lab-t1 --timeout=180s",
                "--namespace memcached exec lab-t1 -c python -- python /tools/mctool.py setget "
                    + "mycache-memcached-0.mycache-memcached.memcached.svc.cluster.local 11211 lab-mykey-0 hello",
                "--namespace memcached exec " + ClusterFixture.APP_POD + " -c python -- sh -c echo \"$NODE_NAME\"",
                "--namespace memcached exec -i " + ClusterFixture.APP_POD
                    + " -c python -- python - app-check nodeLocalService 5000 anotherkey Mcrouter is fun",
                // Cleanup: what the run created goes, whatever happened.
                "--namespace memcached delete configmap/memcached-gke-e2e-tools-t1 --ignore-not-found --wait=false",
                "--namespace memcached delete pod/lab-t1 --ignore-not-found --wait=false");
        }
    }

    @Test
    void theToolboxPassesTheRestrictedPodSecurityStandardAndTheNetworkPolicies(@TempDir Path tmp) throws Exception {
        var f = new ClusterFixture(tmp, "local", "memcached", "nodeLocalService");
        try (var box = f.box) {
            assertThat(box.run("scripts/lab-checks.sh", "local").exit()).isZero();
            var pod = box.applied("lab-t1");
            var labels = pod.at("/metadata/labels");
            assertThat(labels.get("run").asText()).as("kubectl run's label: allowKubectlRun stacks").isEqualTo("lab-t1");
            assertThat(labels.get("app").asText()).as("the smoke test's client labels: every stack").isEqualTo("mycache-smoke");
            assertThat(labels.get("app.kubernetes.io/name").asText()).isEqualTo("smoke-test");
            assertThat(labels.get("app.kubernetes.io/instance").asText()).isEqualTo("mycache");
            assertThat(labels.get("memcached-gke/direct-client").asText()).isEqualTo("true");
            assertThat(pod.at("/spec/securityContext/runAsNonRoot").asBoolean()).isTrue();
            assertThat(pod.at("/spec/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
            assertThat(pod.at("/spec/automountServiceAccountToken").asBoolean()).isFalse();
            var c = pod.at("/spec/containers/0");
            assertThat(c.at("/image").asText()).as("the sample app's image").isEqualTo(ClusterFixture.APP_IMAGE);
            assertThat(c.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
            assertThat(c.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
            assertThat(c.at("/securityContext/capabilities/drop/0").asText()).isEqualTo("ALL");
            assertThat(c.at("/resources/requests")).isEqualTo(c.at("/resources/limits"));
            assertThat(c.at("/env/1/value").asText()).as("MCROUTER_HOST with nodeLocalService")
                .isEqualTo("mycache-mcrouter.memcached.svc.cluster.local");
        }
    }

    @Test
    void theHostPortExposureIsCheckedThroughTheNodeItsIpAndItsName(@TempDir Path tmp) throws Exception {
        var f = new ClusterFixture(tmp, "dev", "default", "hostPort");
        try (var box = f.box) {
            var r = box.run("scripts/lab-checks.sh", "dev");

            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.output()).contains(
                "lab: ok: set/get anotherkey through 172.18.0.3:5000 (the host port on node kind-worker)",
                "reaches the proxy on its node (NODE_NAME (the lab's way), MCROUTER_HOST/MCROUTER_PORT)");
            assertThat(r.kubectlLines()).contains("--namespace default get pod lab-t1 -o jsonpath={.status.hostIP}");
            var host = box.applied("lab-t1").at("/spec/containers/0/env/1");
            assertThat(host.at("/valueFrom/fieldRef/fieldPath").asText()).as("MCROUTER_HOST with hostPort: the node's IP")
                .isEqualTo("status.hostIP");
        }
    }

    @Test
    void aShardThatDoesNotAnswerFailsWithOneLineNamingIt(@TempDir Path tmp) throws Exception {
        var f = new ClusterFixture(tmp, "local", "memcached", "nodeLocalService");
        try (var box = f.box) {
            box.stop(f.shards[2]);
            var r = box.run("scripts/lab-checks.sh", "local");

            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.lastLine()).startsWith("lab: FAIL: telnet-style set/get on shard "
                + "mycache-memcached-2.mycache-memcached.memcached.svc.cluster.local:11211: FAIL: setget: ");
            assertThat(r.kubectlLines()).as("cleanup after a failure")
                .contains("--namespace memcached delete pod/lab-t1 --ignore-not-found --wait=false");
        }
    }

    @Test
    void aServiceWithAClusterIpIsNotHeadless(@TempDir Path tmp) throws Exception {
        var f = new ClusterFixture(tmp, "local", "memcached", "nodeLocalService");
        try (var box = f.box) {
            for (int i = 0; i < box.canned.size(); i++) {
                if (box.canned.get(i).get("match").asText().contains("get service mycache-memcached")) {
                    box.canned.remove(i);
                }
            }
            box.kubectl("--namespace memcached get service mycache-memcached -o jsonpath={.spec.clusterIP}", "10.96.14.2");
            var r = box.run("scripts/lab-checks.sh", "local");

            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.lastLine()).isEqualTo("lab: FAIL: Service mycache-memcached has cluster IP '10.96.14.2' (expected None: headless)");
        }
    }

    @Test
    void anObjectTheClusterDoesNotHaveFailsTheChecks(@TempDir Path tmp) throws Exception {
        var f = new ClusterFixture(tmp, "local", "memcached", "nodeLocalService");
        try (var box = f.box) {
            // Outputs naming another prefix: every name the script derives from them is one the cluster lacks.
            box.outputs.put("memcachedServiceHost", "mycache2-memcached.memcached.svc.cluster.local");
            var r = box.run("scripts/lab-checks.sh", "local");

            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.lastLine()).isEqualTo("lab: FAIL: no StatefulSet mycache2-memcached in namespace memcached");
            assertThat(r.output()).contains("fake kubectl: no canned answer for: --namespace memcached get statefulset mycache2-memcached");
        }
    }

    @Test
    void theStacksOwnKubeconfigIsUsedWhenTheCallerSetsNone(@TempDir Path tmp) throws Exception {
        var f = new ClusterFixture(tmp, "dev", "default", "hostPort");
        try (var box = f.box) {
            box.outputs.put("kubeconfig", "[secret]");
            java.nio.file.Files.writeString(box.fake.resolve("kubeconfig"), "apiVersion: v1\nkind: Config\n");
            var r = box.run("scripts/lab-checks.sh", "dev");

            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.pulumiLines()).containsExactly(
                "stack output --json --stack dev",
                "stack output kubeconfig --show-secrets --stack dev");
        }
    }
}
