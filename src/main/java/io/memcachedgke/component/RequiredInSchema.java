package io.memcachedgke.component;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The properties of a settings type that its schema marks required, so a typed SDK asks for them. Not
 * {@code @Import(required = true)}: a missing one would then fail in the SDK's deserializer with its own message,
 * before the stack reader could name it with every other problem on one line.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RequiredInSchema {
    String[] value();
}
