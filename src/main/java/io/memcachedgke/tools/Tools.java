package io.memcachedgke.tools;

/** What the command-line tools share: one line on stderr and exit 1. */
final class Tools {
    private Tools() {}

    /** Argument {@code i}, or null when Maven passed none: an unset property arrives as null, blank or {@code ${name}}. */
    static String arg(String[] args, int i) {
        if (i >= args.length || args[i] == null || args[i].isBlank() || args[i].startsWith("${")) {
            return null;
        }
        return args[i];
    }

    static void fail(String line) {
        System.err.println(line);
        System.exit(1);
    }
}
