package io.memcachedgke.config;

/**
 * How a front door names a setting in what it tells its user: the stack program by its stack key
 * ({@code memcached-gke:memcached.replicas}), the component package by its argument path ({@code memcached.replicas}).
 * Rules and the settings reader speak in setting paths and leave the words to this.
 */
public interface Naming {

    /** The name the user knows the setting at {@code path} by. */
    String key(String path);

    /** What follows "must be an object" for the object at {@code path}: how to write one, in the user's terms. */
    String objectExample(String path);
}
