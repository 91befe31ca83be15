package io.memcachedgke.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The rules the program and the policy pack both hold, from their one source: {@code policies/shared/guards.json},
 * which the build puts on the classpath as {@value #RESOURCE} and the pack reads in place (policies/src/shared.ts).
 */
public final class SharedRules {
    private SharedRules() {}

    public static final String RESOURCE = "/memcached-gke/guards.json";

    /**
     * A production guard: a setting production must keep, the check (a word both layers read), the problem in words,
     * and the pack policy that refuses what breaks it once deployed.
     */
    public record Guard(String setting, String check, String value, String problem, String policy) {}

    private static final JsonNode ROOT = load();

    /** The environment of a stack or component that sets none. */
    public static String defaultEnvironment() {
        return ROOT.path("defaultEnvironment").asText();
    }

    public static String pinnedImagePattern() {
        return ROOT.path("pinnedImage").path("pattern").asText();
    }

    public static String pinnedImageText() {
        return ROOT.path("pinnedImage").path("text").asText();
    }

    /** A CIDR block whose prefix is at most this long admits (nearly) every address. */
    public static int openCidrPrefixLength() {
        return ROOT.path("openCidrPrefixLength").asInt();
    }

    /** A GCP region, by its form: {@code us-central1} (a zone adds {@code -<letter>}). */
    public static String regionPattern() {
        return ROOT.path("regionPattern").asText();
    }

    public static List<Guard> productionGuards() {
        var out = new ArrayList<Guard>();
        ROOT.path("production").forEach(g -> out.add(new Guard(g.path("setting").asText(), g.path("check").asText(),
            g.hasNonNull("value") ? g.get("value").asText() : null, g.path("problem").asText(), g.path("policy").asText())));
        return List.copyOf(out);
    }

    private static JsonNode load() {
        try (var in = Objects.requireNonNull(SharedRules.class.getResourceAsStream(RESOURCE), RESOURCE)) {
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
