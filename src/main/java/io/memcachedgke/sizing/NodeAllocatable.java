package io.memcachedgke.sizing;

/**
 * GKE's memory reservation for the kubelet and system daemons: 25% of the first 4 GiB, 20% of the
 * next 4 GiB, 10% of the next 8 GiB, 6% of the next 112 GiB and 2% above 128 GiB, plus a 100 MiB
 * hard eviction threshold. What is left is what pods can request.
 */
public final class NodeAllocatable {
    private NodeAllocatable() {}

    public static final int EVICTION_THRESHOLD_MIB = 100;

    private static final int[][] TIERS = {
        // {upper bound of the tier in MiB, reserved percent}
        {4 * 1024, 25}, {8 * 1024, 20}, {16 * 1024, 10}, {128 * 1024, 6}, {Integer.MAX_VALUE, 2},
    };

    /** @return memory reserved by GKE on a node of {@code machineMiB}, eviction threshold included. */
    public static int reservedMiB(int machineMiB) {
        double reserved = 0;
        int lower = 0;
        for (int[] tier : TIERS) {
            if (machineMiB <= lower) {
                break;
            }
            int inTier = Math.min(machineMiB, tier[0]) - lower;
            reserved += inTier * tier[1] / 100.0;
            lower = tier[0];
        }
        return (int) Math.ceil(reserved) + EVICTION_THRESHOLD_MIB;
    }

    /** @return memory pods can request on a node of {@code machineMiB}. */
    public static int allocatableMiB(int machineMiB) {
        return machineMiB - reservedMiB(machineMiB);
    }
}
