package io.memcachedgke.routing;

/**
 * Bob Jenkins' SpookyHash V2 (public domain), as folly ships it and mcrouter calls it to spread
 * {@code MigrateRoute}'s per-key switch times: {@code folly::hash::SpookyHashV2::Hash32(key, len, 0)} over the
 * routing key ({@code mcrouter/lib/carbon/Keys.h:131-138}, {@code routingKeyHash()}).
 *
 * <p>A port of {@code folly/hash/SpookyHashV2.h} ({@code Hash32}, {@code Rot64}, {@code Mix},
 * {@code EndPartial}, {@code End}, {@code ShortMix}, {@code ShortEnd}) and {@code folly/hash/SpookyHashV2.cpp}
 * ({@code Short}, {@code Hash128}) for the little-endian machines mcrouter runs on. Java's {@code long}
 * arithmetic wraps like {@code uint64_t}; bytes are read unsigned. Checked against folly's own table of 512
 * {@code Hash32} values ({@code folly/hash/test/SpookyHashV2Test.cpp}, {@code TestResults}) in
 * {@link SpookyHashV2Test}: lengths 0..511 cover the short path (under 192 bytes) and the long one.
 */
final class SpookyHashV2 {
    private SpookyHashV2() {}

    /** {@code sc_numVars}: 64-bit words of internal state. */
    private static final int NUM_VARS = 12;
    /** {@code sc_blockSize}: bytes per {@code Mix}. */
    private static final int BLOCK_SIZE = NUM_VARS * 8;
    /** {@code sc_bufSize}: messages shorter than this take {@code Short}. */
    private static final int BUF_SIZE = 2 * BLOCK_SIZE;
    /** {@code sc_const}. */
    private static final long SC_CONST = 0xdeadbeefdeadbeefL;

    /** {@code Hash32(message, length, seed)}: {@code Hash128} seeded with {@code seed} twice, low 32 bits of hash1. */
    static int hash32(byte[] message, int seed) {
        long[] h = hash128(message, Integer.toUnsignedLong(seed), Integer.toUnsignedLong(seed));
        return (int) h[0];
    }

    /** {@code Hash128(message, length, &hash1, &hash2)}: returns {hash1, hash2}. */
    static long[] hash128(byte[] message, long seed1, long seed2) {
        if (message.length < BUF_SIZE) {
            return shortHash(message, seed1, seed2);
        }
        long[] s = new long[NUM_VARS];
        s[0] = s[3] = s[6] = s[9] = seed1;
        s[1] = s[4] = s[7] = s[10] = seed2;
        s[2] = s[5] = s[8] = s[11] = SC_CONST;
        int blocks = message.length / BLOCK_SIZE;
        long[] data = new long[NUM_VARS];
        for (int b = 0; b < blocks; b++) {
            for (int i = 0; i < NUM_VARS; i++) {
                data[i] = read64(message, b * BLOCK_SIZE + i * 8);
            }
            mix(data, s);
        }
        // the last partial block, zero-padded, its length in the block's last byte
        int done = blocks * BLOCK_SIZE;
        int remainder = message.length - done;
        byte[] last = new byte[BLOCK_SIZE];
        System.arraycopy(message, done, last, 0, remainder);
        last[BLOCK_SIZE - 1] = (byte) remainder;
        for (int i = 0; i < NUM_VARS; i++) {
            data[i] = read64(last, i * 8);
        }
        end(data, s);
        return new long[] {s[0], s[1]};
    }

    /** {@code Short}: SpookyHashV2.cpp, for messages under 192 bytes. */
    private static long[] shortHash(byte[] m, long seed1, long seed2) {
        int length = m.length;
        int remainder = length % 32;
        long[] h = {seed1, seed2, SC_CONST, SC_CONST};
        int p = 0;
        if (length > 15) {
            int end = (length / 32) * 32;
            for (; p < end; p += 32) {
                h[2] += read64(m, p);
                h[3] += read64(m, p + 8);
                shortMix(h);
                h[0] += read64(m, p + 16);
                h[1] += read64(m, p + 24);
            }
            if (remainder >= 16) {
                h[2] += read64(m, p);
                h[3] += read64(m, p + 8);
                shortMix(h);
                p += 16;
                remainder -= 16;
            }
        }
        // the last 0..15 bytes, and the length
        h[3] += ((long) length) << 56;
        switch (remainder) {
            case 15: h[3] += u8(m, p + 14) << 48; // fall through
            case 14: h[3] += u8(m, p + 13) << 40; // fall through
            case 13: h[3] += u8(m, p + 12) << 32; // fall through
            case 12:
                h[3] += read32(m, p + 8);
                h[2] += read64(m, p);
                break;
            case 11: h[3] += u8(m, p + 10) << 16; // fall through
            case 10: h[3] += u8(m, p + 9) << 8; // fall through
            case 9: h[3] += u8(m, p + 8); // fall through
            case 8:
                h[2] += read64(m, p);
                break;
            case 7: h[2] += u8(m, p + 6) << 48; // fall through
            case 6: h[2] += u8(m, p + 5) << 40; // fall through
            case 5: h[2] += u8(m, p + 4) << 32; // fall through
            case 4:
                h[2] += read32(m, p);
                break;
            case 3: h[2] += u8(m, p + 2) << 16; // fall through
            case 2: h[2] += u8(m, p + 1) << 8; // fall through
            case 1:
                h[2] += u8(m, p);
                break;
            case 0:
                h[2] += SC_CONST;
                h[3] += SC_CONST;
                break;
            default:
                throw new IllegalStateException("remainder " + remainder);
        }
        shortEnd(h);
        return new long[] {h[0], h[1]};
    }

    private static void mix(long[] d, long[] s) {
        s[0] += d[0];   s[2] ^= s[10]; s[11] ^= s[0];  s[0] = rot(s[0], 11);   s[11] += s[1];
        s[1] += d[1];   s[3] ^= s[11]; s[0] ^= s[1];   s[1] = rot(s[1], 32);   s[0] += s[2];
        s[2] += d[2];   s[4] ^= s[0];  s[1] ^= s[2];   s[2] = rot(s[2], 43);   s[1] += s[3];
        s[3] += d[3];   s[5] ^= s[1];  s[2] ^= s[3];   s[3] = rot(s[3], 31);   s[2] += s[4];
        s[4] += d[4];   s[6] ^= s[2];  s[3] ^= s[4];   s[4] = rot(s[4], 17);   s[3] += s[5];
        s[5] += d[5];   s[7] ^= s[3];  s[4] ^= s[5];   s[5] = rot(s[5], 28);   s[4] += s[6];
        s[6] += d[6];   s[8] ^= s[4];  s[5] ^= s[6];   s[6] = rot(s[6], 39);   s[5] += s[7];
        s[7] += d[7];   s[9] ^= s[5];  s[6] ^= s[7];   s[7] = rot(s[7], 57);   s[6] += s[8];
        s[8] += d[8];   s[10] ^= s[6]; s[7] ^= s[8];   s[8] = rot(s[8], 55);   s[7] += s[9];
        s[9] += d[9];   s[11] ^= s[7]; s[8] ^= s[9];   s[9] = rot(s[9], 54);   s[8] += s[10];
        s[10] += d[10]; s[0] ^= s[8];  s[9] ^= s[10];  s[10] = rot(s[10], 22); s[9] += s[11];
        s[11] += d[11]; s[1] ^= s[9];  s[10] ^= s[11]; s[11] = rot(s[11], 46); s[10] += s[0];
    }

    private static void endPartial(long[] h) {
        h[11] += h[1];  h[2] ^= h[11];  h[1] = rot(h[1], 44);
        h[0] += h[2];   h[3] ^= h[0];   h[2] = rot(h[2], 15);
        h[1] += h[3];   h[4] ^= h[1];   h[3] = rot(h[3], 34);
        h[2] += h[4];   h[5] ^= h[2];   h[4] = rot(h[4], 21);
        h[3] += h[5];   h[6] ^= h[3];   h[5] = rot(h[5], 38);
        h[4] += h[6];   h[7] ^= h[4];   h[6] = rot(h[6], 33);
        h[5] += h[7];   h[8] ^= h[5];   h[7] = rot(h[7], 10);
        h[6] += h[8];   h[9] ^= h[6];   h[8] = rot(h[8], 13);
        h[7] += h[9];   h[10] ^= h[7];  h[9] = rot(h[9], 38);
        h[8] += h[10];  h[11] ^= h[8];  h[10] = rot(h[10], 53);
        h[9] += h[11];  h[0] ^= h[9];   h[11] = rot(h[11], 42);
        h[10] += h[0];  h[1] ^= h[10];  h[0] = rot(h[0], 54);
    }

    private static void end(long[] d, long[] h) {
        for (int i = 0; i < NUM_VARS; i++) {
            h[i] += d[i];
        }
        endPartial(h);
        endPartial(h);
        endPartial(h);
    }

    private static void shortMix(long[] h) {
        h[2] = rot(h[2], 50);  h[2] += h[3];  h[0] ^= h[2];
        h[3] = rot(h[3], 52);  h[3] += h[0];  h[1] ^= h[3];
        h[0] = rot(h[0], 30);  h[0] += h[1];  h[2] ^= h[0];
        h[1] = rot(h[1], 41);  h[1] += h[2];  h[3] ^= h[1];
        h[2] = rot(h[2], 54);  h[2] += h[3];  h[0] ^= h[2];
        h[3] = rot(h[3], 48);  h[3] += h[0];  h[1] ^= h[3];
        h[0] = rot(h[0], 38);  h[0] += h[1];  h[2] ^= h[0];
        h[1] = rot(h[1], 37);  h[1] += h[2];  h[3] ^= h[1];
        h[2] = rot(h[2], 62);  h[2] += h[3];  h[0] ^= h[2];
        h[3] = rot(h[3], 34);  h[3] += h[0];  h[1] ^= h[3];
        h[0] = rot(h[0], 5);   h[0] += h[1];  h[2] ^= h[0];
        h[1] = rot(h[1], 36);  h[1] += h[2];  h[3] ^= h[1];
    }

    private static void shortEnd(long[] h) {
        h[3] ^= h[2];  h[2] = rot(h[2], 15);  h[3] += h[2];
        h[0] ^= h[3];  h[3] = rot(h[3], 52);  h[0] += h[3];
        h[1] ^= h[0];  h[0] = rot(h[0], 26);  h[1] += h[0];
        h[2] ^= h[1];  h[1] = rot(h[1], 51);  h[2] += h[1];
        h[3] ^= h[2];  h[2] = rot(h[2], 28);  h[3] += h[2];
        h[0] ^= h[3];  h[3] = rot(h[3], 9);   h[0] += h[3];
        h[1] ^= h[0];  h[0] = rot(h[0], 47);  h[1] += h[0];
        h[2] ^= h[1];  h[1] = rot(h[1], 54);  h[2] += h[1];
        h[3] ^= h[2];  h[2] = rot(h[2], 32);  h[3] += h[2];
        h[0] ^= h[3];  h[3] = rot(h[3], 25);  h[0] += h[3];
        h[1] ^= h[0];  h[0] = rot(h[0], 63);  h[1] += h[0];
    }

    private static long rot(long x, int k) {
        return Long.rotateLeft(x, k);
    }

    private static long u8(byte[] m, int i) {
        return m[i] & 0xFFL;
    }

    /** A little-endian {@code uint32_t} read, zero-extended. */
    private static long read32(byte[] m, int i) {
        return u8(m, i) | u8(m, i + 1) << 8 | u8(m, i + 2) << 16 | u8(m, i + 3) << 24;
    }

    /** A little-endian {@code uint64_t} read. */
    private static long read64(byte[] m, int i) {
        return read32(m, i) | read32(m, i + 4) << 32;
    }
}
