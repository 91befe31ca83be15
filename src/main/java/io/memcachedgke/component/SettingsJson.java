package io.memcachedgke.component;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyName;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedField;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.pulumi.core.annotations.Import;

/**
 * The argument classes as JSON: exactly their {@code @Import} fields, under the names the schema gives them (what
 * another language passes), unset ones left out. Kept out of the argument classes, whose every field, static ones
 * included, the schema inference would list as an argument.
 */
final class SettingsJson {
    private SettingsJson() {}

    static final ObjectMapper MAPPER = new ObjectMapper()
        .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
        .setSerializationInclusion(JsonInclude.Include.NON_NULL)
        .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
            @Override
            public PropertyName findNameForSerialization(Annotated a) {
                return imported(a, super.findNameForSerialization(a));
            }

            @Override
            public PropertyName findNameForDeserialization(Annotated a) {
                return imported(a, super.findNameForDeserialization(a));
            }

            private PropertyName imported(Annotated a, PropertyName otherwise) {
                var i = a instanceof AnnotatedField ? a.getAnnotation(Import.class) : null;
                return i == null ? otherwise : PropertyName.construct(i.name());
            }
        });
}
