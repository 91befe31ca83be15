package io.memcachedgke.support;

import io.memcachedgke.cache.Plan;
import io.memcachedgke.gke.GkeClusterArgs;
import io.memcachedgke.mcrouter.McrouterArgs;
import io.memcachedgke.memcached.MemcachedArgs;
import io.memcachedgke.metrics.MetricsArgs;
import io.memcachedgke.sampleapp.SampleAppArgs;
import io.memcachedgke.settings.CacheSpec;
import io.memcachedgke.settings.ClusterSpec;
import io.memcachedgke.settings.Settings;
import io.memcachedgke.settings.StackSpec;
import io.memcachedgke.smoke.SmokeTestArgs;
import java.util.Optional;

/** The tiers' arguments as the composition root makes them from the model's defaults: tests vary them with {@link Records#with}. */
public final class Plans {
    private Plans() {}

    /** A cache with every default, on a cluster the user has (the component package's case). */
    public static Plan plan() {
        return plan(CacheSpec.DEFAULTS);
    }

    public static Plan plan(CacheSpec cache) {
        return Plan.of(new Settings(cache, Optional.empty(), Optional.empty(), Optional.empty()));
    }

    public static MemcachedArgs memcached() {
        return plan().memcached();
    }

    public static McrouterArgs mcrouter() {
        return plan().mcrouter();
    }

    public static MetricsArgs metrics() {
        return plan().metrics();
    }

    public static SampleAppArgs sampleApp() {
        return plan().sampleApp().orElseThrow();
    }

    public static SmokeTestArgs smokeTest() {
        return plan().smokeTest().orElseThrow();
    }

    /** The default GKE cluster of a stack in project {@code project}. */
    public static GkeClusterArgs cluster(String project) {
        return Plan.of(new Settings(CacheSpec.DEFAULTS, Optional.of(new StackSpec(StackSpec.DEFAULTS.platform(), null,
            ClusterSpec.DEFAULTS)), Optional.of(project), Optional.empty())).cluster().orElseThrow();
    }
}
