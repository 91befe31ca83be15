package io.memcachedgke.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** An enum that stack configuration names by a fixed string: the one way such values are listed and parsed. */
public interface ConfigValue {

    /** How the value is written in {@code Pulumi.<stack>.yaml}. */
    String configValue();

    /** Every allowed value, in declaration order, for "must be one of ..." messages. */
    static <E extends Enum<E> & ConfigValue> List<String> allowed(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(ConfigValue::configValue).toList();
    }

    static <E extends Enum<E> & ConfigValue> Optional<E> parse(Class<E> type, String value) {
        return Arrays.stream(type.getEnumConstants()).filter(e -> e.configValue().equals(value)).findFirst();
    }
}
