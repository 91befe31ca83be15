package io.memcachedgke.stack;

import java.util.logging.Logger;

/**
 * The SDK's own logging kept off the terminal: the engine already shows what the program logs through it. The Java
 * SDK (1.36.1) echoes every logged error on stderr through java.util.logging's console handler, as a timestamped
 * {@code SEVERE:} repeat of the line the engine prints (com.pulumi.deployment.internal.DeploymentImpl, its logger); a
 * program's stderr reaches the user when it exits non-zero. SLF4J's "no binding" warning is silenced by slf4j-nop on
 * the classpath (the pom).
 */
final class SdkLogging {
    private SdkLogging() {}

    /** Held: java.util.logging keeps loggers weakly, and a configured one that is collected loses its setting. */
    private static final Logger DEPLOYMENT = Logger.getLogger("com.pulumi.deployment.internal.DeploymentImpl");

    static void quiet() {
        DEPLOYMENT.setUseParentHandlers(false);
    }
}
