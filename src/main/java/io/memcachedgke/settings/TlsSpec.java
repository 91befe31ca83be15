package io.memcachedgke.settings;

import io.memcachedgke.config.Durations;
import io.memcachedgke.config.Environment;
import java.time.Duration;

/** Mutual TLS between the shards and every client of theirs. */
@Doc("Mutual TLS to the shards: memcached serves only TLS (`-Z`) and accepts only clients with a certificate of the "
    + "cache's CA (`ssl_verify_mode=2`); the proxies, the exporters, the smoke test and the certificate reloader each "
    + "present one of their own. Certificates come from cert-manager (installed first: docs/security.md) and are "
    + "renewed without restarting a shard or a proxy. Applications still talk plain text to the proxy on their node.")
public record TlsSpec(
    @Doc(value = "Turn mutual TLS on. Must be `true` in production",
        dflt = "`true` in production, `false` otherwise")
    Boolean enabled,
    @Doc(value = "The cert-manager issuer that signs the certificates (its name); unset, the cache makes a CA of its own "
        + "(`<namePrefix>-ca`, from a self-signed issuer)", dflt = "unset: a CA of the cache's own")
    String issuer,
    @Doc("`Issuer` (in the cache's namespace) or `ClusterIssuer`: the kind of `issuer`")
    String issuerKind,
    @Doc("A duration such as `90d` or `2160h`, between `2h` and `3650d`: how long a certificate is valid")
    String duration,
    @Doc("A duration, at least `1h` and less than `duration`: how long before it expires cert-manager renews a "
        + "certificate. The proxies read renewed files after at most 30 minutes and the shards within a minute, so "
        + "anything from an hour on leaves every old certificate valid until its replacement is in use")
    String renewBefore,
    @Doc("The image of the TLS clients the program runs itself (the certificate reloader, and the smoke test while "
        + "`tls` is on): `sh`, `nc` and `python3` with its `ssl` module; pinned")
    String clientImage) {

    public static final TlsSpec DEFAULTS = new TlsSpec(null, null, "Issuer", "90d", "30d", "python:3.13.9-alpine3.22");

    /** Whether mutual TLS is on: as set, or the environment's default (production: on). */
    public boolean enabled(Environment environment) {
        return enabled != null ? enabled : environment == Environment.PRODUCTION;
    }

    /** The validity, once the rules have passed. */
    public Duration durationValue() {
        return Durations.parse(duration).orElseThrow();
    }

    /** The renewal lead, once the rules have passed. */
    public Duration renewBeforeValue() {
        return Durations.parse(renewBefore).orElseThrow();
    }
}
