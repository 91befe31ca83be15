package io.memcachedgke.smoke;

import io.memcachedgke.kube.Labels;
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
import io.memcachedgke.kube.CheckJobs;
import io.memcachedgke.kube.Children;
import io.memcachedgke.kube.Hashes;
import io.memcachedgke.locate.Layout;
import io.memcachedgke.probe.ProbeScript;
import io.memcachedgke.kube.Names;
import io.memcachedgke.kube.Resources;

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
 * {@link SmokeTestArgs#client}, memcached by {@link io.memcachedgke.kube.Labels#DIRECT_CLIENT}.
 */
public final class SmokeTest extends ComponentResource {
    public static final String TYPE = "memcached-gke:smoke:SmokeTest";
    /** Characters of the configuration hash in the Job's name. */
    static final int HASH_LENGTH = 10;

    private final Output<String> jobName;

    /**
     * What the smoke test proves, as values the composition root takes from the tiers.
     *
     * @param servers        every shard's {@code host:port}, in ordinal order: the script asks each directly
     * @param layout         where ch3 puts keys in the layout the proxies route by
     * @param clientEnv      where the proxy on the Job's node answers ({@code MCROUTER_HOST}, {@code MCROUTER_PORT})
     * @param proxyServiceHost the proxies' node-local Service's DNS name
     * @param proxiesHost    every proxy pod's address in DNS, ready or not
     * @param configDigest   the MD5 every proxy must report for its config
     * @param memcachedHash  a hash of what the shards deploy, and {@code mcrouterHash} of the proxies: any change to
     *                       either is a new Job, which runs
     */
    public record Targets(Output<List<String>> servers, Layout layout, List<EnvVarArgs> clientEnv,
                          Output<String> proxyServiceHost, Output<String> proxiesHost, Output<String> configDigest, String memcachedHash,
                          String mcrouterHash) {}

    /**
     * @param after the tiers that must be ready first (both cache tiers, the sample app). A dependency on a component
     *              is a dependency on every resource in it, so the Job starts only after the provider has seen each of
     *              them ready.
     */
    public SmokeTest(String name, SmokeTestArgs args, Targets targets, List<? extends Resource> after,
                     ComponentResourceOptions options) {
        super(TYPE, name, options);
        var labels = args.labels();
        var script = args.script();
        var afterTiers = Children.of(this, options, after).build();

        Output<String> servers = targets.servers().applyValue(list -> String.join(" ", list));
        var keys = String.join(" ", targets.layout().smokeKeys().stream().map(Layout.SmokeKey::entry).toList());
        var env = new ArrayList<EnvVarArgs>(targets.clientEnv());
        env.add(EnvVarArgs.builder().name(ProbeScript.SERVERS_ENV).value(servers).build());
        env.add(EnvVarArgs.builder().name(ProbeScript.PROXY_SERVICE_ENV).value(targets.proxiesHost()).build());
        env.add(EnvVarArgs.builder().name(ProbeScript.DIGEST_ENV).value(targets.configDigest()).build());
        env.add(EnvVarArgs.builder().name(ProbeScript.KEYS_ENV).value(keys).build());
        if (args.tls() != null) {
            env.add(EnvVarArgs.builder().name(ProbeScript.TLS_DIR_ENV).value(args.tls().dir()).build());
        }

        this.jobName = Output.tuple(targets.configDigest(), targets.proxyServiceHost(), servers).applyValue(t ->
            Names.smokeTest(args.namePrefix()) + "-" + Hashes.sha256(String.join("\n",
                t.t1, t.t2, t.t3, keys, targets.memcachedHash(), targets.mcrouterHash(), args.toString(), script.sha256()))
                .substring(0, HASH_LENGTH));

        var podLabels = new LinkedHashMap<>(labels.all());
        podLabels.put(Labels.DIRECT_CLIENT, "true");

        new Job(name + "-job", JobArgs.builder()
            .metadata(ObjectMetaArgs.builder().name(jobName).namespace(args.namespace()).labels(labels.all()).build())
            .spec(JobSpecArgs.builder()
                .backoffLimit(args.backoffLimit())
                .activeDeadlineSeconds(args.activeDeadlineSeconds())
                .template(PodTemplateSpecArgs.builder()
                    .metadata(ObjectMetaArgs.builder().labels(podLabels).build())
                    .spec(podSpec(args, script, env))
                    .build())
                .build())
            .build(), afterTiers);

        registerOutputs(Map.of("jobName", jobName));
    }

    /** The check's pod: the script, and with TLS the smoke test's own certificate (a directory: TlsMount). */
    private static com.pulumi.kubernetes.core.v1.inputs.PodSpecArgs podSpec(SmokeTestArgs args, ProbeScript script,
                                                                           List<EnvVarArgs> env) {
        var container = ContainerArgs.builder()
            .name("smoke")
            .image(args.image())
            .command("sh", "-c", script.text())
            .env(env)
            .resources(Resources.guaranteed(args.cpuMillis(), args.memoryMiB()));
        if (args.tls() == null) {
            return CheckJobs.podSpec(container);
        }
        container.volumeMounts(args.tls().mount());
        return CheckJobs.podSpecBuilder(container).volumes(args.tls().volume()).build();
    }

    /** The Job's name, {@code <prefix>-smoke-<hash>}: {@code kubectl logs job/<name>} shows the result. */
    public Output<String> jobName() {
        return jobName;
    }
}
