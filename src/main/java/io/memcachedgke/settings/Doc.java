package io.memcachedgke.settings;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a setting (a record component of the model) or a section of settings (a record) means, written once: the
 * package's schema descriptions and docs/configuration.md are generated from it ({@link SettingCatalog}).
 *
 * <p>A setting's default is its value in the record's {@code DEFAULTS}; {@link #dflt} is only for a default that is
 * not a value (one that depends on the environment or the platform, or "unset"), and a test checks that text
 * against the code that decides it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.TYPE})
public @interface Doc {
    /** What the setting means and what is allowed, in Markdown, without its default. */
    String value();

    /** The default in words, when it is not the value in {@code DEFAULTS} (which is then null). */
    String dflt() default "";

    /** The setting must be given whenever its section is. */
    boolean required() default false;
}
