package io.memcachedgke.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memcachedgke.config.Durations;
import io.memcachedgke.config.InvalidConfigException;
import io.memcachedgke.config.Naming;
import io.memcachedgke.config.Rule;
import io.memcachedgke.config.Suggest;
import io.memcachedgke.sizing.MachineTypes;
import io.memcachedgke.sizing.NodeFit;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Settings from what a front door was given, checked whole: every value of the wrong type, every key nobody knows,
 * every rule of the table, then the checks that need everything else right (the memory fit). Every problem is
 * reported at once, in the front door's terms ({@link Naming}), before anything is registered; what is allowed but
 * worth a look comes back as a warning.
 */
public final class SettingsReader {
    private SettingsReader() {}

    /** How long before a move's start every proxy must have loaded the moving config (kubelet's sync and the check). */
    public static final Duration RESIZE_LEAD = Duration.ofMinutes(10);

    /**
     * The settings, and what is allowed but worth a look (a machine type whose memory is unknown, a move that starts
     * soon): both front doors show the warnings to their user.
     *
     * @param nodeFit how the pods fit a node, when the node's memory is known
     */
    public record Read(Settings settings, List<String> warnings, Optional<NodeFit> nodeFit) {
        public Read {
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * The stack program's way in.
     *
     * @param root       the stack's keys under the project's namespace, each parsed from what the engine passes
     * @param gcpProject the stack's {@code gcp:project}
     * @param problems   what the stack program found already (keys in namespaces nothing reads)
     */
    public static Read stack(ObjectNode root, Optional<String> gcpProject, List<String> problems, Naming naming,
                             Clock clock) {
        var all = new ArrayList<>(problems);
        var binder = new Binder(naming, all);
        // The cluster block is read only where it is used: on another platform it is refused whole, unread.
        var withoutCluster = root.deepCopy();
        var cluster = withoutCluster.remove("cluster");
        var stack = binder.bind(StackSpec.class, "", withoutCluster, StackSpec.DEFAULTS);
        if (cluster != null && !cluster.isNull()) {
            ClusterSpec read = ClusterSpec.DEFAULTS;
            if (stack.gke()) {
                var holder = JsonNodeHolder.object("cluster", cluster);
                read = binder.bind(StackSpec.class, "", holder, stack).cluster();
            }
            stack = new StackSpec(stack.platform(), stack.kubeContext(), read);
        }
        var cache = binder.bind(CacheSpec.class, "", root, CacheSpec.DEFAULTS);
        binder.rejectUnknown("", root, Binder.union(List.of(StackSpec.class, CacheSpec.class)));
        return check(new Settings(cache, Optional.of(stack), gcpProject, Optional.empty()), all, naming, clock);
    }

    /** The component package's way in: its arguments, by the schema's names. */
    public static Read component(ObjectNode args, Naming naming, Clock clock) {
        var problems = new ArrayList<String>();
        var binder = new Binder(naming, problems);
        var cache = binder.bind(CacheSpec.class, "", args, CacheSpec.DEFAULTS);
        Optional<GkeSpec> gke = Optional.empty();
        var given = args.get(GKE);
        if (given != null && given.isObject()) {
            gke = Optional.of(binder.bind(GkeSpec.class, GKE, (ObjectNode) given, GkeSpec.DEFAULTS));
            binder.rejectUnknown(GKE, (ObjectNode) given, Binder.keysOf(GkeSpec.class));
        }
        var known = new ArrayList<>(Binder.keysOf(CacheSpec.class));
        known.add(GKE);
        binder.rejectUnknown("", args, known);
        return check(new Settings(cache, Optional.empty(), Optional.empty(), gke), problems, naming, clock);
    }

    /** The component package's argument naming the GKE cluster ({@link GkeSpec}). */
    public static final String GKE = "gke";

    private static Read check(Settings settings, List<String> problems, Naming naming, Clock clock) {
        var warnings = new ArrayList<String>();
        problems.addAll(SettingRules.check(settings, naming));
        unknownMachineType(settings, naming).ifPresent(m -> (settings.production() ? problems : warnings).add(m));
        Optional<NodeFit> fit = Optional.empty();
        if (problems.isEmpty()) {
            resizeStartsTooSoon(settings, naming, clock).ifPresent(warnings::add);
            fit = NodeFits.of(settings);
            var memcached = settings.cache().memcached();
            fit.filter(f -> !f.fits()).ifPresent(f -> problems.add(naming.key("memcached.memoryMiB") + " "
                + memcached.memoryMiB() + " does not fit: " + f.shortfall()));
        }
        InvalidConfigException.throwIfAny(problems);
        return new Read(settings, warnings, fit);
    }

    /**
     * A machine type the sizing table does not know: its memory, and so the fit of the pods, cannot be checked.
     * Production refuses it; elsewhere it is a warning.
     */
    private static Optional<String> unknownMachineType(Settings s, Naming n) {
        var key = n.key("cluster.machineType");
        var nodeMemory = s.cache().nodeMemoryMiB();
        return s.cluster().map(ClusterSpec::machineType)
            .filter(t -> MachineTypes.memoryMiB(t).isEmpty())
            .map(t -> s.production()
                ? key + " must be a Compute Engine machine type this program knows in production (otherwise the memory "
                    + "fit cannot be checked), but " + Rule.quote(t) + " was provided" + Suggest.didYouMean(t, MachineTypes.names())
                : key + " " + Rule.quote(t) + " is not a machine type this program knows"
                    + Suggest.didYouMean(t, MachineTypes.names()) + ": the memory fit is "
                    + (nodeMemory == null ? "not checked (set " + n.key("nodeMemoryMiB") + " to check it)"
                        : "checked against " + n.key("nodeMemoryMiB") + " " + nodeMemory));
    }

    /**
     * A move that starts within {@link #RESIZE_LEAD} (or started): on the up that introduces it, proxies load the
     * moving config over a minute or two, and until all have, one that reads the new layout can copy a key that
     * another, still on the old config, updates or deletes in the old layout only (ResizeCaveatsTest). On a later up
     * during the window this is harmless, and the config is the same whatever the clock says: a warning, not a refusal.
     */
    static Optional<String> resizeStartsTooSoon(Settings s, Naming n, Clock clock) {
        return Optional.ofNullable(s.cache().memcached().resize()).filter(r -> !r.finish())
            .filter(r -> Durations.parseUtc(r.startTime()).orElseThrow().isBefore(clock.instant().plus(RESIZE_LEAD)))
            .map(r -> n.key("memcached.resize.startTime") + " " + r.startTime() + " is less than " + RESIZE_LEAD.toMinutes()
                + " minutes away: if this up starts the move, set it later (proxies load the new config over a minute "
                + "or two, and keys must not switch before all have it); on a later up during the move, ignore this");
    }

    /** One key's object as the only key of a new object, so a record component can be bound from it alone. */
    private static final class JsonNodeHolder {
        static ObjectNode object(String key, JsonNode value) {
            var o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            o.set(key, value);
            return o;
        }
    }
}
