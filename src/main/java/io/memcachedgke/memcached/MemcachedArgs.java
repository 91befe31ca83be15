package io.memcachedgke.memcached;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import io.memcachedgke.kube.ClientSelector;
import io.memcachedgke.kube.Names;
import io.memcachedgke.kube.Ports;
import io.memcachedgke.kube.TlsMount;
import io.memcachedgke.locate.Layout;
import io.memcachedgke.sizing.MemcachedSizing;

/**
 * The memcached tier: a StatefulSet of memcached pods behind its headless Service, and nothing else in
 * those pods (metrics are scraped from outside, so a metrics change never restarts a shard).
 *
 * @param namePrefix       prefix of every name; the StatefulSet and Service are {@code <prefix>-memcached}
 * @param namespace        namespace of the tier's objects
 * @param replicas         memcached pods (shards) of the layout to end with
 * @param memoryMiB        item memory per pod: memcached's {@code -m}
 * @param cpuMillis        CPU request (and limit) per pod; sets the worker threads {@code -t}
 * @param maxConnections   memcached's {@code -c}
 * @param image            memcached container image
 * @param spreadZones      spread pods across zones as well as nodes (regional clusters)
 * @param networkPolicy    declare the tier's NetworkPolicy
 * @param directClients    extra label selectors of pods allowed to reach memcached directly
 * @param warmUpSeconds    when shards restart (an image or flag change), how long after one is ready before
 *                         the next restarts: the StatefulSet's {@code minReadySeconds}
 * @param resize           a warm move from another number of pods, or null
 * @param nodeSelector     the node labels a shard's node must carry (a GKE stack: its node pool's), or empty for any
 *                         node. A new value rolls the shards onto the nodes that carry it, one at a time, each
 *                         {@code warmUpSeconds} after the previous is ready: how a replaced node pool is taken over
 * @param tls              the shards' certificate, for mutual TLS, or null (plain text)
 * @param reload           how the shards load renewed certificates, or null (no TLS)
 */
public record MemcachedArgs(
    String namePrefix, String namespace, int replicas, int memoryMiB, int cpuMillis, int maxConnections,
    String image, boolean spreadZones, boolean networkPolicy, List<ClientSelector> directClients,
    int warmUpSeconds, Resize resize, Map<String, String> nodeSelector, TlsMount tls, CertReload reload) {

    public MemcachedArgs {
        directClients = List.copyOf(directClients);
        // Sorted: the record's text is hashed (Memcached.argsHash), and Map.copyOf's order changes from run to run.
        nodeSelector = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(nodeSelector));
    }

    /** The memory model for this tier's memcached containers. */
    public MemcachedSizing sizing() {
        return MemcachedSizing.of(memoryMiB, cpuMillis, maxConnections, tls != null);
    }

    public Optional<Resize> resizing() {
        return Optional.ofNullable(resize);
    }

    /** The pods the StatefulSet runs: both layouts' during a move ({@code max(from, replicas)}). */
    public int podCount() {
        return resize == null ? replicas : Math.max(resize.from(), replicas);
    }

    /**
     * Whether the pods change before the proxies' config: when a move grows the pool, the new pods must be
     * ready before any proxy lists them. Otherwise the config changes first and pods go after every proxy
     * reports it (a shrink: surplus pods are removed only once no proxy sends them anything).
     */
    public boolean podsFirst() {
        return resize != null && replicas > resize.from();
    }

    /**
     * What rolls or scales the shards, as text: everything the StatefulSet's pod template and pod count come from, and
     * nothing else (not the NetworkPolicy's clients, not the move's times). The roll check's Job is named from it.
     */
    public String rollShape() {
        return new MemcachedArgs(namePrefix, namespace, podCount(), memoryMiB, cpuMillis, maxConnections, image,
            spreadZones, false, List.of(), warmUpSeconds, null, nodeSelector,
            // The issuer is not in the pod template: a new one rolls nothing.
            tls == null ? null : new TlsMount(tls.secretName(), tls.dir(), ""), null).toString();
    }

    /**
     * memcached's TLS flags: every TCP listener speaks TLS ({@code -Z}) and asks for a client certificate signed by the
     * CA, refusing a client without one ({@code ssl_verify_mode=2}: {@code SSL_VERIFY_PEER |
     * SSL_VERIFY_FAIL_IF_NO_PEER_CERT}, memcached memcached.c 1.6.18 and tls.c {@code ssl_set_verify_mode}). The files
     * are the mounted Secret's, read again on {@code refresh_certs} (CertReload). Empty without TLS.
     *
     * <p>{@code ssl_session_cache} too: memcached sets OpenSSL's session ID context only with it (tls.c
     * {@code ssl_init}), and OpenSSL refuses to resume a session on a server that verifies peers without one, with an
     * {@code internal_error} alert. mcrouter's client context keeps a session cache and resumes
     * (mcrouter lib/network/ClientSSLContext.h, {@code wangle::SSLSessionCallbacks}), so without it every proxy
     * reconnect that offers a ticket would fail (ProbeScriptTlsRunTest, whose stand-in proxy resumes like Java does).
     */
    public List<String> tlsArgs() {
        if (tls == null) {
            return List.of();
        }
        return List.of("-Z", "-o", "ssl_chain_cert=" + tls.cert() + ",ssl_key=" + tls.key() + ",ssl_ca_cert=" + tls.ca()
            + ",ssl_verify_mode=2,ssl_session_cache");
    }

    /** {@code host:port} of the first {@code count} pods, in ordinal order: the order ch3 places keys by. */
    public List<String> servers(int count) {
        var sts = Names.memcached(namePrefix);
        return IntStream.range(0, count)
            .mapToObj(i -> Names.podHost(sts, i, sts, namespace) + ":" + Ports.MEMCACHED)
            .toList();
    }

    /** Where ch3 puts keys: the layout clients use now and the one to end with (the same when nothing moves). */
    public Layout layout() {
        return resize == null || resize.finish() ? Layout.plain(replicas).within(podCount())
            : new Layout(resize.from(), replicas);
    }
}
