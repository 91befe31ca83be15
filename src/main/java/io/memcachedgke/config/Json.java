package io.memcachedgke.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The program's one plain JSON mapper: a mapper is costly to build and safe to share once built, and each
 * new one pays Jackson's start-up again (docs/performance.md). Mappers with other settings (YAML, pretty
 * printing) stay with the class that needs them and load only when it writes its document.
 */
public final class Json {
    private Json() {}

    public static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * A document as text that is the same for the same content: object keys sorted, two-space indented, a final
     * newline. For documents the program hashes or commits (the admission probe, the package's schema).
     */
    public static String canonical(Object document) {
        try {
            return MAPPER.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).withDefaultPrettyPrinter()
                .writeValueAsString(document instanceof com.fasterxml.jackson.databind.JsonNode node
                    ? MAPPER.treeToValue(node, Object.class) : document) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON document: " + e.getOriginalMessage(), e);
        }
    }
}
