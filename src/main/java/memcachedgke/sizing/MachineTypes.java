package memcachedgke.sizing;

import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Memory of Compute Engine machine types, so the sizing model can check that the cache fits a node.
 * Covers the shared-core E2 types and the predefined standard/highmem/highcpu shapes of the general
 * purpose families; anything else needs {@code cluster.nodeMemoryMiB}.
 */
public final class MachineTypes {
    private MachineTypes() {}

    private static final Pattern PREDEFINED =
        Pattern.compile("(e2|n2|n2d|n4|c3|c3d|t2d|n1)-(standard|highmem|highcpu)-(\\d+)");

    /** @return the machine type's memory in MiB, or empty when it is not a type this table knows. */
    public static OptionalInt memoryMiB(String machineType) {
        switch (machineType) {
            case "e2-micro": return OptionalInt.of(1024);
            case "e2-small": return OptionalInt.of(2048);
            case "e2-medium": return OptionalInt.of(4096);
            default: break;
        }
        var m = PREDEFINED.matcher(machineType);
        if (!m.matches()) {
            return OptionalInt.empty();
        }
        int vcpus = Integer.parseInt(m.group(3));
        boolean n1 = m.group(1).equals("n1");
        // GiB per vCPU, in MiB: N1 has its own ratios; the newer families share 1/4/8.
        int perVcpu = switch (m.group(2)) {
            case "standard" -> n1 ? 3840 : 4096;
            case "highmem" -> n1 ? 6656 : 8192;
            default -> n1 ? 922 : 1024;
        };
        return OptionalInt.of(vcpus * perVcpu);
    }
}
