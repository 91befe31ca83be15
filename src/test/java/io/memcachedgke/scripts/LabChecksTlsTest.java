package io.memcachedgke.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/lab-checks.sh on a stack with mutual TLS (prod's shape: a {@code tlsClientSecret} output), offline: the
 * cluster of {@link ClusterFixture} with its shards and proxy replaced by shards that serve only mutual TLS as prod's
 * StatefulSet runs them ({@link TlsShards}) and the mcrouter stand-in in front of them with a {@code use_ssl} pool
 * and the proxy's certificate. The toolbox must mount the Secret, and the checks that talk to a shard (the telnet
 * session on each, the lab's service discovery) must use it; without the output the same checks talk plain text and
 * the shards refuse them. The fake kubectl runs the toolbox's commands here, so the mount's path is a directory of
 * this machine ({@code E2E_TLS_DIR}; outside /tmp, which the fake maps to the pod's own).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LabChecksTlsTest {
    static final String SECRET = "mycache-operator-tls";

    @TempDir
    Path tmp;
    Path clientDir;
    TlsShards shards;
    ClusterFixture f;
    final List<Integer> ports = new ArrayList<>();

    @BeforeEach
    void cluster() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        shards = new TlsShards(tmp.resolve("pki"));
        f = new ClusterFixture(tmp.resolve("cluster"), "prod", "memcached", "nodeLocalService");
        // The Secret's files as the toolbox mounts them, inside the sandbox's repository: the fake kubectl gives a pod
        // its own /tmp, and passes a path inside the repository through, wherever the clone is.
        clientDir = f.box.repo.resolve("target").resolve("lab-tls");
        shards.client(clientDir, "mycache-operator");
        for (int i = 0; i < 3; i++) {
            var port = shards.start();
            ports.add(port);
            f.box.address(f.servers.get(i), port);
            f.box.address("10.244.2." + (5 + i) + ":11211", port);
        }
        var proxy = McToolTlsTest.startProxy(shards, tmp, ports);
        for (var where : List.of("mycache-mcrouter.memcached.svc.cluster.local:5000", ClusterFixture.PROXY_IP + ":5000",
                ClusterFixture.NODE_IP + ":5000", ClusterFixture.NODE + ":5000")) {
            f.box.address(where, proxy);
        }
        f.box.env.put("E2E_TLS_DIR", clientDir.toString());
    }

    @AfterEach
    void stop() throws Exception {
        if (f != null) {
            f.box.close();
        }
        if (shards != null) {
            shards.close();
        }
        if (clientDir != null && Files.exists(clientDir)) {
            try (Stream<Path> walk = Files.walk(clientDir)) {
                for (var p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void withTheClientSecretEveryCheckPassesAndTheShardsAreTalkedToOverTls() throws Exception {
        f.box.outputs.put("tlsClientSecret", SECRET);
        var r = f.box.run("scripts/lab-checks.sh", "prod");

        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.lastLine()).isEqualTo("lab: OK: every check of the lab passed against stack prod");
        assertThat(r.output()).contains(
            "lab: toolbox lab-t1: the shards over mutual TLS with Secret " + SECRET + " (tlsClientSecret) at " + clientDir,
            "lab: ok: set/get on every shard by its DNS name (" + String.join(" ", f.servers) + ") over mutual TLS",
            "lab: ok: get anotherkey through the mcrouter pod 10.244.1.10:5000",
            "lab: ok: Python: the headless Service lists 3 pods and the lab's client sets and gets through them over mutual TLS",
            "lab: ok: Python in " + ClusterFixture.APP_POD + ": the app pod on node kind-worker reaches the proxy on its node");
        // The shards' conversations carry the option; the proxies' do not.
        var tls = "--tls-dir " + clientDir + " ";
        assertThat(r.kubectlLines()).contains(
            "--namespace memcached exec lab-t1 -c python -- python /tools/mctool.py " + tls + "setget "
                + "mycache-memcached-0.mycache-memcached.memcached.svc.cluster.local 11211 lab-mykey-0 hello",
            "--namespace memcached exec lab-t1 -c python -- python /tools/mctool.py " + tls + "lab-python "
                + "mycache-memcached.memcached.svc.cluster.local 11211 3",
            "--namespace memcached exec lab-t1 -c python -- python /tools/mctool.py setget "
                + "mycache-mcrouter.memcached.svc.cluster.local 5000 anotherkey Mcrouter is fun");

        // The toolbox mounts the Secret read-only, readable by its group only, and is otherwise what it was.
        var pod = f.box.applied("lab-t1");
        assertThat(pod.at("/spec/volumes").toString()).contains(
            "{\"name\":\"tls\",\"secret\":{\"secretName\":\"" + SECRET + "\",\"defaultMode\":288}}");
        assertThat(pod.at("/spec/containers/0/volumeMounts").toString()).contains(
            "{\"name\":\"tls\",\"mountPath\":\"" + clientDir + "\",\"readOnly\":true}");
        assertThat(pod.at("/spec/securityContext/fsGroup").asInt()).isEqualTo(65534);
        assertThat(pod.at("/spec/securityContext/runAsUser").asInt()).isEqualTo(65534);
    }

    @Test
    void withoutTheOutputTheToolboxIsAsBeforeAndTheTlsShardsRefuseItsPlainText() throws Exception {
        var r = f.box.run("scripts/lab-checks.sh", "prod");

        assertThat(r.exit()).as(r.output()).isEqualTo(1);
        assertThat(r.lastLine()).startsWith("lab: FAIL: telnet-style set/get on shard "
            + "mycache-memcached-0.mycache-memcached.memcached.svc.cluster.local:11211: FAIL: setget: ");
        assertThat(String.join("\n", r.kubectlLines())).doesNotContain("--tls-dir");
        var pod = f.box.applied("lab-t1");
        assertThat(pod.at("/spec/volumes").toString()).doesNotContain("secret");
        assertThat(pod.at("/spec/containers/0/volumeMounts").toString()).doesNotContain("tls");
        assertThat(pod.at("/spec/securityContext").has("fsGroup")).isFalse();
    }
}
