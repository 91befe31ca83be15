package io.memcachedgke.stack;

import io.memcachedgke.config.Naming;

/** Settings as a stack names them: {@code memcached-gke:<path>}, and {@code gcp:project}, the gcp provider's own key. */
final class StackNaming implements Naming {
    static final StackNaming INSTANCE = new StackNaming();

    @Override
    public String key(String path) {
        return path.contains(":") ? path : StackSettings.PROJECT + ":" + path;
    }

    @Override
    public String objectExample(String path) {
        return "pulumi config set --path " + key(path) + ".<key> <value>";
    }
}
