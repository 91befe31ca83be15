package io.memcachedgke.mcrouter;

import java.util.ArrayList;
import java.util.List;

/**
 * mcrouter's command line, every flag explicit and each with its reason. Flag names and defaults are
 * upstream's {@code mcrouter/mcrouter_options_list.h} and {@code mcrouter/standalone_options_list.h}; all of
 * them exist in release 0.36 (the lab image) and today's.
 *
 * @param numProxies the proxy threads
 */
public record McrouterFlags(McrouterArgs args, int numProxies) {

    /** One proxy thread per whole CPU the container gets, at least one (mcrouter's default is 1 whatever the CPU). */
    public static int proxyThreadsFor(int cpuMillis) {
        return Math.max(1, cpuMillis / 1000);
    }

    public static McrouterFlags of(McrouterArgs args) {
        return new McrouterFlags(args, proxyThreadsFor(args.cpuMillis()));
    }

    /** A flag, its value and why. */
    public record Flag(String flag, String value, String why) {
        String arg() {
            return value == null ? flag : flag + "=" + value;
        }
    }

    public List<Flag> list() {
        var f = new ArrayList<Flag>();
        f.add(new Flag("--port", Integer.toString(args.port()), "the proxy's port (the lab's 5000)"));
        f.add(new Flag("--config", "file:" + McrouterArgs.CONFIG_FILE,
            "the ConfigMap's file, mounted as a directory (no subPath) so kubelet replaces it in place; mcrouter "
                + "watches it and every symlink hop (mcrouter/FileDataProvider.cpp) and reloads without a restart"));
        f.add(new Flag("--num-proxies", Integer.toString(numProxies),
            "one proxy thread per whole CPU given (mcrouter's default is 1 whatever the CPU)"));
        f.add(new Flag("--asynclog-disable", null,
            "a delete that cannot reach its shard answers an error instead of NOT_FOUND after spooling it to a disk "
                + "nothing replays (mcrouter/routes/DestinationRoute.h; mcrouter/test/test_mcrouter_errors.py)"));
        f.add(new Flag("--server-timeout", Integer.toString(args.serverTimeoutMs()),
            "in-cluster round trips take well under a millisecond; mcrouter's 1000 ms holds a client for a second"));
        f.add(new Flag("--probe-timeout-initial", Integer.toString(args.probeTimeoutInitialMs()),
            "a shard marked down (TKO) is probed after this (x1.05-1.5 jitter); mcrouter's 10000 keeps a restarted "
                + "shard out for 10-15 s (mcrouter/ProxyDestination.cpp)"));
        f.add(new Flag("--probe-timeout-max", Integer.toString(args.probeTimeoutMaxMs()),
            "probes back off x1.5 up to this; mcrouter's 60000 leaves a shard that was down long unused for up to 90 s"));
        f.add(new Flag("--timeouts-until-tko", Integer.toString(args.timeoutsUntilTko()),
            "timeouts in a row before a shard is marked down; a refused connection marks it at once"));
        f.add(new Flag("--reconfiguration-delay-ms", Integer.toString(args.reconfigurationDelayMs()),
            "how soon a changed config file is loaded; kubelet swaps the file atomically, so no long debounce is needed"));
        if (args.tls() != null) {
            // The same three flags in 0.36 (the lab's image, where ProxyDestination requires all three for a pool with
            // use_ssl) and today (mcrouter/ProxyDestination-inl.h reads them for a destination with an SSL mech).
            f.add(new Flag("--pem-cert-path", args.tls().cert(),
                "the proxy's client certificate, which the shards require (mutual TLS); mcrouter reads the files again "
                    + "30 minutes after it last read them (lib/network/ThreadLocalSSLContextProvider.cpp, "
                    + "kSslReloadInterval), so a renewed certificate needs no restart"));
            f.add(new Flag("--pem-key-path", args.tls().key(), "its private key, renewed with it"));
            f.add(new Flag("--pem-ca-path", args.tls().ca(),
                "the cache's CA; mcrouter 0.36 checks the shards' certificates against it, and releases from v0.38 only "
                    + "with --ssl-verify-peers, a flag 0.36 does not know (the lab's image would not start)"));
        }
        f.add(new Flag("--config-params", "node_name:$(NODE_NAME),template:" + "{template}",
            "read back with get __mcrouter__.options(config_params): the rollout check names each proxy's node and "
                + "sees which pod template it runs; the config uses neither param"));
        return f;
    }

    /** The container's args, with {@code template} the pod template's revision. */
    public List<String> args(String templateRevision) {
        return list().stream().map(Flag::arg).map(a -> a.replace("{template}", templateRevision)).toList();
    }
}
