package io.memcachedgke.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The public Compute Engine regions and their zones, from {@code gcp-zones.txt} beside this class. Its
 * header names the sources (Google's "Regions and zones" table, {@code gcloud compute regions/zones list}
 * output) and the command that refreshes it:
 * {@code gcloud compute zones list --format="value(region.basename(),name)" | tr '\t' ' ' | LC_ALL=C sort}.
 */
public final class GcpLocations {
    private GcpLocations() {}

    private static final Map<String, List<String>> ZONES_BY_REGION = load();

    /** A region (a regional cluster), by its form: {@code us-central1}, not {@code us-central1-f}. */
    public static boolean regional(String location) {
        return Formats.GCP_REGION.matcher(location).matches();
    }

    /** The region of a location: itself, or a zone's region. */
    public static String regionOf(String location) {
        int dash = location.lastIndexOf('-');
        return regional(location) || dash < 0 ? location : location.substring(0, dash);
    }

    public static boolean isRegion(String location) {
        return ZONES_BY_REGION.containsKey(location);
    }

    public static boolean isZone(String location) {
        return ZONES_BY_REGION.values().stream().anyMatch(zones -> zones.contains(location));
    }

    /** The zones of a region, in order; empty for an unknown region. */
    public static List<String> zonesOf(String region) {
        return ZONES_BY_REGION.getOrDefault(region, List.of());
    }

    public static Set<String> regions() {
        return ZONES_BY_REGION.keySet();
    }

    /** Every region and zone, for "did you mean" suggestions. */
    public static Set<String> all() {
        var all = new TreeSet<>(ZONES_BY_REGION.keySet());
        ZONES_BY_REGION.values().forEach(all::addAll);
        return all;
    }

    private static Map<String, List<String>> load() {
        var byRegion = new TreeMap<String, List<String>>();
        var in = Objects.requireNonNull(GcpLocations.class.getResourceAsStream("gcp-zones.txt"), "gcp-zones.txt");
        try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                var fields = line.trim().split("\\s+");
                byRegion.computeIfAbsent(fields[0], r -> new java.util.ArrayList<>()).add(fields[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byRegion.replaceAll((r, zones) -> List.copyOf(zones));
        return Map.copyOf(byRegion);
    }
}
