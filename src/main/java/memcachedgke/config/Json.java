package memcachedgke.config;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The program's one plain JSON mapper: a mapper is costly to build and safe to share once built, and each
 * new one pays Jackson's start-up again (docs/performance.md). Mappers with other settings (YAML, pretty
 * printing) stay with the class that needs them and load only when it writes its document.
 */
public final class Json {
    private Json() {}

    public static final ObjectMapper MAPPER = new ObjectMapper();
}
