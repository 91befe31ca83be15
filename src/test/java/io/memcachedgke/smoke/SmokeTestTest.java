package io.memcachedgke.smoke;

import io.memcachedgke.cache.Plan;
import io.memcachedgke.support.Plans;
import io.memcachedgke.support.Records;
import static io.memcachedgke.support.Stacks.at;
import static io.memcachedgke.support.Stacks.container;
import static io.memcachedgke.support.Stacks.one;
import static io.memcachedgke.support.Stacks.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pulumi.resources.ComponentResourceOptions;
import java.util.List;
import java.util.Map;
import io.memcachedgke.config.InvalidConfigException;
import io.memcachedgke.config.Exposure;
import io.memcachedgke.mcrouter.Mcrouter;
import io.memcachedgke.locate.Layout;
import io.memcachedgke.mcrouter.McrouterArgs;
import io.memcachedgke.mcrouter.McrouterConfig;
import io.memcachedgke.probe.ProbeScript;
import io.memcachedgke.memcached.Memcached;
import io.memcachedgke.memcached.MemcachedArgs;
import io.memcachedgke.render.RecordedResource;
import io.memcachedgke.render.Rendering;
import io.memcachedgke.sampleapp.SampleApp;
import io.memcachedgke.sampleapp.SampleAppArgs;
import io.memcachedgke.support.Stacks;
import org.junit.jupiter.api.Test;

class SmokeTestTest {
    private static final String JOB = "kubernetes:batch/v1:Job";
    private static final String PARENT = "memcached-gke:smoke:SmokeTest::smoke";

    /** Both cache tiers, the sample app and the smoke test, wired as the program wires them. */
    private static Rendering declare(MemcachedArgs memcachedArgs, Exposure exposure, SmokeTestArgs args) {
        return Stacks.run(ctx -> {
            var memcached = new Memcached("cache", memcachedArgs, ComponentResourceOptions.Empty);
            var mcrouter = new Mcrouter("proxy", Records.with(Plans.mcrouter(), "namespace", "cache", "exposure", exposure),
                Plan.proxyConfig(memcachedArgs), null, ComponentResourceOptions.Empty);
            var app = new SampleApp("app", Records.with(Plans.sampleApp(), "namespace", "cache"), mcrouter.clientEnv(),
                ComponentResourceOptions.Empty);
            var targets = new SmokeTest.Targets(memcached.servers(), memcachedArgs.layout(), mcrouter.clientEnv(),
                mcrouter.serviceHost(), mcrouter.proxiesHost(), mcrouter.configDigest(), memcached.argsHash(),
                mcrouter.argsHash());
            var smoke = new SmokeTest("smoke", args, targets, List.of(memcached, mcrouter, app),
                ComponentResourceOptions.Empty);
            ctx.export("jobName", smoke.jobName());
        });
    }

    private static Rendering declare(Exposure exposure) {
        return declare(Records.with(Plans.memcached(), "namespace", "cache"), exposure,
            Records.with(Plans.smokeTest(), "namespace", "cache"));
    }

    /** The smoke test's Job (the mcrouter tier has its rollout check too). */
    private static RecordedResource job(Rendering r) {
        return r.resources().stream().filter(x -> x.type().equals(JOB) && PARENT.equals(x.parent())).findFirst()
            .orElseThrow();
    }

    @Test
    void aJobNamedByTheConfigurationHashThatRunsTheGeneratedScriptOnce() {
        var r = declare(Exposure.HOST_PORT);
        var job = job(r);
        var name = (String) value(job.inputs(), "metadata.name");
        assertThat(name).matches("mycache-smoke-[0-9a-f]{10}").isEqualTo(r.outputs().get("jobName"));
        assertThat(value(job.inputs(), "metadata.namespace")).isEqualTo("cache");
        assertThat((Map<String, Object>) at(job.inputs(), "spec")).containsEntry("backoffLimit", 2L)
            .containsEntry("activeDeadlineSeconds", 300L).doesNotContainKey("ttlSecondsAfterFinished");
        assertThat(value(job.inputs(), "spec.template.spec.restartPolicy")).isEqualTo("Never");
        var c = container(job);
        assertThat(c.get("image")).isEqualTo("busybox:1.37.0");
        assertThat(c.get("command")).isEqualTo(List.of("sh", "-c", ProbeScript.smoke(60).text()));
        assertThat(c.get("terminationMessagePolicy")).isEqualTo("FallbackToLogsOnError");
        assertThat(value(c, "resources.requests")).isEqualTo(value(c, "resources.limits"))
            .isEqualTo(Map.of("cpu", "50m", "memory", "16Mi"));
    }

    @Test
    void itRunsRestrictedLikeEveryOtherPod() {
        var job = job(declare(Exposure.HOST_PORT));
        var pod = (Map<String, Object>) at(job.inputs(), "spec.template.spec");
        assertThat(pod).containsEntry("automountServiceAccountToken", false).containsEntry("enableServiceLinks", false);
        assertThat(value(pod, "securityContext")).isEqualTo(Map.of("runAsNonRoot", true, "runAsUser", 65534L,
            "runAsGroup", 65534L, "fsGroup", 65534L, "seccompProfile", Map.of("type", "RuntimeDefault")));
        assertThat(value(pod, "containers.0.securityContext")).isEqualTo(Map.of("allowPrivilegeEscalation", false,
            "privileged", false, "readOnlyRootFilesystem", true, "runAsNonRoot", true,
            "capabilities", Map.of("drop", List.of("ALL"))));
    }

    @Test
    void itGetsTheSampleAppsProxyContractEveryShardEveryProxyTheDigestAndTheLocatorsKeys() {
        var hostPort = container(job(declare(Exposure.HOST_PORT)));
        var keys = String.join(" ", Layout.plain(3).smokeKeys().stream().map(Layout.SmokeKey::entry).toList());
        assertThat(hostPort.get("env")).isEqualTo(List.of(
            Map.of("name", "MCROUTER_HOST", "valueFrom", Map.of("fieldRef", Map.of("fieldPath", "status.hostIP"))),
            Map.of("name", "MCROUTER_PORT", "value", "5000"),
            Map.of("name", "MEMCACHED_SERVERS", "value",
                "mycache-memcached-0.mycache-memcached.cache.svc.cluster.local:11211 "
                    + "mycache-memcached-1.mycache-memcached.cache.svc.cluster.local:11211 "
                    + "mycache-memcached-2.mycache-memcached.cache.svc.cluster.local:11211"),
            Map.of("name", "MCROUTER_PROXY_SERVICE", "value", "mycache-mcrouter-proxies.cache.svc.cluster.local"),
            Map.of("name", "MCROUTER_CONFIG_MD5", "value",
                Plan.proxyConfig(Records.with(Plans.memcached(), "namespace", "cache")).md5()),
            Map.of("name", "SMOKE_KEYS", "value", keys)));
        assertThat(keys).matches("memcached-gke\\.smoke\\.\\d+@0 memcached-gke\\.smoke\\.\\d+@1 memcached-gke\\.smoke\\.\\d+@2");
        var service = container(job(declare(Exposure.NODE_LOCAL_SERVICE)));
        assertThat(value(service, "env.0")).isEqualTo(
            Map.of("name", "MCROUTER_HOST", "value", "mycache-mcrouter.cache.svc.cluster.local"));
    }

    @Test
    void itsPodsAreDirectClientsOfMemcached() {
        var job = job(declare(Exposure.HOST_PORT));
        Map<String, String> labels = at(job.inputs(), "spec.template.metadata.labels");
        assertThat(labels).containsEntry(io.memcachedgke.kube.Labels.DIRECT_CLIENT, "true")
            .containsAllEntriesOf(SmokeTestArgs.client("mycache").matchLabels());
    }

    @Test
    void theJobWaitsForEveryResourceOfEveryTier() {
        var r = declare(Exposure.HOST_PORT);
        var tiers = r.resources().stream()
            .filter(x -> x.isKubernetesObject() && !x.type().equals(JOB))
            .map(RecordedResource::ref).toList();
        assertThat(tiers).contains("kubernetes:apps/v1:StatefulSet::cache-statefulset",
            "kubernetes:apps/v1:DaemonSet::proxy-daemonset", "kubernetes:apps/v1:Deployment::app-deployment");
        assertThat(job(r).dependencies()).containsAll(tiers);
        assertThat(job(r).parent()).isEqualTo(PARENT);
        assertThat(one(r, SmokeTest.TYPE).parent()).isNull();
    }

    @Test
    void aChangeToAnyTierRenamesTheJobSoItRunsAgainAndNoChangeKeepsIt() {
        var base = (String) value(job(declare(Exposure.HOST_PORT)).inputs(), "metadata.name");
        assertThat(value(job(declare(Exposure.HOST_PORT)).inputs(), "metadata.name")).isEqualTo(base);
        var moreShards = declare(Records.with(Plans.memcached(), "namespace", "cache", "replicas", 4), Exposure.HOST_PORT,
            Records.with(Plans.smokeTest(), "namespace", "cache"));
        var newImage = declare(Records.with(Plans.memcached(), "namespace", "cache", "image", "memcached:1.6.39-alpine"),
            Exposure.HOST_PORT, Records.with(Plans.smokeTest(), "namespace", "cache"));
        var otherExposure = declare(Exposure.NODE_LOCAL_SERVICE);
        var longerWait = declare(Records.with(Plans.memcached(), "namespace", "cache"), Exposure.HOST_PORT,
            Records.with(Plans.smokeTest(), "namespace", "cache", "proxyWaitSeconds", 90));
        assertThat(List.of(moreShards, newImage, otherExposure, longerWait))
            .extracting(r -> value(job(r).inputs(), "metadata.name"))
            .doesNotContain(base).doesNotHaveDuplicates();
    }
}
