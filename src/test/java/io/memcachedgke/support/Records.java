package io.memcachedgke.support;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/** A record with some components changed: tests' way to vary one value of the model or of a tier's arguments. */
public final class Records {
    private Records() {}

    /**
     * @param changes component names and their new values, alternating: {@code "replicas", 4, "namespace", "cache"}
     */
    @SuppressWarnings("unchecked")
    public static <R extends Record> R with(R record, Object... changes) {
        var components = record.getClass().getRecordComponents();
        var values = new Object[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                values[i] = components[i].getAccessor().invoke(record);
            }
            for (int c = 0; c < changes.length; c += 2) {
                var name = (String) changes[c];
                int i = index(components, name);
                values[i] = changes[c + 1];
            }
            var ctor = record.getClass().getDeclaredConstructor(
                Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            ctor.setAccessible(true);
            return (R) ctor.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int index(RecordComponent[] components, String name) {
        for (int i = 0; i < components.length; i++) {
            if (components[i].getName().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no component " + name);
    }
}
