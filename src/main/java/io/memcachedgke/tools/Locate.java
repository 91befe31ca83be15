package io.memcachedgke.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import io.memcachedgke.config.InvalidConfigException;
import io.memcachedgke.kube.Names;
import io.memcachedgke.locate.Layout;
import io.memcachedgke.render.StackFiles;
import io.memcachedgke.cache.Plan;
import io.memcachedgke.stack.StackSettings;

/**
 * {@code mvn -B -q exec:java@locate -Dstack=<stack> -Dkeys=<file>}: for every key of the file (one a line), in
 * input order, the pod that holds it as mcrouter's ch3 places it in the layout the stack renders; during a move
 * ({@code memcached.resize}) the pod before the key switches and the pod after. Keys memcached refuses are named
 * as refused. One line per key, tab-separated: the key, then where it lives.
 */
public final class Locate {
    private Locate() {}

    /** memcached's longest key ({@code KEY_MAX_LENGTH}, memcached.h; doc/protocol.txt "Keys"). */
    public static final int MAX_KEY_BYTES = 250;

    public static void main(String[] args) {
        var stack = Tools.arg(args, 0);
        var keyFile = Tools.arg(args, 1);
        if (stack == null || keyFile == null) {
            Tools.fail("usage: mvn -B -q exec:java@locate -Dstack=<stack> -Dkeys=<file with one key per line>");
        }
        args = new String[] {stack, keyFile};
        try {
            var projectDir = Path.of("").toAbsolutePath();
            var settings = StackSettings.read(StackFiles.load(projectDir, args[0]).configWithPlaceholderProject()).settings();
            var memcached = Plan.of(settings).memcached();
            var keys = Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8);
            locate(memcached.layout(), memcached.namePrefix(), keys).forEach(System.out::println);
            System.exit(0);
        } catch (StackFiles.UnknownStackException | StackFiles.StackFileException | InvalidConfigException e) {
            Tools.fail("locate: " + args[0] + ": " + e.getMessage());
        } catch (IOException e) {
            Tools.fail("locate: cannot read " + args[1] + ": " + e.getMessage());
        }
    }

    /** One line per key, in order. */
    public static List<String> locate(Layout layout, String prefix, List<String> keys) {
        var out = new ArrayList<String>();
        var statefulSet = Names.memcached(prefix);
        for (var raw : keys) {
            var key = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            var refusal = refusal(key);
            if (refusal.isPresent()) {
                out.add(key + "\trefused: " + refusal.get());
                continue;
            }
            var p = layout.place(key);
            var before = statefulSet + "-" + p.before();
            var after = statefulSet + "-" + p.after();
            if (!layout.moving()) {
                out.add(key + "\t" + before);
            } else if (!p.moves()) {
                out.add(key + "\t" + before + " (both layouts)");
            } else {
                out.add(key + "\t" + before + " until it switches, then " + after);
            }
        }
        return out;
    }

    /**
     * Why memcached's text protocol refuses a key (doc/protocol.txt: at most 250 bytes, no whitespace or
     * control characters), or empty.
     */
    public static Optional<String> refusal(String key) {
        if (key.isEmpty()) {
            return Optional.of("empty");
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            return Optional.of(bytes + " bytes (memcached takes at most " + MAX_KEY_BYTES + ")");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == ' ') {
                return Optional.of("contains a space (character " + (i + 1) + ")");
            }
            if (c < 0x20 || c == 0x7f || Character.isWhitespace(c)) {
                return Optional.of(String.format("contains a control or whitespace character U+%04X (character %d)", (int) c, i + 1));
            }
        }
        return Optional.empty();
    }
}
