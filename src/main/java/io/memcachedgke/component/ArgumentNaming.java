package io.memcachedgke.component;

import io.memcachedgke.config.Naming;

/** Settings as a package user names them: the argument path, as the schema spells it ({@code memcached.replicas}). */
final class ArgumentNaming implements Naming {
    static final ArgumentNaming INSTANCE = new ArgumentNaming();

    @Override
    public String key(String path) {
        return path;
    }

    @Override
    public String objectExample(String path) {
        return "the argument " + path + " as an object of its settings, e.g. " + path + ": {...}";
    }
}
