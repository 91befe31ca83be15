package io.memcachedgke.routing;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import io.memcachedgke.hash.Ch3;

/**
 * The per-key hash that spreads {@code MigrateRoute}'s switch times ({@code mcrouter/lib/routes/MigrateRoute.h}
 * lines 182-186: {@code start_time + interval + routingKeyHash() % interval}), pluggable so that the invariants
 * can be shown not to depend on it. Every hash is taken over the routing key ({@link Ch3#routingKey}), as
 * {@code routingKeyHash()} is ({@code mcrouter/lib/carbon/Keys.h:131-138}).
 */
@FunctionalInterface
interface SwitchHash {

    /** The unsigned 32-bit hash of {@code routingKey}'s UTF-8 bytes, as a Java int. */
    int hashRoutingKey(byte[] routingKey);

    /** The hash of {@code key}'s routing key. */
    default int hash32(String key) {
        return hashRoutingKey(Ch3.routingKey(key).getBytes(StandardCharsets.UTF_8));
    }

    /** Upstream HEAD: {@code folly::hash::SpookyHashV2::Hash32(key, len, 0)} (validated in {@link SpookyHashV2Test}). */
    SwitchHash SPOOKY_V2 = bytes -> SpookyHashV2.hash32(bytes, 0);

    /** STAND-IN, not mcrouter's: 32-bit FNV-1a. */
    SwitchHash FNV1A_STAND_IN = bytes -> {
        int h = 0x811c9dc5;
        for (byte b : bytes) {
            h ^= b & 0xFF;
            h *= 0x01000193;
        }
        return h;
    };

    /** STAND-IN, not mcrouter's: CRC-32 (java.util.zip). */
    SwitchHash CRC32_STAND_IN = bytes -> {
        var crc = new CRC32();
        crc.update(bytes);
        return (int) crc.getValue();
    };

    /** STAND-IN, not mcrouter's: Java's {@code String.hashCode} over the bytes as Latin-1 chars (weak, clustered). */
    SwitchHash JAVA_HASH_STAND_IN = bytes -> new String(bytes, StandardCharsets.ISO_8859_1).hashCode();

    /** STAND-IN, degenerate: every key switches at the window's start. */
    SwitchHash ZERO_STAND_IN = bytes -> 0;
}
