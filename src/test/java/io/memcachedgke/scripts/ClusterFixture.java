package io.memcachedgke.scripts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the fakes answer for a deployed stack: the outputs {@code pulumi stack output --json} prints, the
 * cluster's objects as {@code kubectl get} prints them (by their exact names: anything else is not found),
 * and real memcached processes for the three shards. The proxy pod (one node, {@code kind-worker}) is played
 * by shard 1's process, which holds the admin keys mcrouter answers ({@code __mcrouter__.config_md5_digest},
 * {@code __mcrouter__.options(config_params)}): what is set through "the proxy" lands on shard 1, so a check
 * that a write through the proxy reaches a shard can pass for real.
 */
final class ClusterFixture {
    static final String DIGEST = "0123456789abcdef0123456789abcdef";
    static final String NODE = "kind-worker";
    static final String NODE_IP = "172.18.0.3";
    static final String PROXY_IP = "10.244.1.10";
    static final String APP_POD = "sample-application-py-7d9f8-x2x4q";
    static final String APP_IMAGE = "python:3.13.9-alpine3.22";

    final ScriptSandbox box;
    final String ns;
    final String exposure;
    final int[] shards = new int[3];
    final List<String> servers = new ArrayList<>();

    /**
     * @param exposure {@code nodeLocalService} (the local and prod stacks) or {@code hostPort} (dev)
     */
    ClusterFixture(Path tmp, String stack, String ns, String exposure) throws Exception {
        this.box = new ScriptSandbox(tmp, stack);
        this.ns = ns;
        this.exposure = exposure;
        var o = box.outputs;
        o.put("namespace", ns);
        o.put("memcachedServiceHost", "mycache-memcached." + ns + ".svc.cluster.local");
        var list = o.putArray("memcachedServers");
        var ips = new ArrayList<String>();
        for (int i = 0; i < 3; i++) {
            shards[i] = box.memcached();
            var server = "mycache-memcached-" + i + ".mycache-memcached." + ns + ".svc.cluster.local:11211";
            servers.add(server);
            list.add(server);
            box.address(server, shards[i]);
            var ip = "10.244.2." + (5 + i);
            ips.add(ip);
            box.address(ip + ":11211", shards[i]);
        }
        box.names.put("mycache-memcached." + ns + ".svc.cluster.local", ips);
        o.put("mcrouterPort", 5000);
        o.put("mcrouterServiceHost", "mycache-mcrouter." + ns + ".svc.cluster.local");
        o.put("mcrouterExposure", exposure);
        o.put("mcrouterConfigDigest", DIGEST);
        o.put("mcrouterRolloutJob", "mycache-mcrouter-rollout-1a2b3c4d");
        o.put("smokeTestJob", "mycache-smoke-test-5e6f7a8b");
        proxyReports(DIGEST);
        box.address("mycache-mcrouter." + ns + ".svc.cluster.local:5000", shards[1]);
        box.address(PROXY_IP + ":5000", shards[1]);
        box.address(NODE_IP + ":5000", shards[1]);
        box.address(NODE + ":5000", shards[1]);

        box.fieldRefs.put("spec.nodeName", NODE).put("status.hostIP", NODE_IP);
        var appEnv = box.pods.putObject(APP_POD).putObject("env");
        appEnv.put("NODE_NAME", NODE).put("MCROUTER_PORT", "5000").put("HOME", "/tmp")
            .put("MCROUTER_HOST", exposure.equals("hostPort") ? NODE_IP : "mycache-mcrouter." + ns + ".svc.cluster.local");

        var k = "--namespace " + ns + " ";
        box.kubectl(k + "get statefulset mycache-memcached -o jsonpath={.status.readyReplicas}", "3");
        box.kubectl(k + "get daemonset mycache-mcrouter -o jsonpath={.status.desiredNumberScheduled} {.status.numberReady}", "1 1");
        box.kubectl(k + "get deployment sample-application-py -o jsonpath={.spec.replicas} {.status.readyReplicas}", "2 2");
        box.kubectl(k + "get deployment sample-application-py -o jsonpath={.spec.template.spec.containers[0].image}", APP_IMAGE);
        box.kubectl(k + "get service mycache-memcached -o jsonpath={.spec.clusterIP}", "None");
        box.kubectl(k + "get endpoints mycache-memcached -o jsonpath={range .subsets[*].addresses[*]}{.ip}{\"\\n\"}{end}",
            String.join("\n", ips) + "\n");
        box.kubectl(k + "get endpoints mycache-memcached -o jsonpath={.subsets[*].ports[*].port}", "11211");
        box.kubectl(k + "get pods -l app=mycache-mcrouter -o jsonpath={.items[0].status.podIP}", PROXY_IP);
        box.kubectl(k + "get pods -l app=mycache-mcrouter -o jsonpath={range .items[*]}{.status.podIP}{\"=\"}{.spec.nodeName}{\"\\n\"}{end}",
            PROXY_IP + "=" + NODE + "\n");
        box.kubectl(k + "get pods -l app=mycache-mcrouter -o jsonpath={range .items[*]}{.metadata.name}{\"=\"}{.metadata.uid}{\"\\n\"}{end}",
            "mycache-mcrouter-abcde=7f0c1a52-0d7e-4a57-9d1e-6c1f3b2a9e10\n");
        box.kubectl(k + "get pods -l app=sample-application-py -o jsonpath={.items[0].metadata.name}", APP_POD);
        box.kubectl(k + "get pod " + APP_POD + " -o jsonpath={.spec.nodeName}", NODE);
        box.config.put("memcached-gke:environment", "development");
    }

    /** What the proxy answers for its config digest and options. */
    void proxyReports(String digest) throws IOException {
        ScriptSandbox.set(shards[1], "__mcrouter__.config_md5_digest", digest);
        ScriptSandbox.set(shards[1], "__mcrouter__.options(config_params)", "node_name:" + NODE + ",template:t1a2b3c4d5");
    }
}
