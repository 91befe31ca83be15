package io.memcachedgke.render;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the protobuf inputs the engine receives into plain Java values with sorted keys. Secrets
 * become {@code [secret]}; values not known yet become {@code [unknown]}.
 */
final class StructValues {
    private StructValues() {}

    /** Pulumi's wire sentinels (sdk/go/common/resource/properties.go). */
    private static final String SIG_KEY = "4dabf18193072939515e22adb298388d";
    private static final String SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
    private static final String RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
    private static final String UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

    static Map<String, Object> toMap(Struct struct) {
        var m = new TreeMap<String, Object>();
        struct.getFieldsMap().forEach((k, v) -> m.put(k, toJava(v)));
        return m;
    }

    static Object toJava(Value v) {
        switch (v.getKindCase()) {
            case NULL_VALUE:
            case KIND_NOT_SET:
                return null;
            case BOOL_VALUE:
                return v.getBoolValue();
            case NUMBER_VALUE: {
                double d = v.getNumberValue();
                return d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) (long) d : (Object) d;
            }
            case STRING_VALUE:
                return UNKNOWN.equals(v.getStringValue()) ? "[unknown]" : v.getStringValue();
            case LIST_VALUE: {
                List<Object> l = new ArrayList<>();
                v.getListValue().getValuesList().forEach(x -> l.add(toJava(x)));
                return l;
            }
            case STRUCT_VALUE: {
                var fields = v.getStructValue().getFieldsMap();
                var sig = fields.get(SIG_KEY);
                if (sig != null && SECRET_SIG.equals(sig.getStringValue())) {
                    return StackFiles.SECRET;
                }
                if (sig != null && RESOURCE_SIG.equals(sig.getStringValue())) {
                    return toJava(fields.getOrDefault("id", fields.get("urn")));
                }
                return toMap(v.getStructValue());
            }
            default:
                throw new IllegalArgumentException("unexpected value " + v);
        }
    }
}
