package io.memcachedgke.component;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a component, an argument or an output means, for the package's schema and so for the SDKs generated from it
 * (TypeScript doc comments, Python docstrings). The Java SDK's schema inference (1.36.1,
 * {@code com.pulumi.provider.internal.infer.ComponentAnalyzer}) writes no descriptions and Javadoc is gone at run
 * time, so {@link PackageSchema} adds these to the inferred schema.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.FIELD})
public @interface Description {
    String value();
}
