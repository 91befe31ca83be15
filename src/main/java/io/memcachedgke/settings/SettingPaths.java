package io.memcachedgke.settings;

import java.lang.reflect.Method;
import java.util.Optional;

/**
 * A setting's value by its path ({@code mcrouter.exposure}), as the settings decide it: the value given, or the
 * environment's default where the record decides one ({@code McrouterSpec.exposure(Environment)}). A path under
 * {@code cluster.} reads the stack's cluster; every other, the cache's settings.
 */
final class SettingPaths {
    private SettingPaths() {}

    /** @return the value, or empty where the setting's section does not apply (no cluster) */
    static Optional<Object> value(Settings settings, String path) {
        Object at;
        String[] parts = path.split("\\.");
        int i = 0;
        if (parts[0].equals("cluster")) {
            var cluster = settings.cluster();
            if (cluster.isEmpty()) {
                return Optional.empty();
            }
            at = cluster.get();
            i = 1;
        } else {
            at = settings.cache();
        }
        for (; i < parts.length; i++) {
            var owner = at;
            at = invoke(owner, parts[i]);
            if (at == null && i == parts.length - 1) {
                at = byEnvironment(owner, parts[i], settings);
            }
            if (at == null) {
                return Optional.empty();
            }
        }
        return Optional.of(at);
    }

    private static Object invoke(Object record, String name) {
        try {
            return record.getClass().getMethod(name).invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("no setting " + name + " in " + record.getClass().getSimpleName(), e);
        }
    }

    private static Object byEnvironment(Object record, String name, Settings settings) {
        for (Method m : record.getClass().getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == 1
                    && m.getParameterTypes()[0] == io.memcachedgke.config.Environment.class) {
                try {
                    return m.invoke(record, settings.environment());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return null;
    }
}
