package io.memcachedgke.sizing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Memory of Compute Engine machine types, so the sizing model can check that the cache fits a node:
 * every predefined type from {@code gce-machine-types.tsv} beside this class (its header names the
 * source, {@code gcloud compute machine-types list} output, and the command that refreshes it), and
 * custom types, whose name carries their memory ({@code n2-custom-4-8192}, {@code custom-2-6144}).
 */
public final class MachineTypes {
    private MachineTypes() {}

    /** Custom machine types: {@code [<family>-]custom-<vCPUs>-<memory MiB>[-ext]}. */
    private static final Pattern CUSTOM = Pattern.compile("(?:(?:e2|n1|n2|n2d|n4)-)?custom-(\\d{1,3})-(\\d{3,7})(?:-ext)?");
    private static final Map<String, Integer> MEMORY_MIB = load();

    /** @return the machine type's memory in MiB, or empty when it is not a type this table knows. */
    public static OptionalInt memoryMiB(String machineType) {
        var known = MEMORY_MIB.get(machineType);
        if (known != null) {
            return OptionalInt.of(known);
        }
        var custom = CUSTOM.matcher(machineType);
        if (custom.matches()) {
            return OptionalInt.of(Integer.parseInt(custom.group(2)));
        }
        return OptionalInt.empty();
    }

    /** The predefined types, for "did you mean" suggestions. */
    public static Set<String> names() {
        return MEMORY_MIB.keySet();
    }

    private static Map<String, Integer> load() {
        var out = new TreeMap<String, Integer>();
        var in = Objects.requireNonNull(MachineTypes.class.getResourceAsStream("gce-machine-types.tsv"), "gce-machine-types.tsv");
        try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                var f = line.split("\t");
                out.put(f[0], Integer.parseInt(f[2].trim()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(out);
    }
}
