package io.memcachedgke.hash;

import java.nio.charset.StandardCharsets;

/**
 * mcrouter's default consistent hash, {@code ch3}: which server of a pool of {@code n} holds a key.
 * A port of {@code furc_hash} over MurmurHash64A from upstream {@code mcrouter/lib/fbi/hash.c}
 * (constants at lines 28-42, {@code murmur_hash_64A} 52-104, {@code murmur_rehash_64A} 106-126,
 * {@code furc_get_bit} 128-158, {@code furc_hash} 160-203), called the way {@code mcrouter/lib/Ch3HashFunc.h}
 * calls it: over the key's routing part ({@link #routingKey}), with {@code n} the pool's size.
 *
 * <p>Everything is unsigned in C: key bytes are read as unsigned, 8-byte blocks little-endian, the seed
 * zero-extended, shifts logical.
 */
public final class Ch3 {
    private Ch3() {}

    /** {@code SEED}: 4193360111, zero-extended to 64 bits. */
    static final long SEED = 4193360111L;
    static final int MAX_TRIES = 32;
    static final int FURC_SHIFT = 23;
    static final int FURC_CACHE_SIZE = 1024;
    private static final long M = 0xc6a4a7935bd1e995L;
    private static final int R = 47;

    /** The largest pool ch3 accepts ({@code furc_maximum_pool_size}, 2^23). */
    public static final int MAX_POOL_SIZE = 1 << FURC_SHIFT;

    /**
     * The index (0..n-1) of the server of a pool of {@code n} that holds {@code key}.
     *
     * @throws IllegalArgumentException for a pool of no server or more than {@link #MAX_POOL_SIZE}, as
     *     {@code Ch3HashFunc} refuses them ("Pool size out of range for Ch3")
     */
    public static int serverIndex(String key, int n) {
        if (n < 1 || n > MAX_POOL_SIZE) {
            throw new IllegalArgumentException("Pool size out of range for Ch3: " + n);
        }
        // HashRouteFactory.h: a pool of one server is that server, without hashing.
        if (n == 1) {
            return 0;
        }
        return (int) furcHash(routingKey(key).getBytes(StandardCharsets.UTF_8), Integer.toUnsignedLong(n));
    }

    /**
     * The part of a key mcrouter hashes ({@code mcrouter/lib/carbon/Keys-inl.h} {@code update()}): without a
     * {@code /region/cluster/} routing prefix, and up to the first {@code |#|} (the hash stop).
     */
    public static String routingKey(String key) {
        var rest = key;
        if (rest.startsWith("/")) {
            int pos = 1;
            boolean complete = true;
            for (int i = 0; i < 2; i++) {
                pos = rest.indexOf('/', pos);
                if (pos < 0) {
                    complete = false;
                    break;
                }
                pos++;
            }
            if (complete) {
                rest = rest.substring(pos);
            }
        }
        int stop = rest.indexOf("|#|");
        return stop < 0 ? rest : rest.substring(0, stop);
    }

    /** {@code furc_hash(key, len, m)}: m is an unsigned 32-bit value. */
    static long furcHash(byte[] key, long m) {
        if (m <= 1) {
            return 0;
        }
        var bits = new BitStream(key);
        // d = ceil(log2 m): 32 - clz(m - 1)
        long d = 32 - Integer.numberOfLeadingZeros((int) (m - 1));
        long a = d;
        for (int attempt = 0; attempt < MAX_TRIES; attempt++) {
            while (bits.get(a) == 0) {
                if (--d == 0) {
                    return 0;
                }
                a = d;
            }
            a += FURC_SHIFT;
            long num = 1;
            for (long i = 0; i < d - 1; i++) {
                num = ((num << 1) | bits.get(a)) & 0xFFFFFFFFL;
                a += FURC_SHIFT;
            }
            if (num < m) {
                return num;
            }
        }
        return 0;
    }

    /** {@code furc_get_bit}: word 0 is MurmurHash64A(key, SEED), word n the rehash of word n-1; bit i of word i/64. */
    private static final class BitStream {
        private final byte[] key;
        private final long[] words = new long[FURC_CACHE_SIZE];
        private int computed = -1;

        BitStream(byte[] key) {
            this.key = key;
        }

        int get(long idx) {
            int ord = (int) (idx >>> 6);
            while (computed < ord) {
                computed++;
                words[computed] = computed == 0 ? murmurHash64A(key, SEED) : rehash(words[computed - 1]);
            }
            return (int) ((words[ord] >>> (idx & 0x3f)) & 1);
        }
    }

    /** {@code murmur_hash_64A(key, len, seed)}. */
    static long murmurHash64A(byte[] key, long seed) {
        int len = key.length;
        long h = seed ^ (len * M);
        int blocks = len / 8;
        for (int b = 0; b < blocks; b++) {
            long k = 0;
            for (int i = 7; i >= 0; i--) {
                k = (k << 8) | (key[b * 8 + i] & 0xFFL);
            }
            k *= M;
            k ^= k >>> R;
            k *= M;
            h ^= k;
            h *= M;
        }
        int tail = blocks * 8;
        switch (len & 7) {
            case 7: h ^= (key[tail + 6] & 0xFFL) << 48; // fall through
            case 6: h ^= (key[tail + 5] & 0xFFL) << 40; // fall through
            case 5: h ^= (key[tail + 4] & 0xFFL) << 32; // fall through
            case 4: h ^= (key[tail + 3] & 0xFFL) << 24; // fall through
            case 3: h ^= (key[tail + 2] & 0xFFL) << 16; // fall through
            case 2: h ^= (key[tail + 1] & 0xFFL) << 8; // fall through
            case 1:
                h ^= key[tail] & 0xFFL;
                h *= M;
                break;
            default:
                break;
        }
        h ^= h >>> R;
        h *= M;
        h ^= h >>> R;
        return h;
    }

    /** {@code murmur_rehash_64A(k)}: MurmurHash64A of the 8 bytes of {@code k} with SEED. */
    static long rehash(long k) {
        long h = SEED ^ (8 * M);
        k *= M;
        k ^= k >>> R;
        k *= M;
        h ^= k;
        h *= M;
        h ^= h >>> R;
        h *= M;
        h ^= h >>> R;
        return h;
    }
}
