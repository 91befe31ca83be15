package io.memcachedgke.memcached;

import io.memcachedgke.kube.TlsMount;

/**
 * How the shards load renewed certificates without a restart: a small Deployment that sends every shard
 * {@code refresh_certs} over a TLS connection of its own, every {@code periodSeconds}.
 *
 * <p>memcached loads its certificate, key and CA files at start and again on {@code refresh_certs} (memcached
 * proto_text.c {@code process_refresh_certs_command}; tls.c {@code load_server_certificates}: new connections get
 * the new certificate, open ones and every stored item stay); it watches no file, and the SIGHUP reload arrived only
 * in 1.6.40 (memcached.c), after the images this program pins. The command is idempotent and costs a file read, so
 * the reloader sends it on a timer rather than watching the files: a renewed Secret reaches the pod's files within
 * kubelet's sync period, and the shard within one period more. It talks to each shard as any client must, with a
 * certificate of the cache's CA (memcached answers every command, this one too, only after the handshake).
 *
 * @param image         an image with {@code python3} and its {@code ssl} module
 * @param client        the reloader's own client certificate
 * @param periodSeconds how often each shard is told
 */
public record CertReload(String image, TlsMount client, int periodSeconds) {
    /** A minute: within kubelet's own delay in swapping a renewed Secret's files. */
    public static final int PERIOD_SECONDS = 60;
}
