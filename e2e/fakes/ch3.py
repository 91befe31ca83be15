"""mcrouter's ch3 (furc_hash over MurmurHash64A), for the proxy stand-in: which shard of a pool holds a key. A port of
upstream mcrouter/lib/fbi/hash.c (murmur_hash_64A, murmur_rehash_64A, furc_get_bit, furc_hash), as
io.memcachedgke.hash.Ch3 is; Ch3StandInTest checks both against upstream's golden values.

  python3 ch3.py KEY N     prints the index (0..N-1) of the server that holds KEY
"""
import sys

SEED = 4193360111
M = 0xC6A4A7935BD1E995
R = 47
MASK = (1 << 64) - 1
MAX_TRIES = 32
FURC_SHIFT = 23


def murmur64a(key: bytes, seed: int = SEED) -> int:
    h = (seed ^ (len(key) * M)) & MASK
    blocks = len(key) // 8
    for b in range(blocks):
        k = int.from_bytes(key[b * 8:b * 8 + 8], "little")
        k = (k * M) & MASK
        k ^= k >> R
        k = (k * M) & MASK
        h ^= k
        h = (h * M) & MASK
    tail = key[blocks * 8:]
    if tail:
        for i in range(len(tail) - 1, -1, -1):
            h ^= tail[i] << (8 * i)
        h = (h * M) & MASK
    h ^= h >> R
    h = (h * M) & MASK
    h ^= h >> R
    return h


def rehash(k: int) -> int:
    return murmur64a(k.to_bytes(8, "little"))


def furc_hash(key: bytes, m: int) -> int:
    if m <= 1:
        return 0
    words = []

    def bit(idx: int) -> int:
        ordinal = idx >> 6
        while len(words) <= ordinal:
            words.append(murmur64a(key) if not words else rehash(words[-1]))
        return (words[ordinal] >> (idx & 0x3F)) & 1

    d = (m - 1).bit_length()
    a = d
    for _ in range(MAX_TRIES):
        while bit(a) == 0:
            d -= 1
            if d == 0:
                return 0
            a = d
        a += FURC_SHIFT
        num = 1
        for _ in range(d - 1):
            num = ((num << 1) | bit(a)) & 0xFFFFFFFF
            a += FURC_SHIFT
        if num < m:
            return num
    return 0


def routing_key(key: str) -> str:
    """The part mcrouter hashes: without a /region/cluster/ prefix, up to the first |#| (carbon/Keys-inl.h)."""
    rest = key
    if rest.startswith("/"):
        pos, complete = 1, True
        for _ in range(2):
            pos = rest.find("/", pos)
            if pos < 0:
                complete = False
                break
            pos += 1
        if complete:
            rest = rest[pos:]
    stop = rest.find("|#|")
    return rest if stop < 0 else rest[:stop]


def server_index(key: str, n: int) -> int:
    return 0 if n == 1 else furc_hash(routing_key(key).encode(), n)


if __name__ == "__main__":
    print(server_index(sys.argv[1], int(sys.argv[2])))
