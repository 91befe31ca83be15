package io.memcachedgke.smoke;

import com.pulumi.core.Output;
import com.pulumi.kubernetes.batch.v1.Job;
import com.pulumi.kubernetes.batch.v1.JobArgs;
import com.pulumi.kubernetes.batch.v1.inputs.JobSpecArgs;
import com.pulumi.kubernetes.core.v1.inputs.ContainerArgs;
import com.pulumi.kubernetes.core.v1.inputs.EnvVarArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodTemplateSpecArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.memcachedgke.config.InvalidConfigException;
import io.memcachedgke.kube.CheckJobs;
import io.memcachedgke.kube.Children;
import io.memcachedgke.kube.Hashes;
import io.memcachedgke.locate.Layout;
import io.memcachedgke.probe.ProbeScript;
import io.memcachedgke.kube.Names;
import io.memcachedgke.kube.Resources;
import io.memcachedgke.mcrouter.Mcrouter;
import io.memcachedgke.memcached.Memcached;
import io.memcachedgke.memcached.MemcachedArgs;

/**
 * A Job that runs the smoke script ({@link ProbeScript#smoke}) once every tier is ready: {@code pulumi up}
 * waits for a Job to complete and fails when it fails, so a cache that does not work fails the deployment.
 * Through every proxy it writes keys the locator places on each shard ({@link Layout#smokeKeys()}) and reads
 * every shard directly, so the live routing is proven to be what the locator and the impact report assume.
 *
 * <p>The Job's name ends in a hash of the tiers' configuration and of the script: a Job's pod template
 * is immutable and a finished Job never runs again, so any change to what the test checks creates a
 * new Job, which runs. An unchanged stack keeps its Job, finished, for as long as what it checked is what runs
 * ({@link io.memcachedgke.kube.CheckJobs}): no TTL, so a {@code pulumi refresh} never finds it gone and the next
 * preview never plans it again unexplained.
 *
 * <p>Its pods are the only new clients of the cache: the mcrouter tier admits them by
 * {@link SmokeTestArgs#client}, memcached by {@link MemcachedArgs#DIRECT_CLIENT_LABEL}.
 */
public final class SmokeTest extends ComponentResource {
    public static final String TYPE = "memcached-gke:smoke:SmokeTest";
    /** Characters of the configuration hash in the Job's name. */
    static final int HASH_LENGTH = 10;

    private final Output<String> jobName;

    /**
     * @param memcached  the shards the script asks directly ({@link Memcached#servers()})
     * @param layout     where ch3 puts keys in the layout the proxies route by
     * @param mcrouter   the proxies the script writes and reads through ({@link Mcrouter#clientEnv()},
     *                   {@link Mcrouter#proxiesHost()}) and the config digest they must report
     * @param otherTiers further tiers that must be ready first (the sample app). The Job depends on these and
     *                   on both cache tiers; a dependency on a component is a dependency on every resource in
     *                   it, so the Job starts only after the provider has seen each of them ready.
     */
    public SmokeTest(String name, SmokeTestArgs args, Memcached memcached, Layout layout, Mcrouter mcrouter,
                     List<? extends Resource> otherTiers, ComponentResourceOptions options) {
        super(TYPE, name, options);
        InvalidConfigException.throwIfAny(args.problems("smokeTest."));
        var labels = args.labels();
        var script = args.script();

        var tiers = new ArrayList<Resource>(List.of(memcached, mcrouter));
        tiers.addAll(otherTiers);
        var afterTiers = Children.of(this, options, tiers).build();

        Output<String> servers = memcached.servers().applyValue(list -> String.join(" ", list));
        var keys = String.join(" ", layout.smokeKeys().stream().map(Layout.SmokeKey::entry).toList());
        var env = new ArrayList<EnvVarArgs>(mcrouter.clientEnv());
        env.add(EnvVarArgs.builder().name(ProbeScript.SERVERS_ENV).value(servers).build());
        env.add(EnvVarArgs.builder().name(ProbeScript.PROXY_SERVICE_ENV).value(mcrouter.proxiesHost()).build());
        env.add(EnvVarArgs.builder().name(ProbeScript.DIGEST_ENV).value(mcrouter.configDigest()).build());
        env.add(EnvVarArgs.builder().name(ProbeScript.KEYS_ENV).value(keys).build());

        this.jobName = Output.tuple(mcrouter.configDigest(), mcrouter.serviceHost(), servers).applyValue(t ->
            Names.smokeTest(args.namePrefix()) + "-" + Hashes.sha256(String.join("\n",
                t.t1, t.t2, t.t3, keys, memcached.argsHash(), mcrouter.argsHash(), args.toString(), script.sha256()))
                .substring(0, HASH_LENGTH));

        var podLabels = new LinkedHashMap<>(labels.all());
        podLabels.put(MemcachedArgs.DIRECT_CLIENT_LABEL, "true");

        new Job(name + "-job", JobArgs.builder()
            .metadata(ObjectMetaArgs.builder().name(jobName).namespace(args.namespace()).labels(labels.all()).build())
            .spec(JobSpecArgs.builder()
                .backoffLimit(args.backoffLimit())
                .activeDeadlineSeconds(args.activeDeadlineSeconds())
                .template(PodTemplateSpecArgs.builder()
                    .metadata(ObjectMetaArgs.builder().labels(podLabels).build())
                    .spec(CheckJobs.podSpec(ContainerArgs.builder()
                        .name("smoke")
                        .image(args.image())
                        .command("sh", "-c", script.text())
                        .env(env)
                        .resources(Resources.guaranteed(args.cpuMillis(), args.memoryMiB()))))
                    .build())
                .build())
            .build(), afterTiers);

        registerOutputs(Map.of("jobName", jobName));
    }

    /** The Job's name, {@code <prefix>-smoke-<hash>}: {@code kubectl logs job/<name>} shows the result. */
    public Output<String> jobName() {
        return jobName;
    }
}
